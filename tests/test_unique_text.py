""""Same source, same normalised text" holds under concurrent writers on both engines
(revision 0006's unique index), --force still adds a twin, and the revision keeps the
duplicates an older database already holds."""

from __future__ import annotations

import json
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

import claims
from claims.database.engine import make_engine, resolve_url
from claims.database.migrate import migrate
from claims.schema.models import Claim
from claims.writes import store
from tests.conftest import Cli
from tests.test_concurrency import SPAWN, claims_cli, run_processes

SOURCE = "wire-1"
IMPORTERS = 2
RECORDS = 600
ADDERS = 4


def _with_source(url: str) -> None:
    Cli(url).ok("source", "add", SOURCE, "--outlet", "Wire", "--title", "Wire copy")


def _count(url: str) -> int:
    db = claims.open_database(url)
    try:
        with db.read() as session:
            return int(session.scalar(select(func.count()).select_from(Claim)) or 0)
    finally:
        db.close()


def cli_after_barrier(url: str, args: tuple[str, ...], barrier: Barrier) -> tuple[int, str]:
    barrier.wait()
    done = claims_cli(url, *args)
    return done.returncode, done.stderr


def _run_together(url: str, args: tuple[str, ...], count: int) -> list[tuple[int, str]]:
    barrier = SPAWN.Barrier(count)
    return run_processes(cli_after_barrier, [(url, args, barrier)] * count)


def test_concurrent_adds_of_one_text_leave_one_claim(db_url: str) -> None:
    _with_source(db_url)
    results = _run_together(db_url, ("add", "The reactor is 17% complete", "--source", SOURCE),
                            ADDERS)
    assert _count(db_url) == 1
    assert sum(code == 0 for code, _ in results) == 1
    for code, stderr in results:
        if code:
            assert code == 1 and len(stderr.strip().splitlines()) == 1, stderr
            assert "already says this" in stderr or "written meanwhile" in stderr, stderr


def test_concurrent_imports_of_one_file_write_it_once(db_url: str, tmp_path: Path) -> None:
    _with_source(db_url)
    path = tmp_path / "same.jsonl"
    path.write_text("".join(json.dumps({"text": f"Imported claim number {i}", "source": SOURCE})
                            + "\n" for i in range(RECORDS)))
    results = _run_together(db_url, ("import", str(path)), IMPORTERS)
    assert _count(db_url) == RECORDS
    for code, stderr in results:  # the later one matched the earlier one's claims, or said so
        assert code == 0 or (code == 1 and len(stderr.strip().splitlines()) == 1), stderr


def test_force_adds_a_numbered_twin_and_the_index_still_refuses_a_third_copy_0(
        db: claims.Database) -> None:
    with db.write() as session:
        store.add_source(session, SOURCE, title="Wire copy", outlet="Wire")
        first = store.add_claim(session, "Same words", source=SOURCE).claim.id
        second = store.add_claim(session, "same  words!", source=SOURCE, force=True).claim.id
        third = store.add_claim(session, "Same words.", source=SOURCE, force=True).claim.id
    with db.read() as session:
        copies = dict(session.execute(select(Claim.id, Claim.text_copy)).all())
    assert copies == {first: 0, second: 1, third: 2}
    # Bypassing the library's check, the database itself refuses a second copy 0.
    try:
        with db.write() as session:
            session.execute(text("UPDATE claims SET text_copy = 0 WHERE id = :id"),
                            {"id": second})
    except claims.ConflictError as exc:
        assert "written meanwhile" in str(exc)
    else:
        raise AssertionError("the unique index let a duplicate through")


def test_revision_0006_numbers_existing_duplicates_and_downgrades(blank_db_url: str) -> None:
    engine = make_engine(resolve_url(blank_db_url))
    migrate(engine, "0003")
    from claims.parse import text_hash

    now = "2025-01-02 03:04:05"
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO sources (id, key, title, outlet, kind, created_at) "
                          "VALUES (1, 'wire-1', 'Wire', 'Wire', 'article', :now)"), {"now": now})
        for claim_id, claim_text in [(1, "Twice said"), (2, "twice SAID"), (3, "Once"),
                                     (4, "Twice said.")]:
            conn.execute(text("INSERT INTO claims (id, text, text_hash, source_id, created_at,"
                              " updated_at) VALUES (:id, :t, :h, 1, :now, :now)"),
                         {"id": claim_id, "t": claim_text, "h": text_hash(claim_text),
                          "now": now})
    migrate(engine, "0006")
    with engine.connect() as conn:
        copies = dict(conn.execute(text("SELECT id, text_copy FROM claims")).all())
    assert copies == {1: 0, 2: 1, 3: 0, 4: 2}
    migrate(engine, "0003")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM claims")).scalar() == 4
    engine.dispose()


def test_a_claim_looked_for_and_not_found_is_never_numbered_past_a_stored_twin(
        db: claims.Database) -> None:
    # The race of two imports of one file on PostgreSQL: the second looked for the text
    # before the first committed, and numbers its copy after the first has. It must take
    # copy 0, which the unique index refuses, not write a twin nobody asked for.
    from claims.parse import text_hash
    from claims.schema.uniqueness import next_copies

    with db.write() as session:
        source_id = store.add_source(session, SOURCE, title="Wire copy", outlet="Wire").id
        store.add_claim(session, "Said once", source=SOURCE)
    key = (source_id, text_hash("Said once"))
    other = (source_id, text_hash("Not stored"))
    with db.read() as session:
        assert next_copies(session, [key, other], [True, True]) == [0, 0]
        # With an external id it is a twin by design (as --force): after the stored one.
        assert next_copies(session, [key, other], [False, False]) == [1, 0]
        # Repeats within the batch still count, stored or not.
        assert next_copies(session, [key, key, key], [False, True, False]) == [1, 2, 3]
    with pytest.raises(claims.ConflictError, match="written meanwhile"), \
            db.write() as session:
        session.execute(text("INSERT INTO claims (text, text_hash, text_copy, source_id, "
                             "created_at, updated_at) VALUES ('Said once', :h, :copy, :s, "
                             "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"),
                        {"h": key[1], "copy": next_copies(session, [key], [True])[0],
                         "s": source_id})
