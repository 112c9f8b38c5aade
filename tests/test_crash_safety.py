"""A process killed mid-write leaves a sound database, and backups are consistent copies."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select, text

import claims
from claims.schema.models import Claim, StatusEvent
from claims.writes import store
from tests.conftest import Cli, snapshot

RECORDS = 20_000  # enough that the import is still running when it is killed
WAIT_S = 120


def write_import_file(path: Path) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for i in range(RECORDS):
            out.write(json.dumps({
                "text": f"Imported claim {i} about reservoir {i % 97}", "source": "desk",
                "external_id": f"imp-{i}", "about": [f"Region {i % 50}"], "tag": ["bulk"],
                "status": "unverified",
            }) + "\n")
    return path


def import_is_writing(url: str) -> bool:
    """Whether the importer holds the write lock yet, i.e. is part-way through its writes."""
    database = claims.open_database(url)
    try:
        if database.dialect == "sqlite":
            probe = sqlite3.connect(database.url.database or "", timeout=0, isolation_level=None)
            try:
                probe.execute("BEGIN IMMEDIATE")
                probe.execute("ROLLBACK")
                return False
            except sqlite3.OperationalError:
                return True
            finally:
                probe.close()
        with database.engine.connect() as conn:
            return bool(conn.execute(text(
                "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                "WHERE c.relname = 'claims' AND l.mode = 'RowExclusiveLock' "
                "AND l.pid <> pg_backend_pid()")).scalar())
    finally:
        database.close()


def start_import(url: str, path: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "claims", "import", str(path)],
                            env={**os.environ, "CLAIMS_DB": url}, text=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def kill_part_way(url: str, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + WAIT_S
    while not import_is_writing(url):
        assert proc.poll() is None, f"import ended before it was killed: {proc.stderr}"
        assert time.monotonic() < deadline, "import never started writing"
        time.sleep(0.05)
    time.sleep(0.5)  # let it get well into its writes
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=WAIT_S)
    assert proc.returncode == -signal.SIGKILL, "the import finished before the kill"


def assert_sound(url: str) -> None:
    database = claims.open_database(url)
    try:
        if database.dialect == "sqlite":
            with database.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
                assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
        with database.read() as session:
            # Every claim has its history and points at its latest row.
            orphans = session.scalar(select(func.count()).where(Claim.status_event_id.is_(None)))
            assert orphans == 0
    finally:
        database.close()


def imported_ids(url: str) -> list[str]:
    database = claims.open_database(url)
    try:
        with database.read() as session:
            return list(session.scalars(select(Claim.external_id)
                                        .where(Claim.external_id.like("imp-%"))))
    finally:
        database.close()


def test_import_killed_part_way_leaves_nothing_half_done(cli: Cli, tmp_path: Path) -> None:
    cli.ok("seed")
    cli.ok("source", "add", "desk", "--outlet", "Desk", "--title", "Desk notes")
    data = write_import_file(tmp_path / "bulk.jsonl")
    before = snapshot(cli.url)

    kill_part_way(cli.url, start_import(cli.url, data))

    assert_sound(cli.url)
    assert snapshot(cli.url) == before  # not one record, entity or tag of the import
    again = start_import(cli.url, data)
    _, err = again.communicate(timeout=WAIT_S * 3)
    assert again.returncode == 0, err
    assert_sound(cli.url)
    ids = imported_ids(cli.url)
    assert len(ids) == len(set(ids)) == RECORDS
    # Importing the same file once more matches every record to the stored claim.
    cli.ok("import", str(data))
    assert len(imported_ids(cli.url)) == RECORDS


# --- backups ----------------------------------------------------------------------------------


def keep_writing(url: str, seconds: float) -> int:
    """Add claims one transaction at a time for a while (run in a subprocess)."""
    database = claims.open_database(url)
    added = 0
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        with database.write() as session:
            claim = store.add_claim(session, f"Busy writer claim {added}", source="desk").claim
            store.set_status(session, claim.id, "false", note="checked")
        added += 1
    database.close()
    return added


WRITER = ("import sys; from tests.test_crash_safety import keep_writing; "
          "print(keep_writing(sys.argv[1], float(sys.argv[2])))")


def test_backup_is_consistent_while_others_write(sqlite_url: str, tmp_path: Path) -> None:
    cli = Cli(sqlite_url)
    cli.ok("seed")
    cli.ok("source", "add", "desk", "--outlet", "Desk", "--title", "Desk notes")
    writer = subprocess.Popen([sys.executable, "-c", WRITER, sqlite_url, "6"],
                              cwd=Path(__file__).parent.parent, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    copies = []
    for n in range(3):
        time.sleep(1)
        copies.append(Path(cli.ok("db", "backup", str(tmp_path / f"copy{n}.db")).stdout.strip()))
    out, err = writer.communicate(timeout=WAIT_S)
    assert writer.returncode == 0, err
    assert int(out) > 0

    counts = []
    for copy in copies:
        assert_sound(str(copy))
        database = claims.open_database(copy)
        with database.read() as session:
            busy = session.scalar(select(func.count()).where(Claim.text.like("Busy writer%")))
            checked = session.scalar(select(func.count()).where(StatusEvent.note == "checked"))
        database.close()
        assert busy == checked  # each writer transaction is in the copy whole, or not at all
        counts.append(busy)
    assert counts == sorted(counts)


def test_backup_never_overwrites(sqlite_url: str, tmp_path: Path) -> None:
    cli = Cli(sqlite_url)
    cli.ok("seed")
    existing = tmp_path / "precious.db"
    existing.write_bytes(b"do not touch")
    run = cli("db", "backup", str(existing))
    assert run.exit_code == 1
    assert run.stderr.startswith("Error: ") and "already exists" in run.stderr
    assert existing.read_bytes() == b"do not touch"


def test_backup_of_a_server_database_points_to_pg_dump(pg_url: str, tmp_path: Path) -> None:
    run = Cli(pg_url)("db", "backup", str(tmp_path / "copy.db"))
    assert run.exit_code == 1
    assert "pg_dump" in run.stderr and len(run.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []
