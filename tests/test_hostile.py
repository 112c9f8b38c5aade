"""Hostile input through every option: stored literally or refused in one line, never run
as SQL, and a refused command leaves the database exactly as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import claims
from tests.conftest import Cli, snapshot

MEGABYTE = "x" * 1_000_000
HOSTILE = [
    "'; DROP TABLE claims; --",
    '" OR 1=1',
    "Robert'); DELETE FROM status_history; --",
    "%",
    "_",
    "a\x00b",
    MEGABYTE,
    "\u202eright-to-left override \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627",
]
SOURCE = "menafn-putin-iran-treaty"
IDS = ["drop", "or", "delete", "percent", "underscore", "nul", "1mb", "rtl"]


def check_outcome(cli: Cli, args: list[str], before: dict[str, object]) -> bool:
    """Run the command; if it fails, it says so in one line and changed nothing.
    Returns whether it succeeded."""
    run = cli(*args)
    if run.exit_code == 0:
        return True
    assert run.exit_code in (1, 2), run.stderr[:500]
    if run.exit_code == 1:
        lines = run.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), run.stderr[:500]
        assert not lines[0].startswith("Error: unexpected "), lines[0][:500]
    assert snapshot(cli.url) == before
    return False


def assert_intact(cli: Cli) -> None:
    database = claims.open_database(cli.url)
    try:
        if database.dialect == "sqlite":
            with database.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
                assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
    finally:
        database.close()
    seed_claims = json.loads(cli.ok("list", "--source", SOURCE, "--format", "json").stdout)
    assert len(seed_claims) >= 10


ADD_OPTIONS = ["TEXT", "--source", "--speaker", "--about", "--quote", "--said-on", "--tag",
               "--note", "--status"]


@pytest.mark.parametrize("value", HOSTILE, ids=IDS)
def test_add_stores_hostile_text_literally_or_refuses_it(seeded: Cli, value: str) -> None:
    for option in ADD_OPTIONS:
        before = snapshot(seeded.url)
        args = ["add", value if option == "TEXT" else "A plain claim", "--source", SOURCE,
                "--new", "--format", "json"]
        if option not in ("TEXT", "--source"):
            args += [option, value]
        elif option == "--source":
            args[3] = value
        if check_outcome(seeded, args, before):
            record = json.loads(
                seeded.ok("show", str(_last_id(seeded)), "--format", "json").stdout)
            stored = {"TEXT": record["text"], "--speaker": record["speaker"],
                      "--about": (record["about"] or [None])[0], "--quote": record["quote"],
                      "--tag": (record["tags"] or [None])[0],
                      "--note": record["history"][0]["note"]}
            assert stored[option] == " ".join(value.split()) or stored[option] == value.strip() \
                or stored[option] == value.strip().lower(), option
    assert_intact(seeded)


def _last_id(cli: Cli) -> int:
    rows = json.loads(cli.ok("list", "--format", "json").stdout)
    return max(r["id"] for r in rows)


LIST_OPTIONS = ["--entity", "--about", "--speaker", "--source", "--status", "--tag", "--since",
                "--until", "--limit", "--format"]


@pytest.mark.parametrize("value", HOSTILE, ids=IDS)
def test_list_and_search_filters_are_only_values(seeded: Cli, value: str) -> None:
    before = snapshot(seeded.url)
    everything = json.loads(seeded.ok("list", "--format", "json").stdout)
    for option in LIST_OPTIONS:
        for command in (["list"], ["search", "Putin"]):
            args = [*command, option, value]
            if option != "--format":
                args += ["--format", "json"]
            if check_outcome(seeded, args, before) and option != "--format":
                found = json.loads(seeded.ok(*args).stdout)
                # No filter value widens the result to everything by matching as a pattern.
                assert len(found) < len(everything), (command, option)
    for query_args in (["search", value], ["search", "--raw", value]):
        check_outcome(seeded, [*query_args, "--format", "json"], before)
    assert snapshot(seeded.url) == before
    assert_intact(seeded)


def test_percent_and_underscore_match_literally(seeded: Cli) -> None:
    seeded.ok("add", "Half off", "--source", SOURCE, "--tag", "50%_off")
    seeded.ok("add", "Other", "--source", SOURCE, "--tag", "50xyoff")
    seeded.ok("entity", "add", "100% Pure_Org", "--kind", "organization")
    seeded.ok("add", "Pure", "--source", SOURCE, "--about", "100% Pure_Org")
    tagged = json.loads(seeded.ok("list", "--tag", "50%_off", "--format", "json").stdout)
    assert [r["text"] for r in tagged] == ["Half off"]
    for pattern in ("%", "_", "50%", "5_%off"):
        run = seeded("list", "--tag", pattern, "--format", "json")
        assert run.exit_code == 0 and json.loads(run.stdout) == [], pattern
        run = seeded("list", "--entity", pattern, "--format", "json")
        assert run.exit_code == 1 and "no entity" in run.stderr, pattern
    about = json.loads(seeded.ok("list", "--about", "100% pure_org", "--format", "json").stdout)
    assert [r["text"] for r in about] == ["Pure"]
    found = json.loads(seeded.ok("search", "%", "--format", "json").stdout or "[]")
    assert found == []


@pytest.mark.parametrize("value", HOSTILE, ids=IDS)
def test_import_takes_hostile_fields_as_data(seeded: Cli, value: str, tmp_path: Path) -> None:
    fields = ["text", "quote", "speaker", "source", "about", "status", "note", "said_on", "tag",
              "external_id"]
    for field in fields:
        record: dict[str, object] = {"text": "Imported plain claim", "source": SOURCE,
                                     "external_id": f"hostile-{field}"}
        record[field] = [value] if field in ("about", "tag") else value
        path = tmp_path / f"{field}.jsonl"
        path.write_text(json.dumps(record) + "\n", encoding="utf-8")
        before = snapshot(seeded.url)
        check_outcome(seeded, ["import", str(path)], before)
    assert_intact(seeded)
