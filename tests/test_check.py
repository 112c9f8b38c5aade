"""claims db check: the engine's integrity and foreign-key checks and the library's own
invariants, with --repair for the hashes and the full-text index."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

import claims
from claims.database.check import check_database
from tests.conftest import Cli


def _sql(url: str, *statements: str) -> None:
    database = claims.open_database(url)
    try:
        with database.engine.begin() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        database.close()


def test_a_sound_database_passes_every_check(seeded: Cli) -> None:
    run = seeded("db", "check")
    assert run.exit_code == 0, run.stderr
    assert [line.split(":")[0] for line in run.stdout.splitlines()] == [
        "integrity", "foreign keys", "status events", "text hashes", "due-date statuses",
        "full-text index"]
    assert all(line.endswith(": ok") for line in run.stdout.splitlines())


def test_wrong_hashes_are_found_and_repaired(seeded: Cli) -> None:
    _sql(seeded.url, "UPDATE claims SET text_hash = 12345 + id WHERE id IN (3, 4)")
    run = seeded("db", "check")
    assert run.exit_code == 1 and "text hashes: FAILED (claim 3; claim 4)" in run.stdout
    assert run.stderr.startswith("Error: ") and "--repair" in run.stderr
    assert seeded("db", "check", "--repair").exit_code == 0
    assert seeded.ok("db", "check").stdout.count(": ok") == 6


def test_a_status_event_of_another_claim_is_found(seeded: Cli) -> None:
    _sql(seeded.url, "UPDATE status_history SET claim_id = 1 WHERE id = "
                     "(SELECT status_event_id FROM claims WHERE id = 2)")
    run = seeded("db", "check", "--repair")  # not something a repair may guess at
    assert run.exit_code == 1 and "claim 2's status belongs to claim 1" in run.stdout


def test_an_fts_index_out_of_step_is_found_and_rebuilt(seeded: Cli, backend: str) -> None:
    if backend != "sqlite":
        pytest.skip("PostgreSQL's search vector is a generated column: it cannot drift")
    _sql(seeded.url, "DROP TRIGGER claims_fts_after_update",
         "UPDATE claims SET text = 'rewritten behind the index' WHERE id = 5")
    run = seeded("db", "check")
    assert run.exit_code == 1 and "full-text index: FAILED" in run.stdout
    assert "claims_fts_after_update missing" in run.stdout
    seeded.ok("db", "upgrade")


def test_repair_rebuilds_the_fts_index(seeded: Cli, backend: str) -> None:
    if backend != "sqlite":
        pytest.skip("SQLite's FTS5 index only")
    _sql(seeded.url, "INSERT INTO claims_fts (claims_fts, rowid, text, quote) "
                     "SELECT 'delete', id, text, quote FROM claims WHERE id = 6")
    assert seeded("db", "check").exit_code == 1
    seeded.ok("db", "check", "--repair")
    assert seeded.ok("db", "check").stdout.count(": ok") == 6


def test_random_overwrites_are_caught(seeded: Cli, backend: str) -> None:
    if backend != "sqlite":
        pytest.skip("overwriting a server's files is not a test we can run")
    path = Path(seeded.url)
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(2 * page + 100, len(data) - page, 7 * page):
        data[offset:offset + 200] = b"\xa5" * 200
    path.write_bytes(bytes(data))
    run = seeded("db", "check")
    assert run.exit_code == 1
    assert "FAILED" in run.stdout or run.stderr.startswith("Error: "), run.stdout + run.stderr
    assert "unexpected" not in run.stderr


def test_library_call_reports_the_same(db: claims.Database) -> None:
    report = check_database(db)
    assert report.ok and [f.name for f in report.findings][-1] == "full-text index"


def test_a_claim_whose_status_was_deleted_outside_is_still_read_and_named(seeded: Cli) -> None:
    _sql(seeded.url, "DELETE FROM status_history WHERE id = "
                     "(SELECT status_event_id FROM claims WHERE id = 1)")
    assert "claim 1 has no status" in seeded("db", "check").stdout
    shown = json.loads(seeded.ok("show", "1", "--format", "json").stdout)
    assert (shown["id"], shown["status"], shown["rating"]) == (1, None, None)
    listed = json.loads(seeded.ok("list", "--format", "json", "--limit", "100").stdout)
    assert [row["status"] for row in listed if row["id"] == 1] == [None]
    seeded.ok("edit", "1", "--due", "2024-10-31")
    seeded.ok("status", "1", "disputed")  # a new status event mends it
    assert "status events: ok" in seeded.ok("db", "check").stdout
