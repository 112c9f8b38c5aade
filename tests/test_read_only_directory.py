"""A database in a directory that cannot be written (issue 16): read commands work where
SQLite can read, writes say in one line whether the file or its directory is read-only,
and nothing is written.

The directory is made read-only with chmod and the commands run in a subprocess without
privileges (as root, without any capability: CAP_DAC_OVERRIDE would let root write
anyway), so the permission check is the kernel's, not a mock's."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import claims
from tests.test_database_errors import assert_one_clear_line, files_in, run_unprivileged

READ_ONLY = stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH
SOURCE = "menafn-putin-iran-treaty"

# A read command, and a text its output must hold.
READS = [
    (("list", "--format", "json"), "Vladimir Putin"),
    (("show", "1"), "Comprehensive Strategic Partnership"),
    (("search", "treaty"), "treaty"),
    (("stats",), "Iran"),
    (("export", "--format", "jsonl"), '"type": "claim"'),
    (("source", "show", SOURCE), "MENAFN"),
    (("entity", "list"), "Vladimir Putin"),
    (("figure", "list"), ""),
    (("due",), ""),
    (("db", "check"), "integrity: ok"),
    (("db", "current"), "0"),
]
WRITES = [
    ("add", "A new claim", "--source", SOURCE),
    ("status", "1", "false"),
    ("edit", "1", "--due", "2030-01-01"),
    ("entity", "add", "Someone new", "--kind", "person"),
    ("import", "-", "--format", "jsonl"),
]


@pytest.fixture
def folder(backend: str, tmp_path: Path, sqlite_templates: dict[str, Path]) -> Iterator[Path]:
    """A directory holding the seeded database, made read-only for the test's commands."""
    if backend != "sqlite":
        pytest.skip("SQLite only: a PostgreSQL database's files belong to its server, "
                    "which has no read-only directory to open")
    here = tmp_path / "shared"
    here.mkdir()
    shutil.copyfile(sqlite_templates["seeded"], here / "claims.db")
    claims.open_database(here / "claims.db").close()  # the WAL is checkpointed and removed
    yield here
    here.chmod(stat.S_IRWXU)  # so that pytest can clean up


def _lock(folder: Path) -> dict[str, str]:
    folder.chmod(READ_ONLY)
    return files_in(folder)


@pytest.mark.parametrize(("args", "wanted"), READS, ids=lambda a: " ".join(a[:2]))
def test_read_commands_work_in_a_read_only_directory(
        folder: Path, args: tuple[str, ...], wanted: str) -> None:
    before = _lock(folder)
    run = run_unprivileged(folder / "claims.db", *args)
    assert run.returncode == 0, run.stderr
    assert wanted in run.stdout
    assert run.stderr == ""
    assert files_in(folder) == before  # no -wal, -shm or journal was made, nothing changed


def test_listing_is_the_same_as_from_a_writable_directory(folder: Path) -> None:
    writable = run_unprivileged(folder / "claims.db", "list", "--format", "json")
    _lock(folder)
    read_only = run_unprivileged(folder / "claims.db", "list", "--format", "json")
    assert read_only.returncode == 0, read_only.stderr
    assert json.loads(read_only.stdout) == json.loads(writable.stdout)
    assert len(json.loads(read_only.stdout)) > 5


@pytest.mark.parametrize("args", WRITES, ids=lambda a: " ".join(a[:2]))
def test_a_write_names_the_directory(folder: Path, args: tuple[str, ...]) -> None:
    before = _lock(folder)
    run = subprocess.run(
        [*_prefix(), sys.executable, "-m", "claims", *args],
        env={**os.environ, "CLAIMS_DB": str(folder / "claims.db")}, capture_output=True,
        text=True, timeout=120, cwd=folder.parent,
        input=json.dumps({"type": "claim", "text": "Imported", "source": SOURCE}) + "\n",
    )
    assert run.returncode == 1
    assert_one_clear_line(run.stderr, "directory", "read-only", str(folder))
    assert "database file" not in run.stderr  # the file itself is writable: not its fault
    assert files_in(folder) == before


def test_a_write_names_both_when_file_and_directory_are_read_only(folder: Path) -> None:
    (folder / "claims.db").chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    before = _lock(folder)
    run = run_unprivileged(folder / "claims.db", "add", "New", "--source", SOURCE)
    assert run.returncode == 1
    assert_one_clear_line(run.stderr, "file", "directory", "both read-only")
    listed = run_unprivileged(folder / "claims.db", "list", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    assert files_in(folder) == before


def test_rows_still_in_the_wal_are_read(folder: Path) -> None:
    """A writer with access left a -wal behind (it died before its checkpoint): a reader in
    the now read-only directory sees its rows, not only what the main file holds."""
    script = (
        "import os, sqlite3, sys\n"
        "conn = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "conn.execute('PRAGMA wal_autocheckpoint = 0')\n"
        "conn.execute(\"UPDATE claims SET text = 'Only in the WAL' WHERE id = 1\")\n"
        "os._exit(0)\n"  # no close, no checkpoint: the -wal and -shm stay
    )
    subprocess.run([sys.executable, "-c", script, str(folder / "claims.db")], check=True)
    assert (folder / "claims.db-wal").stat().st_size > 0
    main_file = _lock(folder)["claims.db"]
    run = run_unprivileged(folder / "claims.db", "show", "1")
    assert run.returncode == 0, run.stderr
    assert "Only in the WAL" in run.stdout
    assert files_in(folder)["claims.db"] == main_file


def test_the_library_reads_a_read_only_directory(folder: Path) -> None:
    """What the CLI does is one keyword of open_database; without it, the open fails."""
    script = (
        "import sys, claims\n"
        "from claims.errors import DatabaseError\n"
        "database = claims.open_database(sys.argv[1], only_reads=True)\n"
        "with database.connect() as conn:\n"
        "    print(conn.exec_driver_sql('SELECT count(*) FROM claims').scalar())\n"
        "try:\n"
        "    claims.open_database(sys.argv[1])\n"
        "except DatabaseError as exc:\n"
        "    print(exc)\n"
    )
    before = _lock(folder)
    run = subprocess.run([*_prefix(), sys.executable, "-c", script, str(folder / "claims.db")],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    count, refusal = run.stdout.splitlines()
    assert int(count) > 5
    assert "directory" in refusal and "read-only" in refusal
    assert files_in(folder) == before


def _prefix() -> list[str]:
    from tests.test_database_errors import _without_privileges

    return _without_privileges()


def test_a_backup_can_be_taken_from_a_read_only_directory(folder: Path) -> None:
    before = _lock(folder)
    target = folder.parent / "copy.db"
    run = run_unprivileged(folder / "claims.db", "db", "backup", str(target))
    assert run.returncode == 0, run.stderr
    assert files_in(folder) == before
    copied = run_unprivileged(target, "list", "--format", "json")
    original = run_unprivileged(folder / "claims.db", "list", "--format", "json")
    assert json.loads(copied.stdout) == json.loads(original.stdout)
