"""Small pieces every Core read shares: what a read runs on, IN-list chunking, and the one
time format of records."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, TypeAlias, TypeVar

from sqlalchemy import Connection

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

# An ORM session (``Database.read()``) or a Core connection (``Database.connect()``).
Reader: TypeAlias = "Session | Connection"
T = TypeVar("T")
# Values per ``IN (...)``: far below SQLite's and PostgreSQL's bound-parameter limits.
IN_CHUNK = 500


def chunks(values: Sequence[T], size: int = IN_CHUNK) -> Iterator[Sequence[T]]:
    """``values`` in slices short enough for one ``IN (...)`` list."""
    for start in range(0, len(values), size):
        yield values[start:start + size]


def iso(value: date | datetime | None) -> str | None:
    """The one time format of every record: dates ``YYYY-MM-DD``; times UTC to the
    microsecond, ``2025-04-21T10:00:00.000000Z``, so an export and its re-import agree."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds").replace("+00:00", "Z")
    return value.isoformat()
