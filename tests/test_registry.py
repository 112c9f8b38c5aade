"""The root's commands are built lazily (claims.cli.registry): its table must name every
command where it is defined, so that ``claims NAME`` builds that one command alone, and the
lazily built CLI must be the eagerly built one: the same commands in the same order, the
same --help for each."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import typer.main

from claims.cli import registry
from claims.cli.app import app
from tests.probe import probe_script


def _defined(module_name: str) -> list[str]:
    holder = typer.Typer()
    registry._module(module_name).commands.attach(holder)
    return [info.name or typer.main.get_command_name(info.callback.__name__)
            for info in holder.registered_commands if info.callback is not None]


def test_the_table_names_every_command_of_each_module_in_its_order() -> None:
    for module_name, names in registry.ROOT.items():
        assert tuple(_defined(module_name)) == names, module_name


def test_the_root_lists_the_table_in_its_order() -> None:
    root = typer.main.get_command(app)
    names = [*(n for names in registry.ROOT.values() for n in names), *registry.GROUPS]
    ctx = root.make_context("claims", ["--help"], resilient_parsing=True)
    assert root.list_commands(ctx) == names
    assert list(root.commands) == names  # type: ignore[attr-defined]


def test_a_command_built_alone_is_the_command_built_with_the_rest() -> None:
    every = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    for name, command in every.items():
        alone = typer.main.get_command(app)
        ctx = alone.make_context("claims", [name], resilient_parsing=True)
        single = alone.get_command(ctx, name)
        assert _shape(single) == _shape(command), name
        assert single.get_help(ctx) == command.get_help(ctx), name


def _shape(command: Any) -> Any:
    params = [(p.name, p.opts, p.default, p.required, p.help if hasattr(p, "help") else None)
              for p in command.params]
    subs = {n: _shape(c) for n, c in getattr(command, "commands", {}).items()}
    return command.name, command.help, params, subs


PROBE = probe_script("MODULES", "sorted(m for m in sys.modules"
                     " if m.startswith('claims.cli.commands.'))")


def test_running_a_command_imports_its_module_alone() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE, "db", "path"], capture_output=True,
                          text=True, env={**os.environ, "CLAIMS_DB": "x.db"}, check=True)
    assert done.stderr.rpartition("MODULES ")[2].strip() == "['claims.cli.commands.db']"
