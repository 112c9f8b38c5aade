"""Claims that say the same thing: the same normalised text (``parse.normalise_text``,
found by ``claims.text_hash``), and near-duplicates ranked by rapidfuzz. Used by
``store.add_claim`` (its duplicate check), by import (matching records to stored claims)
and by ``claims similar``."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import func, literal_column, select

from claims import tables
from claims.errors import ConflictError
from claims.fts import index_for
from claims.parse import key_hash, normalise_text
from claims.sql import Reader, chunks

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

CLAIMS = tables.claims
# token_set_ratio (0-100) at or above which an existing claim is "similar" to a new one.
SIMILAR_SCORE = 80.0
# Near-duplicate candidates come from the text's rare words: the ranking reads every claim
# holding any of them, so one common word ("Tehran" is in a tenth of the benchmark's
# million claims) would make it rank a hundred thousand rows. Rarity is probed for the
# longest words (short ones are seldom rare), each count stopping at RARITY_CAP claims;
# a text with no rare word looks for claims holding its two least common words together.
PROBED_WORDS = 8
CANDIDATE_WORDS = 4
RARITY_CAP = 5000
CANDIDATE_LIMIT = 50



def same_text_claims(session: Reader, keys: Iterable[str]) -> list[tuple[int, int, str]]:
    """``(claim id, source id, key)`` of the stored claims whose normalised text
    (``parse.normalise_text``) is one of ``keys``, oldest first: looked up by
    ``claims.text_hash``, then compared in full, so a hash collision never matches."""
    wanted = {key_hash(key): key for key in set(keys)}
    found: list[tuple[int, int, str]] = []
    for chunk in chunks(list(wanted)):
        rows = session.execute(
            select(CLAIMS.c.id, CLAIMS.c.source_id, CLAIMS.c.text, CLAIMS.c.text_hash)
            .where(CLAIMS.c.text_hash.in_(chunk))
        )
        for claim_id, source_id, text, stored_hash in rows:
            key = wanted[stored_hash]
            if normalise_text(text) == key:
                found.append((claim_id, source_id, key))
    return sorted(found)


def claims_by_text(
    session: Reader, wanted: Collection[tuple[int, str]]
) -> dict[tuple[int, str], int]:
    """For each ``(source id, normalised text)``, the oldest claim of that source with that
    text; pairs without one are left out."""
    found: dict[tuple[int, str], int] = {}
    for claim_id, source_id, key in same_text_claims(session, (key for _, key in wanted)):
        if (source_id, key) in wanted:
            found.setdefault((source_id, key), claim_id)
    return found


@dataclass(frozen=True)
class Similar:
    """An existing claim like a given text; ``score`` is rapidfuzz's token_set_ratio."""

    claim_id: int
    score: float
    same_text: bool
    source_id: int


@dataclass
class NewClaimCheck:
    """What ``check_new_claim`` found; ``warnings`` words it once the new claim has an id."""

    same_source: list[Similar] = field(default_factory=list)
    same_text: list[Similar] = field(default_factory=list)
    similar: list[Similar] = field(default_factory=list)

    def warnings(self, new_id: int) -> list[str]:
        lines = [
            f"claim {s.claim_id} from the same source already says this (added anyway)"
            for s in self.same_source
        ]
        lines += [
            f"claim {s.claim_id} says the same from another source; if it is the same "
            f"claim, run: claims link {new_id} repeats {s.claim_id}"
            for s in self.same_text
        ]
        if self.similar:
            shown = ", ".join(f"{s.claim_id} ({s.score:.0f})" for s in self.similar)
            lines.append(f"similar claims (id and score): {shown}; see 'claims similar {new_id}'")
        return lines


def check_new_claim(
    session: Session, text: str, source_id: int, *, force: bool = False
) -> NewClaimCheck:
    """Refuse ``text`` if its source already holds a claim with the same normalised text
    (unless ``force``); otherwise report same text elsewhere and similar claims."""
    found = similar_to_text(session, text)
    check = NewClaimCheck(
        same_source=[s for s in found if s.same_text and s.source_id == source_id],
        same_text=[s for s in found if s.same_text and s.source_id != source_id],
        similar=[s for s in found if not s.same_text],
    )
    if check.same_source and not force:
        first = check.same_source[0].claim_id
        source_key = session.scalar(
            select(tables.sources.c.key).where(tables.sources.c.id == source_id))
        raise ConflictError(
            f"claim {first} from source {source_key!r} already says this",
            "see 'claims show " + str(first) + "', or add it anyway with --force",
        )
    return check


def similar_to_text(
    session: Session, text: str, *, exclude_id: int | None = None, min_score: float = SIMILAR_SCORE
) -> list[Similar]:
    """Stored claims whose text scores at least ``min_score`` against ``text``, best first.
    Candidates come from the index (any of the longest words), so this stays fast however
    many claims there are; a text with no words at all is compared by exact equality."""
    from rapidfuzz import fuzz

    key = normalise_text(text)
    found = []
    for claim_id, candidate_key, source_id in _candidates(session, key):
        if claim_id == exclude_id:
            continue
        same = candidate_key == key
        score = 100.0 if same else fuzz.token_set_ratio(key, candidate_key)
        if same or score >= min_score:
            found.append(Similar(claim_id, float(score), same, source_id))
    return sorted(found, key=lambda s: (not s.same_text, -s.score, s.claim_id))


def candidate_words(session: Reader, key: str, *, cap: int = RARITY_CAP) -> tuple[list[str], str]:
    """The words of a normalised text that near-duplicates are looked up by, and how they
    combine: up to CANDIDATE_WORDS of its longest words that fewer than ``cap`` claims
    hold, any of them ("OR"); else its two least common words together ("AND"). Words no
    claim holds are no use and left out."""
    index = index_for(session)
    longest = sorted(set(key.split()), key=lambda w: (-len(w), w))[:PROBED_WORDS]
    held: dict[str, int] = {}
    for word in longest:
        match = index.match([word], "AND")
        capped = index.matching(match, with_claims=False).limit(cap).subquery()  # type: ignore[arg-type]
        held[word] = session.scalar(select(func.count()).select_from(capped)) or 0
    present = sorted((w for w in longest if held[w]), key=lambda w: (held[w], -len(w), w))
    rare = [word for word in present if held[word] < cap]
    if rare:
        return rare[:CANDIDATE_WORDS], "OR"
    return present[:2], "AND"


def _candidates(session: Session, key: str) -> list[tuple[int, str, int]]:
    """``(id, normalised text, source id)`` of the claims with this very normalised text
    (by ``text_hash``, however many others share its words), then of the best-ranked
    claims sharing any of its rarest words."""
    rows = {
        claim_id: (claim_id, same_key, source_id)
        for claim_id, source_id, same_key in same_text_claims(session, [key])
    }
    index = index_for(session)
    words, operator = candidate_words(session, key)
    if words:
        match = index.match(words, operator)
        assert match is not None
        ranked = (
            index.matching(match, with_claims=False)  # type: ignore[arg-type]
            .add_columns(index.score(match))  # type: ignore[arg-type]
            .order_by(literal_column("score").desc(), literal_column("id"))
            .limit(CANDIDATE_LIMIT)
        )
        best = [row.id for row in session.execute(ranked) if row.id not in rows]
        texts = session.execute(select(CLAIMS.c.id, CLAIMS.c.text, CLAIMS.c.source_id)
                                .where(CLAIMS.c.id.in_(best))).all()
        for claim_id, text, source_id in texts:
            rows[claim_id] = (claim_id, normalise_text(text), source_id)
    return list(rows.values())
