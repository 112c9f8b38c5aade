"""A CLAIMS_DB that cannot be used: one clear line, a non-zero exit, nothing created or
damaged, no traceback, and never a password on screen."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

import claims
from claims.database.engine import make_engine, resolve_url
from claims.schema.models import Base
from tests.conftest import Cli

# Commands that open the database for reading, for writing, or to manage it.
COMMANDS = [
    ("list",),
    ("add", "A claim", "--source", "wire-1"),
    ("seed",),
    ("db", "upgrade"),
    ("db", "backup", "never-written.db"),
]
UNREACHABLE = "postgresql+psycopg://u:s3cretpw@127.0.0.1:1/x"


def assert_one_clear_line(run_stderr: str, *wanted: str) -> None:
    lines = run_stderr.strip().splitlines()
    assert len(lines) == 1, run_stderr
    assert lines[0].startswith("Error: "), run_stderr
    assert "Traceback" not in run_stderr
    for word in wanted:
        assert word in lines[0], run_stderr


def files_in(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_missing_directory(tmp_path: Path, args: tuple[str, ...],
                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    cli = Cli(str(tmp_path / "no-such-dir" / "claims.db"))
    run = cli(*args)
    assert run.exit_code == 1
    assert_one_clear_line(run.stderr, "does not exist", "no-such-dir")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_file_that_is_not_a_database(tmp_path: Path, args: tuple[str, ...],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    notes = tmp_path / "notes.txt"
    notes.write_text("Shopping list: milk, eggs, a claims database.\n" * 200)
    before = files_in(tmp_path)
    run = Cli(str(notes))(*args)
    assert run.exit_code == 1
    assert_one_clear_line(run.stderr, "not a database")
    assert files_in(tmp_path) == before


# A backup is a byte copy and may be taken of any claims database, so it is not refused here.
@pytest.mark.parametrize("args", COMMANDS[:-1], ids=lambda a: " ".join(a[:2]))
def test_newer_schema_than_this_version_knows(db_url: str, args: tuple[str, ...],
                                              tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Cli(db_url).ok("source", "add", "wire-1", "--outlet", "Wire", "--title", "Copy")
    engine = make_engine(resolve_url(db_url))
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'f00dfeed9999'"))
    before = raw_rows(engine)

    run = Cli(db_url)(*args)

    assert run.exit_code == 1
    assert_one_clear_line(run.stderr, "f00dfeed9999", "newer")
    assert raw_rows(engine) == before
    engine.dispose()


def raw_rows(engine: object) -> dict[str, list[tuple[object, ...]]]:
    """Every row, read without claims.open_database (which refuses a newer schema)."""
    with engine.connect() as conn:  # type: ignore[attr-defined]
        tables = {t.name: sorted(map(tuple, conn.execute(t.select())), key=repr)
                  for t in Base.metadata.sorted_tables}
        tables["alembic_version"] = list(map(tuple, conn.execute(
            text("SELECT version_num FROM alembic_version"))))
    return tables


@pytest.mark.parametrize("args", [*COMMANDS, ("db", "current")], ids=lambda a: " ".join(a[:2]))
def test_unreachable_server_never_shows_the_password(tmp_path: Path, args: tuple[str, ...],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    run = Cli(UNREACHABLE)(*args)
    assert run.exit_code == 1
    assert_one_clear_line(run.stderr, "127.0.0.1")
    assert "s3cretpw" not in run.stdout + run.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("url", [
    UNREACHABLE,
    "postgresql+psycopg://u@127.0.0.1:1/x?password=s3cretpw",
    "mysql://u:s3cretpw@127.0.0.1:1/x",
])
def test_no_command_prints_a_password(url: str) -> None:
    path = Cli(url).ok("db", "path").stdout
    assert "s3cretpw" not in path and "***" in path
    run = Cli(url)("list")
    assert run.exit_code == 1
    assert_one_clear_line(run.stderr)
    assert "s3cretpw" not in run.stdout + run.stderr


# --- a read-only file --------------------------------------------------------------------------


def _without_privileges() -> list[str]:
    """A command prefix under which file permissions apply. Root ignores them, so as root
    drop every capability (CAP_DAC_OVERRIDE is what lets root write a 0444 file)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without util-linux's setpriv: cannot make a file "
                    "read-only for this process")
    return [setpriv, "--inh-caps=-all", "--ambient-caps=-all", "--bounding-set=-all", "--"]


def run_unprivileged(db_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*_without_privileges(), sys.executable, "-m", "claims", *args],
        env={**os.environ, "CLAIMS_DB": str(db_path)}, capture_output=True, text=True,
        timeout=120, cwd=db_path.parent,
    )


def test_read_only_file_can_be_read_but_not_written(sqlite_url: str) -> None:
    db_path = Path(sqlite_url)
    Cli(sqlite_url).ok("seed")
    claims.open_database(sqlite_url).close()  # checkpoints the WAL into the file
    for path in db_path.parent.iterdir():
        path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    before = files_in(db_path.parent)[db_path.name]

    listed = run_unprivileged(db_path, "list", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    assert "Vladimir Putin" in listed.stdout

    for args in (("add", "New", "--source", "menafn-putin-iran-treaty"), ("status", "1", "false")):
        run = run_unprivileged(db_path, *args)
        assert run.returncode == 1
        assert_one_clear_line(run.stderr)
        assert "read" in run.stderr.lower() or "denied" in run.stderr.lower(), run.stderr
    # SQLite may add its -wal/-shm side files to read a WAL database; the database is untouched.
    assert files_in(db_path.parent)[db_path.name] == before
