"""claims.bulk: many rows in one go, the same on both engines (COPY on PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from claims import tables
from claims.bulk import insert_rows, update_column, uses_copy
from claims.db import Database


def test_rows_go_in_with_python_defaults_and_converted_values(db: Database) -> None:
    rows = [{"key": f"s{i}", "title": f"Título «{i}»\ttab", "outlet": "Wire", "url": None}
            for i in range(3)]
    with db.engine.begin() as conn:
        insert_rows(conn, tables.sources, rows)
        assert uses_copy(conn) == (db.dialect == "postgresql")
    with db.engine.connect() as conn:
        stored = conn.execute(select(tables.sources).order_by(tables.sources.c.key)).all()
    assert [(r.key, r.title, r.url) for r in stored] == [
        (f"s{i}", f"Título «{i}»\ttab", None) for i in range(3)]
    # Left out, so filled as an INSERT fills them: the kind's default and the time now.
    assert {r.kind for r in stored} == {"article"}
    assert all(r.created_at is not None and r.created_at.tzinfo is not None for r in stored)


def test_a_refused_row_is_the_same_error_and_writes_nothing(db: Database) -> None:
    rows = [{"key": "dup", "title": "A", "outlet": "W"}, {"key": "dup", "title": "B",
                                                         "outlet": "W"}]
    with pytest.raises(IntegrityError), db.engine.begin() as conn:
        insert_rows(conn, tables.sources, rows)
    with db.engine.connect() as conn:
        assert conn.execute(select(tables.sources.c.key)).all() == []


def test_one_column_of_many_rows_is_set(db: Database) -> None:
    with db.engine.begin() as conn:
        insert_rows(conn, tables.sources, [{"key": f"k{i}", "title": "T", "outlet": "O"}
                                           for i in range(4)])
        ids = dict(conn.execute(select(tables.sources.c.key, tables.sources.c.id)).all())
        update_column(conn, tables.sources, "id", "outlet",
                      [(ids["k1"], "One"), (ids["k3"], "Three")])
    with db.engine.connect() as conn:
        outlets = dict(conn.execute(select(tables.sources.c.key, tables.sources.c.outlet)).all())
    assert outlets == {"k0": "O", "k1": "One", "k2": "O", "k3": "Three"}
