"""Values that Typer's coercion would hand back as they are, passed on without it.

Typer (0.29) checks every parameter of the command being run through a pydantic
``TypeAdapter`` it builds on first use, even one given no value, whose coercion returns
None (or ``()``) before it looks at the adapter. Building the first adapter imports
pydantic's validation machinery: about a seventh of the CPU time of ``claims list``
(bench/quick.py). Every value of claims' options is a string, a number that
``claims.cli.choices`` has read and range-checked, a member of an enum (also read there),
a flag, or a list of those, and for each of these the adapter returns the value unchanged
(a list for a list). So ``choices.process_value`` hands such a value to Typer with a
stand-in that returns it as is, and pydantic is imported only for a value it would change
(a path, say). tests/test_as_typed.py checks the stand-in against Typer's own adapters on
every parameter of every command.
"""

from dataclasses import dataclass
from enum import Enum
from typing import Any, get_args, get_origin

from typer import _coercion

# The leaf types whose adapter returns a value of exactly that type unchanged.
PLAIN = (str, int, float)


@dataclass(frozen=True)
class Unchanged(_coercion.RuntimeParam):
    """Typer's runtime coercion for a value it would not change: the value itself."""

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        return list(value) if isinstance(value, list | tuple) else value


def _leaf_unchanged(annotation: Any, info: Any, value: Any) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return type(value) is annotation
    if annotation is bool:
        return type(value) is bool
    if annotation not in PLAIN or type(value) is not annotation:
        return False
    if info.parser is not None:
        return False
    low, high = info.min, info.max
    return (low is None or value >= low) and (high is None or value <= high)


def unchanged(param: Any, value: Any) -> Unchanged | None:
    """A stand-in for ``param``'s coercion when Typer's would return ``value`` as it is."""
    descriptor = param.type_descriptor
    annotation, info = descriptor.annotation, descriptor.parameter_info
    if descriptor.file_annotation is not None:
        return None
    stand_in = Unchanged(parameter_info=info, annotation=annotation)
    if value is None:
        return stand_in
    if get_origin(annotation) is list:
        (leaf,) = get_args(annotation)
        items = value if isinstance(value, list | tuple) else None
        if items is not None and all(_leaf_unchanged(leaf, info, item) for item in items):
            return stand_in
        return None
    return stand_in if _leaf_unchanged(annotation, info, value) else None
