"""Fitting a table to the terminal: the widest free-text column (a claim's text, a search
snippet) gets the width; the other columns keep their natural width up to a cap and cut
long values with an ellipsis; empty columns are left out; words are never split (a word
longer than its column, a URL say, is the only thing folded).

When even that leaves the text column too narrow to read (under ``MIN_FLEX`` characters),
the least needed columns go, in ``DROP_ORDER``: a claim's entities, then its date, then
its source. Every format but the table keeps every field.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from claims.cli.cells import Column, Record, cell

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


def _flex_key(columns: Sequence[Column], widths: dict[str, int]) -> str | None:
    keys = {c.key for c in columns}
    for key in FLEX_KEYS:
        if key in keys:
            return key
    free = [c for c in columns if c.max_width is None]
    return max(free, key=lambda c: widths[c.key]).key if free else None


def fit(columns: Sequence[Column], records: Sequence[Record], width: int) -> list[Fitted]:
    """The columns to draw and their widths for a terminal ``width`` characters wide."""
    shown = [c for c in columns if any(cell(r.get(c.key)) for r in records)]
    widths = {c.key: natural_width(c, records) for c in shown}
    flex = _flex_key(shown, widths)
    caps = {c.key: min(widths[c.key], c.max_width or DEFAULT_CAP) for c in shown}

    def flex_room(keep: Sequence[Column]) -> int:
        fixed = sum(caps[c.key] for c in keep if c.key != flex)
        return width - fixed - GAP * (len(keep) - 1)

    def roomy(keep: Sequence[Column]) -> bool:
        return flex is None or flex_room(keep) >= min(MIN_FLEX, widths[flex])

    for key in DROP_ORDER:
        if roomy(shown):
            break
        shown = [c for c in shown if c.key != key]
    for c in sorted(shown, key=lambda c: -caps[c.key]):
        if roomy(shown) or caps[c.key] <= SQUEEZE_TO:
            break
        if c.key != flex:
            caps[c.key] = max(SQUEEZE_TO, caps[c.key] - (min(MIN_FLEX, widths[flex or ""])
                                                         - flex_room(shown)))
    room = flex_room(shown)
    return [
        Fitted(c, max(1, min(widths[c.key], room)) if c.key == flex else caps[c.key],
               c.key == flex)
        for c in shown
    ]


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
