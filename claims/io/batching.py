"""What every bulk writer of the importer shares: the error that names a bad record, ids
handed out before an ``executemany``. (Long ``IN`` lists are cut by ``query.chunks``.)"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from claims.io.records import Item


class RecordError(Exception):
    """One record cannot be imported; carries the item it came from."""

    def __init__(self, item: Item, reason: str) -> None:
        super().__init__(reason)
        self.item = item
        self.reason = reason


def new_ids(session: Session, table: Table, count: int) -> list[int]:
    """Primary keys for rows about to be inserted, so that a plain ``executemany`` can
    insert them (RETURNING would make SQLite insert row by row). PostgreSQL hands out
    sequence values; SQLite continues from the largest id, safe because the import's
    transaction holds SQLite's write lock from its first statement."""
    if count == 0:
        return []
    if session.get_bind().dialect.name == "postgresql":
        sequence = func.pg_get_serial_sequence(table.name, "id")
        return list(session.scalars(
            select(func.nextval(sequence)).select_from(func.generate_series(1, count))))
    start = (session.scalar(select(func.max(table.c.id))) or 0) + 1
    return list(range(start, start + count))


def as_table(model: Any) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table
