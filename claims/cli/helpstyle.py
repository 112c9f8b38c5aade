"""Help that reads like a Unix tool's: ``--source TEXT``, ``ID``, ``--format [table|tsv]``,
not Typer's ``<str>``, ``ID <int>``, ``<list[str]>`` or ``[[ID]]``.

Typer (0.29) spells a parameter's type in its own way in ``display_type`` and decorates
arguments in the usage line; these two overrides, applied once when the CLI is built, put
the conventional metavars in their place for every command at once. Explicit metavars
(``NAME``, ``KEY``, ``DATE``, ``ID``) are kept as given.

A command's one-line summary in ``claims -h`` is its docstring's first paragraph: Click
ends it at the first word ending in a full stop, which cut "e.g. '5 contradicts 4'" and
"places ... and their aliases" in half; here it is only shortened, between words, when
it does not fit the line.
"""

import inspect
from typing import Any

from typer import core
from typer._param_types import choice_as_str

TYPE_WORDS = {"str": "TEXT", "int": "INTEGER", "float": "NUMBER", "datetime": "DATE"}


def _display_type(self: Any, ctx: Any) -> str:
    desc = self.type_descriptor
    if desc.is_choice:
        return "[" + "|".join(choice_as_str(c) for c in desc.choices or ()) + "]"
    if desc.is_path:
        return "FILE" if desc.path_type == "file" else "PATH"
    bare = str(self.bare_type())
    for word, label in TYPE_WORDS.items():
        if word in bare:
            return label
    return bare.upper()


def _argument_type(self: Any, ctx: Any) -> str | None:
    """An argument is named by its metavar (or its name in capitals), nothing more."""
    return None


def _argument_name(self: Any) -> str:
    if self.metavar is not None:
        return str(self.metavar).strip("[]")
    return str(self.name).upper()


def _argument_usage(self: Any) -> str:
    name = _argument_name(self)
    if not self.required:
        name = f"[{name}]"
    return name + ("..." if self.nargs != 1 else "")


def _short_help(self: Any, limit: int = 45) -> str:
    text = inspect.cleandoc(self.short_help or self.help or "").split("\n\n")[0]
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def apply() -> None:
    # Monkeypatches of Typer's classes; mypy refuses assigning to a method without an ignore.
    for command_class in (core.TyperCommand, core.TyperGroup):
        command_class.get_short_help_str = _short_help  # type: ignore[method-assign]  # patch
    core._TyperParameter.display_type = _display_type  # type: ignore[method-assign]  # patch
    core.TyperArgument.display_type_rich = _argument_type  # type: ignore[method-assign]  # patch
    core.TyperArgument._rich_display_name = _argument_name  # type: ignore[method-assign]  # patch
    core.TyperArgument._usage_display_name = _argument_usage  # type: ignore[method-assign]  # patch
