"""Claims that say the same thing: the same normalised text (``parse.normalise_text``,
found by ``claims.text_hash``), and near-duplicates ranked by rapidfuzz. Used by
``store.add_claim`` (its duplicate check), by import (matching records to stored claims)
and by ``claims similar``."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from itertools import combinations
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from claims.errors import ConflictError
from claims.parse import key_hash, normalise_text
from claims.schema import tables
from claims.schema.fulltext import Index, index_for
from claims.schema.sql import Reader, chunks

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

CLAIMS = tables.claims
# token_set_ratio (0-100) at or above which an existing claim is "similar" to a new one.
SIMILAR_SCORE = 80.0
# Near-duplicate candidates come from the words a text shares with stored claims, and the
# rule is the same from either end, so a pair is found from both of its claims: B is a
# candidate of A when they share a *rare* word (fewer than RARITY_CAP stored claims hold
# it, a property of the word, not of A or B), or two common words that fewer than
# RARITY_CAP claims hold together. Each count stops at the cap, so a common word costs
# little to probe, and every candidate set is bounded by the cap per rare word or pair.
# Pairs are formed among at most PAIRED_WORDS common words, the least common first.
RARITY_CAP = 300
PAIRED_WORDS = 6



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
    Candidates come from the index (claims sharing a rare word or a rare pair of words,
    the same rule from either end, so claim A finds B exactly when B finds A), so this
    stays fast however many claims there are."""
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


@dataclass(frozen=True)
class CandidateKeys:
    """What near-duplicates of a text are looked up by: its rare words, and the pairs of
    its common words that are rare together (see RARITY_CAP)."""

    words: list[str]
    pairs: list[tuple[str, str]]

    def __bool__(self) -> bool:
        return bool(self.words or self.pairs)


def candidate_words(session: Reader, key: str, *, cap: int | None = None) -> CandidateKeys:
    """The rare words and rare pairs of common words of a normalised text (``cap``:
    RARITY_CAP). Words no claim holds are no use and left out."""
    cap = RARITY_CAP if cap is None else cap
    index = index_for(session)
    held = {word: _held(session, index, [word], cap) for word in sorted(set(key.split()))}
    rare = [word for word, count in held.items() if 0 < count < cap]
    common = sorted((w for w, count in held.items() if count >= cap),
                    key=lambda w: (held[w], w))[:PAIRED_WORDS]
    pairs = [pair for pair in combinations(sorted(common), 2)
             if _held(session, index, list(pair), cap) < cap]
    return CandidateKeys(rare, pairs)


def _held(session: Reader, index: Index, words: list[str], cap: int) -> int:
    """How many claims hold all of ``words``, counting no further than ``cap``."""
    match = index.match(words, "AND")
    assert match is not None, "words are never empty, so neither is their match"
    capped = index.matching(match, with_claims=False).limit(cap).subquery()
    return session.scalar(select(func.count()).select_from(capped)) or 0


def _candidates(session: Session, key: str) -> list[tuple[int, str, int]]:
    """``(id, normalised text, source id)`` of the claims with this very normalised text
    (by ``text_hash``, however many others share its words), then of every claim holding
    one of its rare words or rare pairs (``candidate_words``)."""
    rows = {
        claim_id: (claim_id, same_key, source_id)
        for claim_id, source_id, same_key in same_text_claims(session, [key])
    }
    index = index_for(session)
    keys = candidate_words(session, key)
    found: set[int] = set()
    for terms in [[word] for word in keys.words] + [list(pair) for pair in keys.pairs]:
        match = index.match(terms, "AND")
        assert match is not None, "terms are never empty, so neither is their match"
        found.update(session.scalars(index.matching(match, with_claims=False)))
    wanted = sorted(found - set(rows))
    for chunk in chunks(wanted):
        texts = session.execute(select(CLAIMS.c.id, CLAIMS.c.text, CLAIMS.c.source_id)
                                .where(CLAIMS.c.id.in_(chunk)))
        for claim_id, text, source_id in texts:
            rows[claim_id] = (claim_id, normalise_text(text), source_id)
    return list(rows.values())
