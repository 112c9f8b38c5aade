"""A refused command leaves the SQLite file byte for byte as it was (issues 13 and 16).

The row snapshots of tests/test_figures.py and tests/test_hostile.py prove that no row
changed, on both engines; here the file itself is compared, which also catches a stray
write that leaves rows equal (a schema stamp, a rebuilt index, a vacuum). That is a
property of SQLite files, so PostgreSQL is skipped with a reason."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims.textsafe import is_inert
from tests.conftest import Cli
from tests.test_figures import BAD, PROGRESS, SEEDED_17, progress_measure

SOURCE = "menafn-putin-iran-treaty"


def digest(db_path: Path) -> dict[str, str]:
    """The database file and any side file beside it, by content."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(db_path.parent.glob(db_path.name + "*"))}


def assert_refused_in_one_clean_line(stderr: str) -> None:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr[:500]
    assert lines[0].startswith("Error: "), stderr[:500]
    assert "unexpected" not in lines[0] and "Traceback" not in stderr
    assert is_inert(lines[0]), repr(lines[0][:500])  # no escape sequence reaches a terminal


@pytest.fixture
def figures_cli(seeded: Cli, backend: str) -> Cli:
    if backend != "sqlite":
        pytest.skip("byte identity is about SQLite's file; on PostgreSQL the row snapshots "
                    "of tests/test_figures.py prove that nothing changed")
    progress_measure(seeded)
    return seeded


@pytest.mark.parametrize(("args", "message"), BAD, ids=[" ".join(a[:3]) + m for a, m in BAD])
def test_bad_figures_and_due_dates_leave_the_file_byte_identical(
        figures_cli: Cli, args: list[str], message: str) -> None:
    before = digest(Path(figures_cli.url))
    run = figures_cli(*args)
    assert run.exit_code == 1
    assert message in run.stderr
    assert_refused_in_one_clean_line(run.stderr)
    assert digest(Path(figures_cli.url)) == before


def test_an_import_with_a_bad_figure_leaves_the_file_byte_identical(
        figures_cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(record) + "\n" for record in [
        {"text": "Fine.", "source": SOURCE, "figures": [{"measure": PROGRESS, "written": "20%"}]},
        {"text": "Unit.", "source": SOURCE, "figures": [{"measure": PROGRESS, "written": "9 MW"}]},
    ]), encoding="utf-8")
    before = digest(Path(figures_cli.url))
    run = figures_cli("import", str(path))
    assert run.exit_code == 1 and "nothing was imported" in run.stderr
    assert_refused_in_one_clean_line(run.stderr)
    assert digest(Path(figures_cli.url)) == before


# Text built to act on a terminal, to break markup, or to be no figure or date at all.
ACTING = st.sampled_from(["\x1b]0;owned\x07", "\x1b[2J", "\x1b[31m", "\r", "\u202e", "\u200b",
                          "[/bold]", "[link=https://evil.example]x[/link]", "[blink]", "\x00",
                          "\x7f", "\x9b", "\n"])
HOSTILE = st.lists(ACTING | st.text(max_size=6), min_size=1, max_size=6).map("".join)
# Command lines whose one hostile value makes the command refuse (or, rarely, succeed).
COMMANDS = [
    lambda v: ["figure", "add", SEEDED_17, v, "--measure", PROGRESS],
    lambda v: ["figure", "add", SEEDED_17, "17", "--measure", PROGRESS, "--unit", v],
    lambda v: ["figure", "add", SEEDED_17, "17%", "--measure", PROGRESS, "--as-of", v],
    lambda v: ["add", "Start-up is planned for later.", "--source", SOURCE, "--due", v],
    lambda v: ["edit", SEEDED_17, "--due", v],
    lambda v: ["measure", "add", "Staff", "--entity", "Bushehr", "--unit", v],
    lambda v: ["add", f"Claim {v}", "--source", f"no such source {v}"],
    lambda v: ["timeline", f"no such measure {v}"],
]


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=HOSTILE, command=st.sampled_from(range(len(COMMANDS))))
def test_hostile_values_are_refused_cleanly_and_write_nothing(
        figures_cli: Cli, value: str, command: int) -> None:
    db_path = Path(figures_cli.url)
    before = digest(db_path)
    run = figures_cli(*COMMANDS[command](value))
    assert run.exit_code in (0, 1, 2), run.stderr[:500]
    for line in run.stdout.splitlines():  # tab-separated: the tabs are the format's own
        assert all(is_inert(cell) for cell in line.split("\t")), repr(line[:500])
    if run.exit_code == 0:
        return
    if run.exit_code == 1:
        assert_refused_in_one_clean_line(run.stderr)
    else:  # a usage error: Click's usage block, every line of it escaped
        assert all(is_inert(line) for line in run.stderr.splitlines()), repr(run.stderr[:500])
    assert digest(db_path) == before
