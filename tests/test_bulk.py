"""claims.schema.bulk: many rows in one go, the same on both engines (COPY on PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from claims.database.engine import Database
from claims.schema import tables
from claims.schema.bulk import insert_rows, references_checked_after, uses_copy


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


def _claim_and_event(conn: object, *, with_event: bool) -> None:
    """A claim written first, pointing at the status event written after it."""
    insert_rows(conn, tables.sources, [{"id": 1, "key": "s", "title": "T", "outlet": "O"}])
    with references_checked_after(conn, tables.claims.c.status_event_id):
        insert_rows(conn, tables.claims, [{"id": 7, "text": "A claim", "text_hash": 1,
                                           "source_id": 1, "status_event_id": 70}])
        if with_event:
            insert_rows(conn, tables.status_history, [
                {"id": 70, "claim_id": 7, "from_status": None, "to_status": "unverified"}])


def test_a_claim_may_point_at_the_event_written_after_it(db: Database) -> None:
    with db.engine.begin() as conn:
        _claim_and_event(conn, with_event=True)
    with db.engine.connect() as conn:
        row = conn.execute(select(tables.claims.c.status_event_id,
                                  tables.status_history.c.to_status)
                           .join(tables.status_history,
                                 tables.status_history.c.id == tables.claims.c.status_event_id)
                           ).one()
    assert tuple(row) == (70, "unverified")


def test_a_pointer_to_nothing_is_still_refused_and_writes_nothing(db: Database) -> None:
    # PostgreSQL refuses at the end of the block, SQLite at the commit: either way nothing
    # of the transaction is kept.
    with pytest.raises(IntegrityError), db.engine.begin() as conn:
        _claim_and_event(conn, with_event=False)
    with db.engine.connect() as conn:
        assert conn.execute(select(tables.claims.c.id)).all() == []
        assert conn.execute(select(tables.sources.c.id)).all() == []


def test_outside_the_block_the_pointer_is_checked_at_once(db: Database) -> None:
    with pytest.raises(IntegrityError), db.engine.begin() as conn:
        insert_rows(conn, tables.sources, [{"id": 1, "key": "s", "title": "T", "outlet": "O"}])
        conn.execute(tables.claims.insert().values(id=7, text="A claim", text_hash=1,
                                                   source_id=1, status_event_id=70))
