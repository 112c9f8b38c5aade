"""Issue 16's rule for numbers, checked on every integer parameter of every command rather
than on a hand-kept list: beyond 64 bits (and for day counts, beyond any date) a value is
a usage error (exit 2) in one clear line, or a valid input, never an ``unexpected
OverflowError``; nothing is written. Found this way: ``figure add/suggest/delete``,
``reviews`` and ``review add`` ids, ``due --within`` and ``timeline --stale-after``."""

from __future__ import annotations

import enum
import typing
from collections.abc import Iterator
from typing import Any

import pytest
import typer
import typer.core

from claims.cli.app import app
from tests.conftest import Cli, snapshot

BEYOND_64_BITS = "99999999999999999999"
BEYOND_DATES = "9999999999"  # fits in 64 bits; as days it passes the year 9999
SKIPPED = {"serve"}  # starts a web server; its --port has a range of its own (0-65535)


def _annotation(param: Any) -> Any:
    # This Typer builds Click's parameter types lazily; the annotation is what it reads.
    return param.type_descriptor.annotation


def _is_int(param: Any) -> bool:
    annotation = _annotation(param)
    return annotation is int or int in typing.get_args(annotation)


def _placeholder(param: Any) -> str:
    annotation = _annotation(param)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return str(next(iter(annotation)).value)
    return "1" if _is_int(param) else "x"


def _commands() -> Iterator[tuple[list[str], Any]]:
    def walk(command: Any, path: list[str]) -> Iterator[tuple[list[str], Any]]:
        if hasattr(command, "commands"):
            for name, sub in sorted(command.commands.items()):
                if name not in SKIPPED:
                    yield from walk(sub, [*path, name])
        else:
            yield path, command

    yield from walk(typer.main.get_command(app), [])


def _int_params() -> Iterator[tuple[list[str], Any]]:
    for path, command in _commands():
        for param in command.params:
            if _is_int(param):
                yield path, param


def _command_line(path: list[str], target: Any, value: str) -> list[str]:
    """The command with ``value`` for ``target`` and placeholders for what else it needs."""
    command = _find(path)
    args, options = [], []
    for param in command.params:
        given = value if param.name == target.name else _placeholder(param)
        if isinstance(param, typer.core.TyperArgument):
            if param.name == target.name or param.required:
                args.append(given)
        elif param.name == target.name or param.required:
            options += [param.opts[0], given]
    return [*path, *options, "--", *args] if args else [*path, *options]


def _find(path: list[str]) -> Any:
    return next(command for found, command in _commands() if found == path)


CASES = [(path, param) for path, param in _int_params()]
IDS = [" ".join(path) + " " + (param.name or "") for path, param in CASES]


def test_the_walk_finds_the_numbers_issue_16_names() -> None:
    found = set(IDS)
    for expected in ("show claim_id", "list limit", "related depth", "due within",
                     "figure add claim_id", "timeline stale_after"):
        assert expected in found, sorted(found)


@pytest.mark.parametrize(("path", "param"), CASES, ids=IDS)
def test_a_number_beyond_64_bits_is_a_usage_error(seeded: Cli, path: list[str],
                                                   param: Any) -> None:
    before = snapshot(seeded.url)
    run = seeded(*_command_line(path, param, BEYOND_64_BITS))
    assert run.exit_code == 2, (run.exit_code, run.stderr[-500:])
    assert "unexpected" not in run.stderr and "Traceback" not in run.stderr
    assert "64 bits" in run.stderr or "range" in run.stderr, run.stderr[-500:]
    assert snapshot(seeded.url) == before


@pytest.mark.parametrize(("path", "param"), CASES, ids=IDS)
def test_a_large_64_bit_number_is_never_an_overflow(seeded: Cli, path: list[str],
                                                     param: Any) -> None:
    run = seeded(*_command_line(path, param, BEYOND_DATES))
    assert run.exit_code in (0, 1, 2), run.stderr[-500:]
    assert "unexpected" not in run.stderr and "Traceback" not in run.stderr, run.stderr[-500:]
    if run.exit_code == 1:
        lines = run.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), run.stderr[-500:]
