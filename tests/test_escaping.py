"""Stored text is data: never Rich markup, never a control sequence on a terminal, one
record per line in TSV, no formula in CSV (unless asked for)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import claims
from claims.schema.models import Source
from claims.textsafe import is_inert, visible
from claims.writes import store
from tests.conftest import Cli

SOURCE = "hostile-source"
PIECES = ["Markup [/bold] closing", "[link=https://evil.example]https://www.gov.example[/link]",
          "[blink]", "[red]", "\x1b]0;owned\x07", "\x1b[2J", "\x1b[31m", "\r", "\n", "\t",
          "\u202e", "\u2066", "\u200b", "\u200d", "\ufeff", "\x9b", "\u2028", "\x7f", "\\",
          "=HYPERLINK(\"http://x\")", "+cmd|' /C calc'!A0", "@SUM(A1)", "-2+3", "[/]", "%s"]
FINDINGS = PIECES[:4]
hostile = st.lists(st.sampled_from(PIECES) | st.text(max_size=4), min_size=1, max_size=6).map(
    lambda parts: "word " + "".join(parts))


def _clean(output: str) -> bool:
    """Nothing acts but the line ends and TSV's tabs."""
    return all(is_inert(line) for line in output.replace("\t", " ").split("\n"))


def _prepare(url: str, value: str) -> int:
    db = claims.open_database(url)
    try:
        with db.write() as session:
            if session.get(Source, 1) is None:
                store.add_source(session, SOURCE, title="Title " + value, outlet="Outlet")
            return store.add_claim(session, value, source=SOURCE, speaker="Speaker " + value,
                                   about=["About " + value], quote=value, tags=["tag"],
                                   note=value, allow_new_names=True, force=True).claim.id
    finally:
        db.close()


def _views(claim_id: int, value: str) -> list[list[str]]:
    speaker = " ".join(("Speaker " + value).split())
    return [[*view, "--format", fmt] for fmt in ("table", "tsv")
            for view in (["list"], ["show", str(claim_id)], ["source", "show", SOURCE],
                         ["source", "list"], ["entity", "list"], ["entity", "show", speaker],
                         ["history", str(claim_id)], ["search", "word"])]


@settings(max_examples=10, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=hostile)
def test_hostile_text_is_shown_not_obeyed(cli: Cli, value: str) -> None:
    try:
        claim_id = _prepare(cli.url, value)
    except claims.ClaimsError:
        return  # refused as input (empty after cleaning, too long): nothing to show
    for args in _views(claim_id, value):
        run = cli(*args)
        assert run.exit_code == 0, (args, run.stderr)
        assert _clean(run.stdout) and _clean(run.stderr), (args, run.stdout[-400:])
        if args[0] == "list" and args[-1] == "tsv":
            rows = json.loads(cli.ok("list", "--format", "json").stdout)
            assert len(run.stdout.splitlines()) == len(rows)


@pytest.mark.parametrize("value", FINDINGS)
def test_markup_in_claims_breaks_no_listing(cli: Cli, value: str) -> None:
    claim_id = _prepare(cli.url, value)
    for view in (["list"], ["show", str(claim_id)], ["source", "show", SOURCE]):
        run = cli(*view, "--format", "table", env={"COLUMNS": "500"})
        assert run.exit_code == 0, run.stderr
        squeezed = "".join(run.stdout.replace("│", "").split())
        assert "".join(value.split()) in squeezed  # shown literally, markup and all


def test_links_in_text_are_not_made_clickable(cli: Cli) -> None:
    value = "[link=https://evil.example]https://www.gov.example[/link]"
    _prepare(cli.url, value)
    run = cli("list", "--format", "table")
    assert "\x1b]8;" not in run.stdout  # the OSC 8 hyperlink sequence
    assert "[link=" in run.stdout.replace("\n", "").replace("│", "").replace(" ", "")


def test_tsv_keeps_one_record_per_line_and_no_escape(cli: Cli) -> None:
    _prepare(cli.url, "one\rtwo\nthree\x1b[2Jfour\u202efive")
    line = cli.ok("list", "--format", "tsv").stdout
    assert line.count("\n") == 1 and "\x1b" not in line and "\u202e" not in line
    assert "\\x1b[2J" in line and "\\u202e" in line


def test_csv_neutralises_formulas_unless_asked(cli: Cli) -> None:
    for value in PIECES[19:23]:
        _prepare(cli.url, value.replace("-2+3", "-2+3 minus"))
    for args in (["list", "--format", "csv"], ["export", "--format", "csv"]):
        cells = [r["text"] for r in csv.DictReader(io.StringIO(cli.ok(*args).stdout))]
        assert cells and all(c.startswith("'") for c in cells), cells
    raw = cli.ok("export", "--format", "csv", "--csv-formulas").stdout
    assert [r["text"][0] for r in csv.DictReader(io.StringIO(raw))] == ["=", "+", "@", "-"]
    raw = cli("list", "--format", "csv", env={"CLAIMS_CSV_FORMULAS": "1"}).stdout
    assert [r["text"][0] for r in csv.DictReader(io.StringIO(raw))] == ["=", "+", "@", "-"]


def test_errors_echoing_input_escape_it(cli: Cli) -> None:
    run = cli("entity", "show", "\x1b]0;owned\x07\u202eevil")
    assert run.exit_code == 1 and _clean(run.stderr) and "\\x1b" in run.stderr


def test_usage_errors_from_the_parser_escape_the_value(sqlite_url: str) -> None:
    """Whatever the parser echoes passes the stderr guard of claims.cli.main."""
    for args in (["show", "\x1b[2J\u202e1"], ["\x1b]0;t\x07bad"],
                 ["list", "--status", "\x1b[31mbad\r"], ["list", "--\x1b[2Jx"]):
        done = subprocess.run([sys.executable, "-m", "claims", *args], capture_output=True,
                              text=True, env={"CLAIMS_DB": sqlite_url}, timeout=120)
        assert done.returncode == 2 and _clean(done.stderr), done.stderr


@given(st.text())
def test_visible_leaves_nothing_that_acts(value: str) -> None:
    shown = visible(value)
    assert is_inert(shown) and "\x1b" not in shown
    assert visible(shown) == shown
