"""Every value picked from a fixed set on the command line (an enum or ``Literal``
parameter: ``--format``, ``--sort``, ``--by``, ``--kind``, a link's KIND, a STATUS ...)
is read here, once, for every command: a value outside the set is a usage error (exit 2)
in the message style of a bad date, ``Invalid value for '--sort': 'bogus' is not a sort
key (choose one of: said_on, created, ...)``. So is a number (an ID, ``--limit``) that
is none: ``Invalid value for 'ID': 'abc' is not an integer``.

Typer (0.29) checks such values through pydantic, whose message for them starts
"Value error, " and lists the choices quoted, unlike every other message of ours. The
override below, applied once when the CLI is built (as ``helpstyle``'s), turns the typed
text into the member itself before Typer looks at it, so Typer's own check, which
accepts a member as it is, never fails.
"""

import re
from collections.abc import Sequence
from enum import Enum
from typing import Any

import typer
from typer import core

from claims.cli import as_typed

# Nouns for the sets whose class name does not say it (OutputFormat: "a format").
NOUNS = {"OutputFormat": "format", "ReportOutput": "report format", "GraphOutput": "graph format",
         "GroupBy": "grouping"}


def noun_for(choices: Sequence[Any], param: Any) -> str:
    """What a member of ``choices`` is called: from its enum's name, else the parameter's."""
    first = choices[0] if choices else None
    if isinstance(first, Enum):
        name = type(first).__name__
        return NOUNS.get(name) or re.sub(r"(?<!^)(?=[A-Z])", " ", name).lower()
    return str(param.name or "value").lower().replace("_", " ")


def _text(choice: Any) -> str:
    return str(choice.value) if isinstance(choice, Enum) else str(choice)


def choose(value: Any, choices: Sequence[Any], *, case_sensitive: bool, noun: str) -> Any:
    """The member of ``choices`` that ``value`` names, or a usage error saying which exist."""
    if any(value is choice for choice in choices):
        return value
    typed = str(value)
    for choice in choices:
        text = _text(choice)
        if typed == text or (not case_sensitive and typed.casefold() == text.casefold()):
            return choice
    article = "an" if noun[:1] in "aeiou" else "a"
    valid = ", ".join(_text(choice) for choice in choices)
    raise typer.BadParameter(f"{typed!r} is not {article} {noun} (choose one of: {valid})")


# Numbers: pydantic's "Input should be a valid integer, unable to parse string as an
# integer" said as the other messages are.
NUMBERS = {int: "an integer", float: "a number"}


def _read_number(annotation: Any, value: Any, info: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        number = annotation(value.strip())
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not {NUMBERS[annotation]}") from None
    low, high = getattr(info, "min", None), getattr(info, "max", None)
    if number != number and (low is not None or high is not None):  # NaN: in no range
        raise typer.BadParameter(f"{value!r} is not {NUMBERS[annotation]}")
    if not getattr(info, "clamp", False):
        if low is not None and number < low:
            raise typer.BadParameter(f"{value!r} is less than {low}")
        if high is not None and number > high:
            raise typer.BadParameter(f"{value!r} is more than {high}")
    return number


def _read_choices(param: Any, value: Any) -> Any:
    if value is None or value == () or value == []:  # nothing typed: the common case
        return value
    annotation = param.type_descriptor.annotation
    if annotation in NUMBERS:
        return _read_number(annotation, value, param.type_descriptor.parameter_info)
    choices = param.type_descriptor.choices
    if not choices:
        return value
    noun = noun_for(choices, param)
    case_sensitive = param.type_descriptor.case_sensitive

    def one(item: Any) -> Any:
        return choose(item, choices, case_sensitive=case_sensitive, noun=noun)

    if isinstance(value, list | tuple):
        return type(value)(one(item) for item in value)
    return one(value)


def apply() -> None:
    original = core._TyperParameter.process_value
    if getattr(original, "reads_choices", False):  # applied already
        return

    def process_value(self: Any, ctx: Any, value: Any) -> Any:
        try:
            value = _read_choices(self, value)
        except typer.BadParameter as exc:
            exc.ctx, exc.param = ctx, self
            raise
        stand_in = as_typed.unchanged(self, value) if self._runtime_param is None else None
        if stand_in is None:
            return original(self, ctx, value)
        self._runtime_param = stand_in  # claims.cli.as_typed: no pydantic for this value
        try:
            return original(self, ctx, value)
        finally:
            self._runtime_param = None

    process_value.reads_choices = True  # type: ignore[attr-defined]  # marks it applied
    core._TyperParameter.process_value = process_value  # type: ignore[method-assign]  # patch
