"""Recording candidates: through ``store.add_claim``, with the duplicate check every
``claims add`` runs, so a claim its source already holds is reported, not added twice."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from claims.extract.model import Candidate

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@dataclass
class Added:
    """What adding a batch did: new claim ids, candidates skipped as duplicates (with the
    claim that already says it), entities created, and the store's warnings."""

    claim_ids: list[int] = field(default_factory=list)
    duplicates: list[tuple[Candidate, int]] = field(default_factory=list)
    created_entities: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def duplicate_of(session: Session, candidate: Candidate, source: str) -> int | None:
    """The id of a claim from ``source`` that already says what ``candidate`` says."""
    from claims.reads.duplicates import check_new_claim
    from claims.reads.lookup import get_source

    check = check_new_claim(session, candidate.text, get_source(session, source).id, force=True)
    return check.same_source[0].claim_id if check.same_source else None


def add_candidates(session: Session, candidates: list[Candidate], source: str,
                   *, tags: list[str] | None = None) -> Added:
    """Add each candidate as a claim of ``source`` (call inside ``Database.write()``).
    Unknown speakers and entities become new entities, as in ``claims import``."""
    from claims.writes.store import add_claim

    added = Added()
    for candidate in candidates:
        existing = duplicate_of(session, candidate, source)
        if existing is not None:
            added.duplicates.append((candidate, existing))
            continue
        result = add_claim(
            session, candidate.text, source=source, speaker=candidate.speaker,
            about=candidate.about, quote=candidate.quote, said_on=candidate.said_on,
            tags=tags or [], allow_new_names=True, note=f"proposed by claims extract "
            f"({candidate.kind.value}, score {candidate.score:.2f})",
        )
        added.claim_ids.append(result.claim.id)
        added.created_entities += [e.name for e in result.created_entities]
        added.warnings += result.warnings
    return added
