"""A malformed value on the command line is a usage error (exit 2) in one message style,
``Invalid value for 'X': 'v' is not a ... (...)``, never pydantic's "Value error, ...":
every parameter with a fixed set of values (found by walking the whole CLI, so a new one
is covered the day it is added), every date, status and rating."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from claims.cli.app import app
from claims.vocab import SortKey
from tests.conftest import snapshot

RUNNER = CliRunner()
BAD = "bogus-value"


def _commands(command: Any, path: list[str]) -> list[tuple[list[str], Any]]:
    if hasattr(command, "commands"):
        return [found for name, sub in command.commands.items()
                for found in _commands(sub, [*path, name])]
    return [(path, command)]


def _placeholder(param: Any) -> str:
    """A value the argument takes, to reach the one after it."""
    descriptor = param.type_descriptor
    if descriptor.is_choice:
        first = descriptor.choices[0]
        return str(getattr(first, "value", first))
    return "1" if descriptor.annotation is int else "x"


def choice_cases() -> list[tuple[str, list[str]]]:
    """For every parameter with choices: the command line that gives it a bad value (the
    arguments before it filled with harmless values)."""
    cases = []
    for path, command in _commands(typer.main.get_command(app), []):
        arguments = [p for p in command.params if p.param_type_name == "argument"]
        for param in command.params:
            descriptor = getattr(param, "type_descriptor", None)
            if descriptor is None or not descriptor.is_choice:
                continue
            if param.param_type_name == "argument":
                before = [_placeholder(a) for a in arguments[:arguments.index(param)]]
                argv = [*path, *before, BAD]
            else:
                argv = [*path, param.opts[0], BAD]
            cases.append((" ".join(argv), argv))
    return cases


CHOICES = choice_cases()


def number_cases() -> list[tuple[str, list[str], str]]:
    """For every integer or number parameter: a command line giving it a word."""
    cases = []
    for path, command in _commands(typer.main.get_command(app), []):
        arguments = [p for p in command.params if p.param_type_name == "argument"]
        for param in command.params:
            annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
            if annotation not in (int, float):
                continue
            if param.param_type_name == "argument":
                before = [_placeholder(a) for a in arguments[:arguments.index(param)]]
                argv = [*path, *before, "abc"]
            else:
                argv = [*path, param.opts[0], "abc"]
            cases.append((" ".join(argv), argv, "an integer" if annotation is int else "a number"))
    return cases


NUMBERS = number_cases()

# Values typed as text and checked by a callback: dates, statuses, ratings, presets.
TEXT_CASES = [
    ["list", "--since", "2025-13-01"],
    ["list", "--status", "bogus"],
    ["list", "--rating", "bogus"],
    ["add", "x", "--source", "s", "--said-on", "2025-02-30"],
    ["add", "x", "--source", "s", "--due", "someday"],
    ["edit", "1", "--said-on", "2025-02-30"],
    ["status", "1", "bogus"],
    ["figure", "add", "1", "17", "-m", "m", "--as-of", "yesterday"],
    ["review", "add", "1", "bogus"],
    ["review", "add", "1", "false", "--published", "2025-02-30"],
    ["source", "add", "k", "--outlet", "o", "--title", "t", "--published", "2025-02-30"],
    ["extract", "story.txt", "--said-on", "2025-02-30"],
    ["timeline", "m", "--until", "2025-02-30"],
    ["import", "data.csv", "--preset", "bogus"],
]


def run(tmp_path: Path, argv: list[str]) -> Any:
    database = tmp_path / "none.db"
    result = RUNNER.invoke(app, argv, env={"CLAIMS_DB": str(database)})
    assert not database.exists()  # refused before anything was opened
    return result


def assert_usage_error(result: Any, typed: str) -> None:
    assert result.exit_code == 2, result.output
    message = result.stderr
    assert "Value error" not in message and "Input should" not in message
    assert "Invalid value for " in message
    assert f"'{typed}' is not a" in message and " (" in message.splitlines()[-1]


def test_every_command_with_choices_was_found() -> None:
    found = {case for case, _ in CHOICES}
    assert len(found) == len(CHOICES) >= 35
    assert {"link 1 bogus-value", "status 1 bogus-value", "list --sort bogus-value",
            "stats --by bogus-value", "report --format bogus-value",
            "entity add --kind bogus-value"} <= found


@pytest.mark.parametrize(("case", "argv"), CHOICES, ids=[case for case, _ in CHOICES])
def test_a_value_outside_a_set_is_a_usage_error_naming_the_set(
        tmp_path: Path, case: str, argv: list[str]) -> None:
    result = run(tmp_path, argv)
    assert_usage_error(result, BAD)
    assert "(choose one of: " in result.stderr


@pytest.mark.parametrize("argv", TEXT_CASES, ids=" ".join)
def test_a_bad_date_status_or_rating_is_a_usage_error_in_the_same_style(
        tmp_path: Path, argv: list[str]) -> None:
    assert_usage_error(run(tmp_path, argv), argv[-1])


def test_choices_still_accept_their_values_in_any_case(seeded: Any) -> None:
    assert seeded.ok("list", "--sort", "SAID_ON", "--format", "JSON", "--limit", "1").stdout
    assert seeded.ok("stats", "--by", "Tag", "--format", "json").stdout.startswith("[")


@settings(max_examples=40, deadline=None)
@given(st.text(min_size=1).filter(
    lambda t: t.strip() and not t.startswith("-") and "\x00" not in t
    and t.casefold() not in {k.value for k in SortKey}))
def test_any_other_sort_key_is_a_usage_error(value: str) -> None:
    result = RUNNER.invoke(app, ["list", "--sort", value], env={"CLAIMS_DB": "/nonexistent/x.db"})
    assert result.exit_code == 2
    assert "Value error" not in result.stderr and "is not a sort key" in result.stderr


# Bad dates on write commands: refused before the database is touched (they were data
# errors, exit 1, before; tests/test_claims_cli.py and test_figures.py had them so).
WRITES = [
    ["add", "x", "--source", "menafn-putin-iran-treaty", "--said-on", "2020-13-45"],
    ["add", "x", "--source", "menafn-putin-iran-treaty", "--said-on", "yesterday"],
    ["add", "Start-up is planned.", "--source", "menafn-putin-iran-treaty", "--due", "soonish"],
    ["add", "Start-up is planned.", "--source", "menafn-putin-iran-treaty", "--due",
     "2024-02-30"],
    ["edit", "20", "--tag", "should-not-stick", "--said-on", "13/01/2025"],
    ["edit", "20", "--text", "Changed", "--due", "2024-13"],
    ["review", "add", "20", "false", "--by", "Checker", "--published", "2025-02-30"],
]


@pytest.mark.parametrize("argv", WRITES, ids=" ".join)
def test_a_bad_date_on_a_write_command_is_a_usage_error_that_writes_nothing(
        seeded: Any, argv: list[str]) -> None:
    before = snapshot(seeded.url)
    result = seeded(*argv)
    assert result.exit_code == 2 and result.stdout == ""
    assert f"'{argv[-1]}' is not a " in result.stderr and "Value error" not in result.stderr
    assert "YYYY-MM-DD" in result.stderr
    assert snapshot(seeded.url) == before


def test_every_number_parameter_was_found() -> None:
    found = {case for case, _, _ in NUMBERS}
    assert {"show abc", "list --limit abc", "similar --min-score abc",
            "link 1 supports abc"} <= found and len(NUMBERS) >= 20


@pytest.mark.parametrize(("case", "argv", "kind"), NUMBERS, ids=[c for c, _, _ in NUMBERS])
def test_a_word_where_a_number_goes_is_a_usage_error_in_the_same_style(
        tmp_path: Path, case: str, argv: list[str], kind: str) -> None:
    result = run(tmp_path, argv)
    assert result.exit_code == 2 and "Input should" not in result.stderr
    assert f"'abc' is not {kind}" in result.stderr


@pytest.mark.parametrize(("argv", "said"), [
    (["list", "--limit", "-1"], "'-1' is less than 0"),
    (["related", "1", "--depth", "0"], "'0' is less than 1"),
    (["similar", "1", "--min-score", "1e999"], "'1e999' is more than 100"),
    (["similar", "1", "--min-score", "nan"], "'nan' is not a number"),
])
def test_a_number_out_of_its_range_says_so_in_the_same_style(
        tmp_path: Path, argv: list[str], said: str) -> None:
    result = run(tmp_path, argv)
    assert result.exit_code == 2 and "Input should" not in result.stderr
    assert said in result.stderr
