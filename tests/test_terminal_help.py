"""Help that reads like a Unix tool's at 80 columns: every parameter explained, lines that
fit, conventional metavars, the statuses listed where one is asked for; and an empty
``claims stats`` table prints nothing at all."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from claims.cli.app import app
from tests.conftest import Cli

RUNNER = CliRunner()


def _commands(command: Any, path: list[str]) -> list[tuple[list[str], Any]]:
    found = [(path, command)]
    for name, sub in getattr(command, "commands", {}).items():
        found += _commands(sub, [*path, name])
    return found


COMMANDS = _commands(typer.main.get_command(app), [])


def help_of(path: list[str]) -> str:
    result = RUNNER.invoke(app, [*path, "-h"], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    return result.stdout


def test_every_parameter_of_every_command_has_help() -> None:
    missing = [f"{' '.join(path)} {param.name}" for path, command in COMMANDS
               for param in command.params
               if not (getattr(param, "help", None) or "").strip()
               and param.name != "help" and not getattr(param, "hidden", False)]
    assert missing == []


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=lambda p: " ".join(p) or "claims")
def test_help_fits_80_columns(path: list[str]) -> None:
    lines = help_of(path).splitlines()
    assert all(len(line) <= 80 for line in lines), [line for line in lines if len(line) > 80]


def test_names_keys_tags_and_dates_have_their_metavars() -> None:
    add = help_of(["add"])
    for shown in ("--source KEY", "--speaker NAME", "--about NAME", "--tag TAG",
                  "--status STATUS", "--said-on DATE", "--due DATE"):
        assert shown in add
    assert "--status [" not in add  # not a 120-column list of choices
    statuses = " ".join(help_of(["status"]).split())
    assert "STATUS The new status: true, mostly-true," in statuses and "outdated." in statuses
    assert "--via KEY" in help_of(["source", "add"])
    assert "--published DATE" in help_of(["review", "add"])
    assert "--by NAME" in help_of(["review", "add"])
    assert "--rating STATUS" in help_of(["list"])


def test_an_empty_stats_table_prints_nothing(seeded: Cli) -> None:
    run = seeded.ok("stats", "--status", "retracted", "--format", "table")
    assert run.stdout == "" and run.stderr == "no claims match\n"


def test_a_conflict_shows_both_claims_whole_at_80_columns(
        tmp_path: Path, sqlite_templates: dict[str, Path]) -> None:
    db = tmp_path / "t.db"
    shutil.copyfile(sqlite_templates["seeded"], db)
    env = {**os.environ, "COLUMNS": "80", "CLAIMS_DB": str(db)}
    out = subprocess.run([sys.executable, "-m", "claims", "conflicts", "--format", "table"],
                         env=env, capture_output=True, text=True, check=True).stdout
    assert all(len(line) <= 80 for line in out.splitlines()) and "…" not in out
    words = " ".join(out.split())
    for claim in ("Iran denies that it seeks to weaponise its nuclear programme.",
                  "Iran's nuclear programme must be limited because it could be used"):
        assert all(word in words.split() for word in claim.split()), claim


def test_limit_zero_says_how_many_matched(seeded: Cli) -> None:
    run = seeded.ok("list", "--entity", "Iran", "--limit", "0", "--format", "json")
    assert run.stdout == "[]\n" and run.stderr == "0 of 12 shown (use --limit)\n"
    run = seeded.ok("list", "--tag", "nothing-like-this", "--limit", "0")
    assert run.stdout == "" and run.stderr == "no claims match\n"


def test_show_at_the_terminal_leaves_out_empty_fields(seeded: Cli) -> None:
    table = seeded.ok("show", "7", "--format", "table").stdout
    keys = [line.split()[0] for line in table.split("\n\n")[0].splitlines() if line.strip()]
    assert keys[:3] == ["id", "text", "quote"] and "status" in keys
    assert not {"rating", "said_on", "source_via", "due"} & set(keys)
    tsv = seeded.ok("show", "7", "--format", "tsv").stdout
    assert "rating\t\n" in tsv and "said_on\t\n" in tsv  # every field, for scripts


def test_a_link_shows_its_claim_and_its_note_whole(seeded: Cli) -> None:
    out = seeded.ok("show", "7", "--format", "table").stdout
    links = out[out.index("Links"):out.index("History")]
    assert "…" not in links
    words = " ".join(links.split()).split()
    note = "Iran denies the accusation that its nuclear programme could be weaponised."
    assert all(word in words for word in note.split())
