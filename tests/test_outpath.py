"""Every path a command writes follows claims.outpath's rules: never the input, the
database or its side files, nor a directory; FIFOs and devices written in place; symlinks
followed; regular files replaced whole."""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path

import pytest

from tests.conftest import Cli, snapshot

SOURCE = "menafn-putin-iran-treaty"


def _bytes(path: Path) -> bytes:
    return path.read_bytes()


def _input(tmp_path: Path) -> Path:
    path = tmp_path / "victim.jsonl"
    path.write_text(json.dumps({"text": "A claim to import", "source": SOURCE}) + "\n"
                    + "not json\n")
    return path


WRITERS = {
    "export": lambda cli, target, _: cli("export", "-o", str(target)),
    "rejects": lambda cli, target, source: cli("import", str(source), "--skip-invalid",
                                               "--rejects", str(target)),
    "backup": lambda cli, target, _: cli("db", "backup", str(target)),
}


def _sqlite_only(seeded: Cli, backend: str) -> None:
    if backend != "sqlite":
        pytest.skip("the database's own files exist only on SQLite")


@pytest.mark.parametrize("writer", sorted(WRITERS))
@pytest.mark.parametrize("side", ["", "-wal", "-shm", "-journal"])
def test_no_command_writes_over_the_database_or_its_side_files(
        seeded: Cli, backend: str, tmp_path: Path, writer: str, side: str) -> None:
    _sqlite_only(seeded, backend)
    db_file = Path(seeded.url)
    target = db_file.with_name(db_file.name + side)
    before_bytes = _bytes(db_file)
    before = snapshot(seeded.url)
    run = WRITERS[writer](seeded, target, _input(tmp_path))
    assert run.exit_code == 1, run.stderr
    assert run.stderr.startswith("Error: ") and len(run.stderr.strip().splitlines()) == 1
    assert snapshot(seeded.url) == before
    if not side:
        assert _bytes(db_file)[:16] == before_bytes[:16] == b"SQLite format 3\x00"


def test_rejects_never_overwrite_the_input_by_any_name(seeded: Cli, tmp_path: Path) -> None:
    source = _input(tmp_path)
    original = _bytes(source)
    (tmp_path / "hard").hardlink_to(source)
    (tmp_path / "soft").symlink_to(source)
    for name in (str(source), str(tmp_path / "." / "victim.jsonl"), str(tmp_path / "hard"),
                 str(tmp_path / "soft")):
        run = seeded("import", str(source), "--skip-invalid", "--rejects", name)
        assert run.exit_code == 1 and "the file being imported" in run.stderr, run.stderr
        assert _bytes(source) == original


def test_a_directory_is_refused(seeded: Cli, tmp_path: Path) -> None:
    for writer in ("export", "rejects"):
        run = WRITERS[writer](seeded, tmp_path, _input(tmp_path))
        assert run.exit_code in (1, 2) and "directory" in run.stderr.lower(), run.stderr


def test_a_symlink_is_followed_and_kept(seeded: Cli, tmp_path: Path) -> None:
    real = tmp_path / "real.jsonl"
    real.write_text("old\n")
    link = tmp_path / "link.jsonl"
    link.symlink_to(real)
    seeded.ok("export", "-o", str(link))
    assert link.is_symlink() and link.resolve() == real
    assert len(real.read_text().splitlines()) >= 20


def test_a_regular_file_is_replaced_whole_keeping_its_mode(seeded: Cli, tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("left from before\n")
    target.chmod(0o640)
    seeded.ok("export", "-o", str(target))
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert not target.read_text().startswith("left from before")
    assert not list(tmp_path.glob("*partial*"))  # no partial file left


def test_a_fifo_is_written_in_place(seeded: Cli, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    seeded.ok("export", "-o", str(fifo))
    reader.join(timeout=60)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert len(received[0].decode().splitlines()) >= 20


def test_a_character_device_is_written_in_place(seeded: Cli) -> None:
    seeded.ok("export", "-o", os.devnull)
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_dash_is_stdout(seeded: Cli) -> None:
    run = seeded.ok("export", "-o", "-")
    assert len(run.stdout.splitlines()) >= 20


@pytest.mark.parametrize("command", [("export", "--format", "jsonl"), ("report",)])
def test_a_url_as_the_output_is_refused_without_repeating_it(seeded: Cli, tmp_path: Path,
                                                             command: tuple[str, ...]) -> None:
    # "-o $CLAIMS_DB" on a team's server: the URL holds the password.
    url = "postgresql+psycopg://ann:s3cr%40t@db.example.org:5432/newsroom"
    run = seeded(*command, "-o", url)
    assert run.exit_code == 1
    assert run.stderr.strip().splitlines() == [
        "Error: the output path is a URL (not shown: it may hold a password) "
        "(give a file name, or - for stdout)"]
    assert "s3cr" not in run.stdout + run.stderr
    assert not (Path.cwd() / "postgresql+psycopg:").exists()
