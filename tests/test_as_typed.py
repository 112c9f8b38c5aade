"""claims.cli.as_typed passes a value on without Typer's pydantic adapter only when that
adapter would return it unchanged: checked against Typer's own coercion on every parameter
of every command, and a quick command run in a fresh interpreter imports no pydantic."""

from __future__ import annotations

import enum
import functools
import os
import shutil
import subprocess
import sys
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer import _coercion

from claims.cli import as_typed
from claims.cli.app import app
from tests.probe import probe_script


def _params() -> Iterator[tuple[str, Any]]:
    def walk(command: Any, path: str) -> Iterator[tuple[str, Any]]:
        for param in command.params:
            yield f"{path} {param.name}", param
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            yield from walk(sub, f"{path} {name}")

    yield from walk(typer.main.get_command(app), "claims")


def _leaf_samples(annotation: Any, info: Any) -> list[Any]:
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return list(annotation)
    if annotation is bool:
        return [True, False]
    if annotation is int or annotation is float:
        low = info.min if info.min is not None else annotation(-3)
        samples = [annotation(low), annotation(low) + 1]
        if info.max is not None:
            samples += [annotation(info.max), annotation(info.max) + 1]
        return [*samples, annotation(low) - 1]
    return ["x", "", "ümlaut -x", 1, Path("x")]


def _samples(param: Any) -> list[Any]:
    descriptor = param.type_descriptor
    annotation, info = descriptor.annotation, descriptor.parameter_info
    if typing.get_origin(annotation) is list:
        (leaf,) = typing.get_args(annotation)
        items = _leaf_samples(leaf, info)
        return [None, (), tuple(items[:1]), tuple(items), list(items[:2]), items[0]]
    return [None, *_leaf_samples(annotation, info)]


@functools.cache
def _context() -> Any:
    return typer.main.get_command(app).make_context("claims", ["--help"], resilient_parsing=True)


CASES = [(where, param, value) for where, param in _params() for value in _samples(param)]


@pytest.mark.parametrize(("where", "param", "value"), CASES,
                         ids=[f"{w}={v!r}" for w, _, v in CASES])
def test_a_value_passed_on_as_typed_is_what_typers_coercion_gives(
        where: str, param: Any, value: Any) -> None:
    stand_in = as_typed.unchanged(param, value)
    if stand_in is None:
        return  # Typer's adapter reads this one
    ctx = _context()
    typers = _coercion.build_runtime_param(param.type_descriptor)
    expected = typers.coerce(value, param=param, ctx=ctx)
    got = stand_in.coerce(value, param=param, ctx=ctx)
    assert got == expected and type(got) is type(expected), where


def test_values_typers_coercion_would_change_go_through_it() -> None:
    by_name = {where: param for where, param in _params()}
    assert as_typed.unchanged(by_name["claims list limit"], "50") is None  # not yet read
    assert as_typed.unchanged(by_name["claims list limit"], -1) is None  # below its min
    assert as_typed.unchanged(by_name["claims db backup target"], "copy.db") is None  # a Path
    assert as_typed.unchanged(by_name["claims list limit"], 50) is not None


# Neither pydantic nor, on SQLite, SQLAlchemy's PostgreSQL dialect (45 ms to import: a
# ``postgresql_*`` argument in claims.schema.tables, or a module-level import, would load it).
PROBE = probe_script("LOADED", "[m for m in ('pydantic', 'sqlalchemy.dialects.postgresql') "
                               "if m in sys.modules]")


@pytest.mark.parametrize("argv", [
    ["list", "--entity", "Iran", "--limit", "2", "--format", "json"],
    ["show", "7", "--format", "json"],
    ["search", "treaty", "--status", "unverified"],
    ["status", "7", "disputed", "--note", "checking"],
    ["add", "A new claim", "--source", "menafn-putin-iran-treaty"],
    ["--help"],
])
def test_the_quick_commands_import_no_pydantic_nor_postgresql(tmp_path: Path, argv: list[str],
                                               sqlite_templates: dict[str, Path]) -> None:
    # The imports are the same on both engines: one SQLite file says it.
    path = tmp_path / "claims.db"
    shutil.copyfile(sqlite_templates["seeded"], path)
    done = subprocess.run([sys.executable, "-c", PROBE, "--db", str(path), *argv],
                          capture_output=True, text=True, env=dict(os.environ), check=True)
    assert "Error" not in done.stderr
    assert done.stderr.rpartition("LOADED ")[2].strip() == "[]"
