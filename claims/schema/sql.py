"""Small pieces every Core read shares: what a read runs on, IN-list chunking, and the one
time format of records."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from sqlalchemy import Connection, Table, func, select, text

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


def next_id(conn: Session | Connection, table: Table) -> int:
    """The id ``table`` hands out next: past every id it ever handed out (SQLite's
    AUTOINCREMENT counter, PostgreSQL's sequence), not only past the largest id still
    there, since the audit log keeps the ids of deleted rows."""
    column = table.autoincrement_column
    assert column is not None, f"{table.name} has no id sequence"
    largest = conn.execute(select(func.max(column))).scalar_one() or 0
    return max(largest, _last_handed_out(conn, table.name, column.name)) + 1


def _last_handed_out(conn: Session | Connection, table: str, column: str) -> int:
    dialect = conn.dialect if isinstance(conn, Connection) else conn.get_bind().dialect
    if dialect.name == "sqlite":
        if conn.execute(text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'")
                        ).first() is None:
            return 0
        value = conn.execute(text("SELECT seq FROM sqlite_sequence WHERE name = :table"),
                             {"table": table}).scalar()
        return int(value or 0)
    sequence = conn.execute(text("SELECT pg_get_serial_sequence(:table, :column)"),
                            {"table": table, "column": column}).scalar()
    if sequence is None:
        return 0
    last, called = conn.execute(text(f"SELECT last_value, is_called FROM {sequence}")).one()
    # Not called yet (after a setval(..., false)): last_value is the next id itself.
    return int(last) if called else int(last) - 1


def shown(value: Any) -> Any:
    """A value as records show it: ISO dates, UTC times as every record gives them."""
    return iso(value) if isinstance(value, date | datetime) else value
