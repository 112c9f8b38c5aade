"""Which module defines each command, so that ``claims list`` imports and builds ``list``
alone instead of every command module and all 52 commands (issue 17: about a tenth of a
quick command's CPU). ``claims --help`` and the completion of command names still build
them all, in the order below, which is the order ``--help`` lists them in.

The names here only make the lookup fast: a command missing from them is still found (by
building everything), and tests/test_registry.py fails until it is added.
"""

import importlib
from typing import Any

import typer
import typer.main

from claims.cli.as_of import add_as_of
from claims.cli.command_facts import COMMANDS


def _root_table() -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    for path, facts in COMMANDS.items():
        if " " not in path:
            table[facts.module] = (*table.get(facts.module, ()), path)
    return table


# Command modules with commands at the root, in --help's order, and the names they define.
ROOT: dict[str, tuple[str, ...]] = _root_table()

# Groups, after the root's commands: name -> (module, its Commands, --help's line for it).
GROUPS: dict[str, tuple[str, str, str]] = {
    "figure": ("figures", "figure_commands", "Figures (quantities) that claims give."),
    "measure": ("figures", "measure_commands", "Measures: named series of figures."),
    "review": ("reviews", "review_commands",
               "Fact-checks: our desk's and other publishers' verdicts on claims."),
    "entity": ("entities", "commands", "People, organisations, places ... and their aliases."),
    "source": ("sources", "commands", "Where claims were published."),
    "db": ("db", "commands", "Where the database is, its schema revision, and backups."),
}


def _module(name: str) -> Any:
    return importlib.import_module(f"claims.cli.commands.{name}")


def _root_commands(module_name: str, only: str | None, root: typer.Typer) -> dict[str, Any]:
    holder = typer.Typer()
    _module(module_name).commands.attach(holder)
    add_as_of(holder)
    built = {}
    for info in holder.registered_commands:
        assert info.callback is not None
        name = info.name or typer.main.get_command_name(info.callback.__name__)
        if only is None or name == only:
            built[name] = typer.main.get_command_from_info(
                info, pretty_exceptions_short=root.pretty_exceptions_short,
                rich_markup_mode=root.rich_markup_mode)
    return built


def _group(name: str, root: typer.Typer) -> Any:
    module_name, attribute, help_line = GROUPS[name]
    group = getattr(_module(module_name), attribute).group()
    add_as_of(group, name)
    holder = typer.Typer()
    holder.add_typer(group, name=name, help=help_line)
    return typer.main.get_group_from_info(
        holder.registered_groups[0], pretty_exceptions_short=root.pretty_exceptions_short,
        rich_markup_mode=root.rich_markup_mode, suggest_commands=root.suggest_commands)


def build(name: str, root: typer.Typer) -> Any | None:
    """The Click command ``name`` of the root, or None when it is not one of these."""
    if name in GROUPS:
        return _group(name, root)
    for module_name, names in ROOT.items():
        if name in names:
            return _root_commands(module_name, name, root).get(name)
    return None


def build_all(root: typer.Typer, built: dict[str, Any]) -> dict[str, Any]:
    """Every command of the root in --help's order, reusing those in ``built``."""
    every: dict[str, Any] = {}
    for module_name in ROOT:
        fresh = _root_commands(module_name, None, root)
        every.update({name: built.get(name, command) for name, command in fresh.items()})
    for name in GROUPS:
        every[name] = built.get(name) or _group(name, root)
    return every
