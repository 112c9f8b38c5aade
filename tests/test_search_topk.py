"""A common word's page from candidates (``claims.search.topk``, revision 0014) is the full
ranking's page: the same claims in the same order with the same scores and snippets, on
both engines, on the benchmark's generated data and on claims spread over many id buckets.
The full ranking is the same search with no limit, sliced."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, text

from claims.database.copy import copy_database
from claims.database.engine import (
    SCHEMA_HEAD,
    Database,
    current_revision,
    make_engine,
    open_database,
    resolve_url,
)
from claims.database.migrate import migrate
from claims.reads.query import ClaimFilter
from claims.reads.records import Record
from claims.search.ranking import search_claims
from claims.writes import store

sys.path.insert(0, str(Path(__file__).parents[1] / "bench"))
import generate

GENERATED_CLAIMS = 3_000
WORDS = [generate.SEARCH_WORD, "iran", "nuclear", "access", "talks"]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The benchmark's generator at test size: fewer sources and entities, same claims."""
    path = tmp_path_factory.mktemp("generated") / "claims.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(generate, "N_SOURCES", 300)
        patch.setattr(generate, "N_ENTITIES", 300)
        generate.generate(path, GENERATED_CLAIMS)
    return path


@pytest.fixture
def bench_db(generated: Path, backend: str, tmp_path: Path,
             blank_db_url: str) -> Iterator[Database]:
    """The generated claims on each engine (copied into PostgreSQL by ``claims db copy``)."""
    if backend == "sqlite":
        url = str(generated)
    else:
        copy_database(generated, blank_db_url)
        url = blank_db_url
    database = open_database(url)
    yield database
    database.close()


def page(db: Database, word: str, offset: int, limit: int | None) -> list[Record]:
    with db.connect() as conn:
        return search_claims(conn, word, ClaimFilter(limit=limit, offset=offset))


def statements_of(db: Database, word: str, offset: int, limit: int) -> list[str]:
    seen: list[str] = []

    def remember(_conn: object, _cursor: object, sql: str, *_: object) -> None:
        seen.append(sql)

    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        page(db, word, offset, limit)
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
    return seen


def used_candidates(db: Database, word: str, offset: int, limit: int) -> bool:
    return any("claims_search_keys" in sql for sql in statements_of(db, word, offset, limit))


def test_generated_data_pages_equal_the_full_ranking(bench_db: Database) -> None:
    for word in WORDS:
        full = page(bench_db, word, 0, None)
        assert len(full) > 20, word  # common words, as the benchmark's
        for offset, limit in [(0, 50), (0, 5), (3, 7), (10, 10), (len(full) - 4, 10)]:
            assert page(bench_db, word, offset, limit) == full[offset:offset + limit], (
                word, offset, limit)
    # PostgreSQL took the candidates' path; SQLite ranks every match (see claims.search.topk).
    assert used_candidates(bench_db, generate.SEARCH_WORD, 0, 50) == (
        bench_db.dialect == "postgresql")
    # Phrases, several words and words outside ASCII letters are ranked in full.
    with bench_db.connect() as conn:
        ranked = search_claims(conn, "iran talks", ClaimFilter(limit=5))
        assert ranked == search_claims(conn, "iran talks", ClaimFilter())[:5]
    assert not used_candidates(bench_db, "iran talks", 0, 5)
    assert not used_candidates(bench_db, "Téhéran", 0, 5)


# --- claims over many id buckets, every kind of match (PostgreSQL's index) -----------------

# (text, quote): the word once in the text, of different lengths; twice; in the quote only;
# in both; and claims without it.
KINDS = [
    ("The centrifuge spun.", None),
    ("A long account of how the centrifuge hall was built and then rebuilt again.", None),
    ("Centrifuge after centrifuge was installed.", None),
    ("Officials toured the plant.", "we saw a centrifuge"),
    ("The centrifuge count rose.", "the centrifuge count"),
    ("Nothing about machines here.", None),
    ("A centrifuge cascade, said the report, was running at Natanz.", None),
]


