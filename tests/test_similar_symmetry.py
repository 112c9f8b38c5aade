"""``claims similar`` finds a pair from both of its claims, with the same score."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims.database.engine import Database
from claims.reads import duplicates
from claims.search import ranking as search
from claims.writes import store

# A few words common to the background claims, a few rare ones, in several scripts.
COMMON = ["iran", "said", "the", "treaty", "russia", "talks"]
RARE = ["bushehr", "units", "17%", "complete", "Тегеран", "ایران", "enriched", "uranium",
        "2030", "fordow"]
BACKGROUND = [
    "Iran said the treaty with Russia holds",
    "Russia said the talks with Iran went well",
    "The treaty talks: Iran and Russia said little",
    "Iran said the talks on the treaty were over",
    "Russia and Iran said the treaty talks resume",
    "The talks, Iran said, concern the treaty with Russia",
]
CAP = 4  # a word in 4 or more claims is common here, as one in RARITY_CAP is in a big one


class Discard(Exception):
    """Raised to roll back one example's claims."""


@pytest.fixture
def background(db: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    monkeypatch.setattr(duplicates, "RARITY_CAP", CAP)
    with db.write() as session:
        store.add_source(session, "desk", title="Desk", outlet="Desk")
        for text in BACKGROUND:
            store.add_claim(session, text, source="desk")
    yield db


texts = st.lists(st.sampled_from(COMMON + RARE), min_size=1, max_size=8).map(" ".join)


def found_from(session: object, claim_id: int) -> dict[int, float]:
    rows = search.similar_claims(session, claim_id, min_score=0)  # type: ignore[arg-type]
    return {row["id"]: row["score"] for row in rows}


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=texts, second=texts)
def test_a_similar_pair_is_found_from_both_ends(
    background: Database, first: str, second: str
) -> None:
    try:
        with background.write() as session:
            a = store.add_claim(session, first, source="desk", force=True).claim.id
            b = store.add_claim(session, second, source="desk", force=True).claim.id
            from_a, from_b = found_from(session, a), found_from(session, b)
            assert (b in from_a) == (a in from_b)
            if b in from_a:
                assert from_a[b] == from_b[a]
            # Every other claim too: the relation holds for the background's pairs.
            for other in from_a:
                assert a in found_from(session, other)
            raise Discard
    except Discard:
        pass


def test_the_readme_pair_is_found_from_both_ends(background: Database) -> None:
    """The README tour's case: a short text whose words are all in a longer one."""
    with background.write() as session:
        store.add_source(session, "wire", title="Wire", outlet="Wire")
        long = store.add_claim(session, "Construction of additional reactors at Bushehr "
                               "continues, with Units 2 and 3 reported to be 17% complete.",
                               source="wire").claim.id
        short = store.add_claim(session, "Bushehr units 2 and 3 are 17% complete.",
                                source="desk").claim.id
        assert found_from(session, short)[long] == found_from(session, long)[short] == 94.3
