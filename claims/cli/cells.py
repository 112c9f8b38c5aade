"""What a table is made of: its columns and how a value reads in a cell. A leaf, shared by
``render`` (every output format) and ``layout`` (fitting a table to the terminal)."""

from dataclasses import dataclass
from typing import Any

Record = dict[str, Any]


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    style: str | None = None
    max_width: int | None = None


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(cell(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {cell(v)}" for k, v in value.items())
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
