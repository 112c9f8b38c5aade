"""Any input is bounded work with a clear outcome: hostile files become rejected records
with FILE:LINE (also under --skip-invalid), numbers beyond 64 bits are usage errors, a huge
--depth ends, the disk filling up is said plainly, Ctrl-C always exits 130."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import event

import claims
from claims.errors import DatabaseError
from claims.io.api import import_stream
from claims.io.batching import ImportOptions
from claims.textsafe import is_inert
from tests.conftest import Cli, snapshot

SOURCE = "menafn-putin-iran-treaty"
GOOD = json.dumps({"text": "A perfectly ordinary claim", "source": SOURCE})

HOSTILE_LINES = {
    "invalid utf-8": b'{"text": "bad \xff\xfe bytes", "source": "' + SOURCE.encode() + b'"}',
    "deep json": b'{"text": ' + b"[" * 100_000 + b"}",
    "5000 digits": b'{"text": "x", "source": "s", "n": ' + b"9" * 5000 + b"}",
    "1e999": b'{"text": "x", "source": "s", "n": 1e999}',
    "NaN": b'{"text": "x", "source": "s", "n": NaN}',
    "duplicate key": b'{"text": "x", "source": "s", "text": "y"}',
    "escaped surrogate": b'{"text": "lone \\udcff", "source": "' + SOURCE.encode() + b'"}',
}
# A ClaimReview that is whole but for its rating; the good one goes on the line before it.
_REVIEW = (b'{"@type": "ClaimReview", "claimReviewed": "%s", "url": "https://c.example/%s", '
           b'"author": {"@type": "Organization", "name": "Checker"}, '
           b'"reviewRating": {"ratingValue": %s}}')
GOOD_REVIEW = _REVIEW % (b"a good one", b"1", b"1")
REVIEW_LINES = {
    "rating 1e999": _REVIEW % (b"x", b"2", b"1e999"),
    "rating string 1e999": _REVIEW % (b"x", b"2", b'"1e999"'),
}


def _one_line_error(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), stderr[:500]
    assert "unexpected" not in lines[0], lines[0]
    return lines[0]


def _file(tmp_path: Path, name: str, bad: bytes, first: bytes = GOOD.encode()) -> Path:
    path = tmp_path / name
    path.write_bytes(first + b"\n" + bad + b"\n")
    return path


@pytest.mark.parametrize("fmt,name", [("jsonl", n) for n in HOSTILE_LINES]
                         + [("claimreview", n) for n in REVIEW_LINES])
def test_hostile_record_is_an_ordinary_rejection(seeded: Cli, tmp_path: Path, fmt: str,
                                                 name: str) -> None:
    bad = {**HOSTILE_LINES, **REVIEW_LINES}[name]
    path = _file(tmp_path, "in.jsonl", bad, GOOD_REVIEW if fmt == "claimreview" else GOOD.encode())
    before = snapshot(seeded.url)
    run = seeded("import", str(path), "--format", fmt)
    assert run.exit_code == 1
    assert f"{path}:2:" in _one_line_error(run.stderr)
    assert snapshot(seeded.url) == before
    run = seeded("import", str(path), "--format", fmt, "--skip-invalid")
    assert run.exit_code == 0, run.stderr
    # The review importer numbers ClaimReview records (a page holds several), not lines.
    said = "rejected record 2:" if fmt == "claimreview" else "rejected line 2:"
    assert said in run.stderr and is_inert(run.stderr.replace("\n", ""))


def test_a_csv_cell_beyond_the_csv_limit_is_one_rejected_row(seeded: Cli,
                                                             tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text(f'text,source\n"{"x" * 200_000}",{SOURCE}\nA fine claim,{SOURCE}\n')
    run = seeded("import", str(path), "--skip-invalid")
    assert run.exit_code == 0 and "rejected line 2" in run.stderr, run.stderr
    assert "1 created" in run.stderr


def test_a_record_over_the_cap_names_its_line_and_writes_nothing(seeded: Cli,
                                                                 tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    path.write_text(GOOD + "\n" + json.dumps({"text": "y" * 5000, "source": SOURCE}) + "\n")
    before = snapshot(seeded.url)
    run = seeded("import", str(path), "--max-record-bytes", "1000")
    assert run.exit_code == 1 and f"{path}:2: a record is longer than 1000 bytes" in run.stderr
    assert snapshot(seeded.url) == before
    assert seeded("import", str(path), "--max-record-bytes", "10000").exit_code == 0


def test_endless_input_without_a_line_end_stops_at_the_cap(sqlite_url: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "claims", "import", "/dev/zero", "--format", "jsonl",
         "--max-record-bytes", "1000000"], capture_output=True, text=True,
        env={**os.environ, "CLAIMS_DB": sqlite_url}, timeout=300)
    assert done.returncode == 1 and "/dev/zero:1: a record is longer" in done.stderr


@pytest.mark.parametrize("args", [
    ["show", "99999999999999999999"], ["show", "-99999999999999999999"],
    ["list", "--limit", "9223372036854775808"], ["search", "x", "--limit", "99999999999999999999"],
    ["related", "1", "--depth", "99999999999999999999"], ["history", "18446744073709551616"],
    ["link", "1", "supports", "99999999999999999999"], ["graph", "99999999999999999999"],
    ["import", "x.csv", "--map", "99999999999999999999=text"], ["import", "x.csv", "--list-sep="],
    ["import", "x.csv", "--status-map", "pants=false", "--status-map", "PANTS=true"],
])
def test_out_of_range_numbers_and_bad_values_are_usage_errors(seeded: Cli, args: list[str]) -> None:
    before = snapshot(seeded.url)
    run = seeded(*args)
    assert run.exit_code == 2, run.stderr
    assert "Traceback" not in run.stderr and "unexpected" not in run.stderr
    assert snapshot(seeded.url) == before


def test_a_depth_beyond_any_chain_ends(seeded: Cli) -> None:
    """Before, every level was walked whether or not anything was left to reach."""
    done = subprocess.run([sys.executable, "-m", "claims", "related", "1", "--depth",
                           "9223372036854775807", "--format", "json"], capture_output=True,
                          text=True, env={**os.environ, "CLAIMS_DB": seeded.url}, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == json.loads(seeded.ok("related", "1", "--depth", "50",
                                                           "--format", "json").stdout)


def test_closed_stdin_is_one_clear_line(sqlite_url: str) -> None:
    claims.open_database(sqlite_url).close()  # an existing database: no "Created" note
    done = subprocess.run(
        ["bash", "-c", f'"{sys.executable}" -m claims import - --format jsonl <&-'],
        capture_output=True, text=True, env={**os.environ, "CLAIMS_DB": sqlite_url}, timeout=120)
    assert done.returncode == 1 and "stdin is closed" in _one_line_error(done.stderr)


def test_a_byte_order_mark_on_stdin_is_accepted(seeded: Cli) -> None:
    run = seeded("import", "-", "--format", "jsonl", input="\ufeff" + GOOD + "\n")
    assert run.exit_code == 0 and "1 created" in run.stderr, run.stderr


def test_duplicate_csv_headers_are_refused(seeded: Cli, tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text(f"text,source,Text\nA claim,{SOURCE},Another\n")
    before = snapshot(seeded.url)
    run = seeded("import", str(path))
    assert run.exit_code == 1 and "'text' more than once" in _one_line_error(run.stderr)
    assert snapshot(seeded.url) == before


def test_a_full_disk_says_so_and_writes_nothing(db: claims.Database) -> None:
    if db.dialect != "sqlite":
        pytest.skip("SQLite's page cap stands in for a full disk")
    with db.write() as session:
        from claims.writes.seed import load_seeds

        load_seeds(session)
    db.engine.dispose()

    @event.listens_for(db.engine, "connect")
    def _cap(dbapi_connection: object, _record: object) -> None:
        cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
        pages = cursor.execute("PRAGMA page_count").fetchone()[0]
        cursor.execute(f"PRAGMA max_page_count = {pages + 2}")
        cursor.close()

    records = "".join(json.dumps({"text": f"claim {i} " + "y" * 3000, "source": SOURCE}) + "\n"
                      for i in range(200))
    before = snapshot(str(db.url.database))
    for skip in (False, True):
        with pytest.raises(DatabaseError, match=r"disk is full.*nothing was written"), \
                db.write() as session:
            import_stream(session, io.StringIO(records), "jsonl",
                          ImportOptions(label="f.jsonl", skip_invalid=skip))
    event.remove(db.engine, "connect", _cap)
    db.engine.dispose()
    assert snapshot(str(db.url.database)) == before


@pytest.mark.parametrize("delay", [0.0, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.6, 0.8, 1.2, 2.0])
def test_ctrl_c_at_any_moment_exits_130_without_a_traceback(sqlite_url: str, tmp_path: Path,
                                                            delay: float) -> None:
    path = tmp_path / "many.jsonl"
    path.write_text("".join(json.dumps({"text": f"claim number {i}", "source": "s"}) + "\n"
                            for i in range(50_000)))
    proc = _import_in_front(path, sqlite_url, signal.SIG_DFL)
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=300)
    if "Traceback" in stderr:
        # Landed in Python's own start-up (site, runpy), before any line of claims ran:
        # nothing a program can catch. Once claims code runs, there is no traceback.
        frames = [line for line in stderr.splitlines() if line.strip().startswith("File ")]
        assert frames and not any(f"{os.sep}claims{os.sep}" in line for line in frames), stderr
        return
    # Before Python has set up its own handler, SIGINT ends the process as the signal does.
    assert proc.returncode == -signal.SIGINT or (
        proc.returncode == 130 and stderr.strip().endswith("interrupted")), (proc.returncode,
                                                                             stderr)


def _import_in_front(path: Path, url: str, sigint: signal.Handlers) -> subprocess.Popen[str]:
    """``claims import PATH --skip-invalid`` with SIGINT set to ``sigint`` as it starts: the
    default, as for a command typed at a terminal, whatever this test run inherited (a
    script's background job, CI's perhaps, starts with SIGINT ignored); or ignored."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "claims", "import", str(path), "--skip-invalid"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "CLAIMS_DB": url},
        preexec_fn=lambda: signal.signal(signal.SIGINT, sigint))
    _wait_for_exec(proc, b"-m\x00claims\x00import\x00")
    return proc


