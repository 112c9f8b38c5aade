"""Small pieces every Core read shares: what a read runs on, and IN-list chunking."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
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
