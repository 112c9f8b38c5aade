"""Fitting a table to the terminal: the free-text column (a claim's text, a search
snippet; a conflict's two claims share it) gets the width; the other columns keep their
natural width up to a cap and cut long values with an ellipsis; empty columns are left
out; words are never split (a word longer than its column, a URL say, is the only thing
folded).

When even that leaves the text column too narrow to read (under ``MIN_FLEX`` characters),
the least needed columns go, in ``DROP_ORDER``: a claim's entities, then its date, then
its source. Every format but the table keeps every field.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

# What a table is made of: its columns and how a value reads in a cell. A leaf, shared by
# ``render`` (every output format) and ``layout`` (fitting a table to the terminal).


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

# Columns leave the table in this order when the terminal is too narrow for them.
DROP_ORDER = ("about", "tags", "said_on", "evidence", "source", "outlet", "via", "speaker")
MIN_FLEX = 34
# Cap on a column that is not the flexible one and has no cap of its own.
DEFAULT_CAP = 24
# Between two columns: a space each side of a blank rule (none at the table's edges).
GAP = 3
# Before the flexible column is left narrower than MIN_FLEX, other wide columns are cut to
# this width (values ending in an ellipsis).
SQUEEZE_TO = 14


@dataclass(frozen=True)
class Fitted:
    column: Column
    width: int
    flex: bool


def natural_width(column: Column, records: Sequence[Record]) -> int:
    """The widest value, and the header's longest word (headers wrap between words)."""
    header = max((len(word) for word in column.header.split()), default=1)
    values = (len(cell(r.get(column.key))) for r in records)
    return max(header, max(values, default=0))


# The free-text columns, most wanted first; failing those, the widest uncapped column.
FLEX_KEYS = ("text", "snippet", "other_text", "claim_text", "description", "title", "note",
             "summary")
# Claim texts side by side (a conflict's two claims, a link's claim and its note) share the
# width, each wrapping.
SHARED_KEYS = ("text", "snippet", "other_text", "claim_text", "note")


def _flex_keys(columns: Sequence[Column], widths: dict[str, int]) -> list[str]:
    keys = {c.key for c in columns}
    shared = [key for key in SHARED_KEYS if key in keys]
    if shared:
        return shared
    for key in FLEX_KEYS:
        if key in keys:
            return [key]
    free = [c for c in columns if c.max_width is None]
    return [max(free, key=lambda c: widths[c.key]).key] if free else []


def _share(room: int, keys: Sequence[str], widths: dict[str, int]) -> dict[str, int]:
    """The flexible columns' widths: each its natural width if all fit, else ``room``
    split in proportion to them."""
    total = sum(widths[key] for key in keys)
    if total <= room:
        return {key: widths[key] for key in keys}
    return {key: max(1, room * widths[key] // max(total, 1)) for key in keys}


def fit(columns: Sequence[Column], records: Sequence[Record], width: int) -> list[Fitted]:
    """The columns to draw and their widths for a terminal ``width`` characters wide."""
    shown = [c for c in columns if any(cell(r.get(c.key)) for r in records)]
    widths = {c.key: natural_width(c, records) for c in shown}
    flexes = _flex_keys(shown, widths)
    caps = {c.key: min(widths[c.key], c.max_width or DEFAULT_CAP) for c in shown}

    def flex_room(keep: Sequence[Column]) -> int:
        fixed = sum(caps[c.key] for c in keep if c.key not in flexes)
        return width - fixed - GAP * (len(keep) - 1)

    def need(keep: Sequence[Column]) -> int:
        return min(MIN_FLEX, sum(widths[c.key] for c in keep if c.key in flexes))

    def roomy(keep: Sequence[Column]) -> bool:
        return not flexes or flex_room(keep) >= need(keep)

    for key in DROP_ORDER:
        if roomy(shown):
            break
        shown = [c for c in shown if c.key != key]
    for c in sorted(shown, key=lambda c: -caps[c.key]):
        if roomy(shown) or caps[c.key] <= SQUEEZE_TO:
            break
        if c.key not in flexes:
            caps[c.key] = max(SQUEEZE_TO, caps[c.key] - (need(shown) - flex_room(shown)))
    shared = _share(flex_room(shown), [c.key for c in shown if c.key in flexes], widths)
    return [Fitted(c, shared[c.key] if c.key in shared else caps[c.key], c.key in shared)
            for c in shown]


def table(records: Sequence[Record], columns: Sequence[Column], width: int,
          title: Any, styled: Any) -> Any:
    """A Rich table of ``records`` laid out for ``width``; ``styled(key, value)`` renders
    a cell."""
    from rich import box
    from rich.table import Table

    grid = Table(title=title, box=box.SIMPLE_HEAD, show_edge=False, header_style="bold",
                 pad_edge=False, expand=False)
    fitted = fit(columns, records, width)
    for f in fitted:
        grid.add_column(f.column.header, style=f.column.style, width=f.width,
                        overflow="fold" if f.flex else "ellipsis")
    for record in records:
        grid.add_row(*(_cell(f, styled(f.column.key, record.get(f.column.key)))
                       for f in fitted))
    return grid


def _cell(fitted: Fitted, value: Any) -> Any:
    """The flexible column wraps (its value may be Rich markup: a search snippet); the
    others are plain text cut to one line, so a header can still wrap between words."""
    if fitted.flex:
        return value
    from rich.text import Text

    text = value if isinstance(value, Text) else Text(str(value))
    text.truncate(fitted.width, overflow="ellipsis")
    return text