def test_a_background_job_started_with_ctrl_c_ignored_keeps_ignoring_it(
        sqlite_url: str, tmp_path: Path) -> None:
    path = tmp_path / "many.jsonl"
    path.write_text("".join(json.dumps({"text": f"claim number {i}", "source": "s"}) + "\n"
                            for i in range(5_000)))
    proc = _import_in_front(path, sqlite_url, signal.SIG_IGN)
    for delay in (0.0, 0.2, 0.2):
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0, stderr
    assert "5000 rejected" in stderr and "interrupted" not in stderr


def _wait_for_exec(proc: subprocess.Popen[str], marker: bytes) -> None:
    """Until the child is the new program (its command line holds ``marker``; Linux only).
    A signal sent between fork and exec would run the handler the child copied from this
    test process, and exec would forget it: a race of the test, not a moment of claims'."""
    cmdline = Path(f"/proc/{proc.pid}/cmdline")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if marker in cmdline.read_bytes():
                return
        except OSError:  # no /proc here, or the child is gone
            return
        time.sleep(0.0005)


hostile_bytes = st.lists(st.sampled_from([b"\xff", b"\xc3", b"{", b"[", b'"', b"\\u0000",
                                          b"1e999", b"\x1b[2J", b"\r", b"\xef\xbb\xbf", b",",
                                          b'"text": ', b"9" * 30, b"\x00", b"\n"])
                         | st.binary(max_size=6), max_size=20).map(b"".join)


@settings(max_examples=15, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=hostile_bytes, fmt=st.sampled_from(["jsonl", "json", "csv", "tsv",
                                                   "claimreview"]))
def test_any_file_is_imported_or_refused_in_one_line(seeded: Cli, tmp_path: Path,
                                                     content: bytes, fmt: str) -> None:
    path = tmp_path / "fuzz.in"
    path.write_bytes(content)
    before = snapshot(seeded.url)
    for extra in ([], ["--skip-invalid"]):
        run = seeded("import", str(path), "--format", fmt, "--source", SOURCE, *extra)
        assert run.exit_code in (0, 1), run.stderr
        assert is_inert(run.stderr.replace("\n", "")), run.stderr
        if run.exit_code == 1:
            _one_line_error(run.stderr)
            assert snapshot(seeded.url) == before
