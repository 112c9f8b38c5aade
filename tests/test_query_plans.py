"""Query plans of the common listings on SQLite: each narrows through an index, never by
reading the whole claims table. At a million claims a full scan is what turns a listing
from milliseconds into seconds (timings themselves live in bench/, not here).

SQLite only: EXPLAIN QUERY PLAN is SQLite's, and PostgreSQL plans by statistics that a
small test database cannot stand for.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Select
from sqlalchemy.orm import Session

import claims
from claims.reads.query import ClaimFilter
from claims.writes import store
from claims.writes.entities import add_entity


@pytest.fixture
def session(sqlite_url: str) -> Iterator[Session]:
    """A small SQLite claims database: two sources, a few entities and claims."""
    database = claims.open_database(sqlite_url)
    with database.write() as writing:
        for key in ("wire", "paper"):
            store.add_source(writing, key, title=f"A {key} story", outlet=key.title())
        add_entity(writing, "Iran", kind="country", aliases=["Tehran", "ایران"])
        add_entity(writing, "Russia", kind="country", aliases=["Россия"])
        add_entity(writing, "Vladimir Putin", kind="person")
        for n in range(12):
            store.add_claim(writing, f"Claim number {n} about a treaty clause {n * 7}",
                            source="wire" if n % 2 else "paper",
                            speaker="Vladimir Putin" if n % 3 == 0 else None,
                            about=["Iran"] if n % 2 else ["Iran", "Russia"],
                            tags=["treaty"] if n % 4 == 0 else [])
    with database.read() as reading:
        yield reading
    database.close()


def plan_of(session: Session, statement: Select[tuple[int]]) -> list[str]:
    # Values written into the SQL: expanding IN lists have no plain placeholder to bind.
    compiled = statement.compile(dialect=session.get_bind().dialect,
                                 compile_kwargs={"literal_binds": True})
    raw = session.connection().connection.driver_connection
    assert raw is not None
    return [row[3] for row in raw.execute(f"EXPLAIN QUERY PLAN {compiled}")]


def scans_of(plan: list[str], table: str) -> list[str]:
    """Plan lines reading every row of ``table`` (SQLite says SCAN, without an index)."""
    return [line for line in plan
            if line.split()[:2] == ["SCAN", table] and "INDEX" not in line]


def test_list_by_entity_reads_the_entity_indexes(session: Session) -> None:
    plan = plan_of(session, ClaimFilter(entity="Tehran", limit=50).select_ids(session))

    assert scans_of(plan, "claims") == [], plan
    assert scans_of(plan, "claim_entities") == [], plan
    assert any("ix_claim_entities_entity_id_claim_id" in line for line in plan), plan
    assert any("ix_claims_speaker_id" in line for line in plan), plan


def test_list_by_entity_with_other_filters_reads_the_entity_indexes(session: Session) -> None:
    claim_filter = ClaimFilter(entity="Iran", statuses=["unverified"], tag="treaty", limit=50)
    plan = plan_of(session, claim_filter.select_ids(session))

    assert scans_of(plan, "claims") == [], plan
    assert any("ix_claim_entities_entity_id_claim_id" in line for line in plan), plan


def test_list_about_several_entities_reads_the_entity_index(session: Session) -> None:
    claim_filter = ClaimFilter(about=["Iran", "Россия"], limit=50)
    plan = plan_of(session, claim_filter.select_ids(session))

    assert scans_of(plan, "claims") == [], plan
    assert any("ix_claim_entities_entity_id_claim_id" in line for line in plan), plan


def test_list_by_speaker_reads_the_speaker_index(session: Session) -> None:
    plan = plan_of(session, ClaimFilter(speaker="Vladimir Putin", limit=50).select_ids(session))

    assert scans_of(plan, "claims") == [], plan
    assert any("ix_claims_speaker_id" in line for line in plan), plan


def test_list_by_tag_reads_the_tag_index(session: Session) -> None:
    plan = plan_of(session, ClaimFilter(tag="treaty", limit=50).select_ids(session))

    assert scans_of(plan, "claims") == [], plan
    assert any("ix_claim_tags_tag_claim_id" in line for line in plan), plan


def test_the_planned_query_still_answers_the_question(session: Session) -> None:
    """The plan checks above are only worth something if the query is the right one."""
    from claims.reads.query import list_claims

    by_alias = list_claims(session, ClaimFilter(entity="ایران", limit=50))
    spoken = list_claims(session, ClaimFilter(speaker="Vladimir Putin"))

    assert len(by_alias) == 12
    assert [r["id"] for r in by_alias] == sorted(r["id"] for r in by_alias)
    assert {r["speaker"] for r in spoken} == {"Vladimir Putin"}
    assert len(spoken) == 4


def test_entity_listing_pages_through_every_claim_once(session: Session) -> None:
    """With --limit and no other filter the entity query stops early; pages still tile."""
    from claims.reads.query import list_claims

    pages = [list_claims(session, ClaimFilter(entity="Iran", limit=5, offset=start))
             for start in (0, 5, 10)]
    everything = list_claims(session, ClaimFilter(entity="Iran"))

    assert [r["id"] for page in pages for r in page] == [r["id"] for r in everything]
    assert [len(page) for page in pages] == [5, 5, 2]
