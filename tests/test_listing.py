"""Listings at the terminal and in pipes: sorting, repeated --tag, "N of M shown", empty
results, missing databases, usage errors, completion and help."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.cli.layout import fit
from claims.cli.render import CLAIM_COLUMNS
from tests.conftest import Cli


def listed(cli: Cli, *args: str) -> list[dict[str, object]]:
    return json.loads(cli.ok("list", *args, "--format", "json").stdout)


def test_sort_orders_and_reverse(seeded: Cli) -> None:
    seeded.ok("status", "3", "false")
    assert [r["id"] for r in listed(seeded)] == list(range(1, 21))
    assert [r["id"] for r in listed(seeded, "--sort", "id", "--reverse")] == \
        list(range(20, 0, -1))
    by_rating = [r["rating"] for r in listed(seeded, "--sort", "rating")]
    rated = [r for r in by_rating if r is not None]
    assert rated == sorted(rated, reverse=True) and by_rating[-1] is None
    assert by_rating[len(rated) - 1] == 1  # false last among verdicts, unrated after
    statuses = [r["status"] for r in listed(seeded, "--sort", "status")]
    scale = ["true", "mostly-true", "half-true", "mostly-false", "false", "unverified",
             "disputed", "unproven", "retracted", "outdated"]
    assert statuses == sorted(statuses, key=scale.index)
    newest = [r["id"] for r in listed(seeded, "--sort", "updated", "--reverse", "-n", "1")]
    assert newest == [3]  # its status change made it the latest updated


def test_search_sorts_by_score_unless_told(seeded: Cli) -> None:
    default = json.loads(seeded.ok("search", "nuclear", "--format", "json").stdout)
    scores = [r["score"] for r in default]
    assert scores == sorted(scores, reverse=True)
    by_id = json.loads(seeded.ok("search", "nuclear", "--sort", "id", "--format",
                                 "json").stdout)
    assert [r["id"] for r in by_id] == sorted(r["id"] for r in default)
    assert seeded("list", "--sort", "score").exit_code == 2


def test_repeated_tag_means_all_of_them_as_about_does(seeded: Cli) -> None:
    both = listed(seeded, "--tag", "nuclear", "--tag", "bushehr")
    assert both and all({"nuclear", "bushehr"} <= set(r["tags"]) for r in both)
    either = {r["id"] for r in listed(seeded, "--tag", "bushehr")}
    assert {r["id"] for r in both} <= either
    assert len(both) < len(listed(seeded, "--tag", "nuclear"))


def test_a_limit_says_how_many_there_were(seeded: Cli) -> None:
    every = json.loads(seeded.ok("search", "nuclear", "-n", "100", "--format", "json").stdout)
    assert len(every) > 3
    run = seeded.ok("search", "nuclear", "--limit", "3")
    assert run.stderr == f"3 of {len(every)} shown (use --limit)\n"
    assert seeded.ok("list", "-n", "5").stderr == "5 of 20 shown (use --limit)\n"
    assert seeded.ok("list", "-n", "20").stderr == ""


@pytest.mark.parametrize(("fmt", "stdout"), [
    ("json", "[]\n"), ("jsonl", ""), ("tsv", ""), ("csv", ""), ("table", "")])
def test_an_empty_result_prints_nothing_but_json_brackets(
        seeded: Cli, fmt: str, stdout: str) -> None:
    run = seeded.ok("list", "--status", "retracted", "--format", fmt)
    assert run.stdout == stdout and run.stderr == "no claims match\n"


def test_read_commands_refuse_a_missing_database_and_create_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "tuor.db"
    for args in (["list"], ["search", "x"], ["entity", "show", "Iran"], ["stats"]):
        run = Cli(str(missing))(*args)
        assert run.exit_code == 1
        assert run.stderr == (f"Error: no database at {missing}: the file does not exist "
                              "(check the path, or create "
                              "one with a write command: 'claims seed')\n")
        assert not missing.exists()
    first = Cli(str(missing)).ok("seed")
    assert first.stderr.startswith(f"Created a new database at {missing}\n")
    assert "Created" not in Cli(str(missing)).ok("seed").stderr


def test_a_bad_date_and_a_bad_status_are_usage_errors_alike(seeded: Cli) -> None:
    date = seeded("list", "--since", "2025-13-01")
    status = seeded("list", "--status", "bogus")
    assert date.exit_code == status.exit_code == 2
    assert "Error: Invalid value for '--since': '2025-13-01' is not a date (" in date.stderr
    assert "Error: Invalid value for '--status' / '-s': 'bogus' is not a status (" \
        in status.stderr
    assert "Value error" not in date.stderr + status.stderr


def _complete(db: str, words: str) -> list[str]:
    env = {**os.environ, "_CLAIMS_COMPLETE": "complete_bash", "COMP_WORDS": words,
           "COMP_CWORD": str(len(words.split()) - 1), "CLAIMS_DB": db}
    run = subprocess.run([sys.executable, "-m", "claims"], env=env, capture_output=True,
                         text=True, check=True)
    return [line for line in run.stdout.splitlines() if line]


def test_completion_reads_names_aliases_keys_and_statuses(
        tmp_path: Path, sqlite_templates: dict[str, Path]) -> None:
    import shutil

    db = tmp_path / "c.db"
    shutil.copyfile(sqlite_templates["seeded"], db)
    assert _complete(str(db), "claims list --entity ای") == ["ایران"]
    assert "Tehran" in _complete(str(db), "claims list --about Te")
    assert _complete(str(db), "claims list --source gu") == ["guardian-us-iran-uranium-proposal"]
    assert _complete(str(db), "claims list --status mostly") == ["mostly-true", "mostly-false"]
    assert _complete(str(tmp_path / "none.db"), "claims list --entity I") == []
    assert not (tmp_path / "none.db").exists()


def test_help_uses_unix_metavars() -> None:
    from typer.testing import CliRunner

    from claims.cli.app import app

    for args in (["add", "-h"], ["list", "-h"], ["graph", "-h"], ["unlink", "-h"]):
        text = CliRunner().invoke(app, args, prog_name="claims").stdout
        assert "<" not in text and "[[" not in text and "list[" not in text, text
    graph = CliRunner().invoke(app, ["graph", "-h"], prog_name="claims").stdout
    assert "Usage: claims graph [OPTIONS] [ID]" in graph
    assert "--depth INTEGER" in graph and "--format [dot|mermaid|svg]" in graph
    summaries = CliRunner().invoke(app, ["-h"], prog_name="claims").stdout
    assert "Link two claims: ID KIND OTHER_ID, e.g. '5 contradicts 4'." in summaries
    assert "People, organisations, places ... and their aliases." in summaries


RECORD = st.fixed_dictionaries({
    "id": st.integers(1, 10**6), "status": st.sampled_from(["true", "mostly-false"]),
    "speaker": st.text(min_size=0, max_size=40), "source": st.text(max_size=60),
    "said_on": st.none() | st.just("2025-04-21"),
    "about": st.lists(st.text(max_size=20), max_size=4),
    "text": st.text(min_size=1, max_size=300)})


@settings(max_examples=200, deadline=None)
@given(st.lists(RECORD, min_size=1, max_size=5), st.integers(40, 200))
def test_the_table_never_exceeds_the_terminal_and_the_text_gets_the_width(
        records: list[dict[str, object]], width: int) -> None:
    fitted = fit(CLAIM_COLUMNS, records, width)
    total = sum(f.width for f in fitted) + 3 * (len(fitted) - 1)
    assert total <= width or [f.column.key for f in fitted if not f.flex] == ["id", "status"]
    flex = [f for f in fitted if f.flex]
    assert [f.column.key for f in flex] == ["text"]  # text is never empty here
    assert all(f.width <= max(flex[0].width, f.column.max_width or 24) for f in fitted)


def test_list_at_80_columns_gives_the_text_the_width_and_splits_no_word(
        tmp_path: Path, sqlite_templates: dict[str, Path]) -> None:
    import shutil

    db = tmp_path / "t.db"
    shutil.copyfile(sqlite_templates["seeded"], db)
    env = {**os.environ, "COLUMNS": "80", "CLAIMS_DB": str(db)}
    out = subprocess.run([sys.executable, "-m", "claims", "list", "--format", "table"],
                         env=env, capture_output=True, text=True, check=True).stdout
    lines = out.splitlines()
    assert all(len(line) <= 80 for line in lines)
    assert lines[0].split() == ["ID", "Status", "Speaker", "Text"]
    text_start = lines[0].index("Text")
    words = {w.strip(".,") for c in range(1) for w in
             " ".join(line[text_start:] for line in lines[2:]).split()}
    assert "parliament" in words and "parliamen" not in words
    assert len(lines) - 2 <= 20 * 5  # at most a few lines a claim