@pytest.fixture
def spread(db: Database) -> Database:
    """Claims of every kind, their ids jumping across many buckets of 16,384 ids (on
    PostgreSQL; SQLite hands out ids one after another)."""
    with db.write() as session:
        store.add_source(session, "desk", title="Desk", outlet="Desk")
        for n in range(48):
            if db.dialect == "postgresql" and n % 3 == 0:
                session.execute(text("SELECT setval(pg_get_serial_sequence('claims', 'id'), "
                                     "coalesce(max(id), 0) + 9000) FROM claims"))
            claim_text, quote = KINDS[n % len(KINDS)]
            store.add_claim(session, f"{claim_text} ({n})", source="desk", quote=quote)
    return db


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(offset=st.integers(0, 60), limit=st.integers(1, 25))
def test_any_page_over_many_buckets_equals_the_full_ranking(
    spread: Database, offset: int, limit: int
) -> None:
    full = page(spread, "centrifuge", 0, None)
    assert page(spread, "centrifuge", offset, limit) == full[offset:offset + limit]


def test_claims_spread_over_buckets_use_several_of_them(spread: Database) -> None:
    if spread.dialect != "postgresql":
        pytest.skip("the bucket index is PostgreSQL's")
    with spread.connect() as conn:
        buckets = conn.execute(text("SELECT count(DISTINCT id >> 14) FROM claims")).scalar_one()
    assert buckets >= 8
    bucket_reads = [sql for sql in statements_of(spread, "centrifuge", 20, 20)
                    if "claims_search_keys" in sql]
    assert len(bucket_reads) >= 3  # the others, then growing runs of buckets


def test_edits_and_deletes_are_followed(spread: Database) -> None:
    with spread.connect() as conn:
        ids = [r["id"] for r in search_claims(conn, "centrifuge", ClaimFilter(limit=3))]
    with spread.write() as session:
        session.execute(text("UPDATE claims SET text = 'No such machine.' WHERE id = :i"),
                        {"i": ids[0]})
        session.execute(text("UPDATE claims SET quote = 'centrifuge' WHERE id = :i"),
                        {"i": ids[1]})
    full = page(spread, "centrifuge", 0, None)
    assert ids[0] not in [r["id"] for r in full]
    assert page(spread, "centrifuge", 0, 10) == full[:10]


# --- the revision -------------------------------------------------------------------------


def test_0014_indexes_stored_claims_and_downgrades(db_url: str) -> None:
    engine = make_engine(resolve_url(db_url))
    migrate(engine, "0011")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO sources (id, key, title, outlet, kind, created_at) "
                          "VALUES (1, 'old', 'Old', 'Old', 'article', '2025-01-01 00:00:00')"))
        for n in range(1, 31):
            conn.execute(text("INSERT INTO claims (id, text, source_id, created_at, "
                              "updated_at, text_copy) VALUES (:id, :t, 1, '2025-01-01', "
                              "'2025-01-01', 0)"),
                         {"id": n * 5000, "t": f"A centrifuge numbered {n}."})
            conn.execute(text("INSERT INTO status_history (id, claim_id, to_status, at) "
                              "VALUES (:n, :id, 'unverified', '2025-01-01')"),
                         {"n": n, "id": n * 5000})
            conn.execute(text("UPDATE claims SET status_event_id = :n WHERE id = :id"),
                         {"n": n, "id": n * 5000})
    engine.dispose()
    db = open_database(db_url)  # upgrades, with the claims in it
    try:
        assert current_revision(db.engine) == SCHEMA_HEAD
        full = page(db, "centrifuge", 0, None)
        assert [r["id"] for r in full] == [n * 5000 for n in range(1, 31)]  # one score: by id
        assert page(db, "centrifuge", 5, 10) == full[5:15]
        assert used_candidates(db, "centrifuge", 5, 10) == (db.dialect == "postgresql")
    finally:
        db.close()
    engine = make_engine(resolve_url(db_url))
    migrate(engine, "0011")
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM pg_proc "
                                     "WHERE proname = 'claims_search_keys'")).scalar_one() == 0
            assert conn.execute(text("SELECT to_regclass('ix_claims_search_vector_keys')")
                                ).scalar_one() is None
    engine.dispose()


def test_the_library_builds_the_keys_the_revision_indexes() -> None:
    """claims.search.topk writes keys as revision 0014's function does: same separator, same
    bucket width (the revision is SQL text, so compare the two by hand here)."""
    from claims.search import topk

    path = Path(__file__).parents[1] / "migrations" / "versions" / "0014_search_top_keys.py"
    revision = path.read_text(encoding="utf-8")
    assert chr(31) == topk.SEPARATOR and "chr(31)" in revision
    assert f"claim_id >> {topk.BUCKET_BITS})" in revision
