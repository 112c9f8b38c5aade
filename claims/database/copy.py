"""Copy a whole claims database to another one, on either engine (``claims db copy``).

What is copied is every table of ``claims.schema.tables.metadata``, in dependency order, ids kept,
so a table added to the schema later is copied without a change here. The destination is
brought to the newest revision first and must hold no rows; then one transaction writes
everything, so a failure part-way (a value the destination refuses, an interrupt) leaves it
as empty as it was. The source is read in one snapshot and streamed in chunks, so memory
does not grow with the database.

What each engine needs besides the rows:

- References that point forwards or at their own table (``claims.status_event_id`` ->
  ``status_history``, which refers back to ``claims``; ``sources.via_id``) cannot be
  checked row by row while tables are filled in order. SQLite defers every foreign key
  check to the commit (``PRAGMA defer_foreign_keys``); PostgreSQL drops those constraints
  inside the transaction and adds them back at the end, which checks every row once.
- Each table's next id is carried over (SQLite's AUTOINCREMENT counter, PostgreSQL's
  sequences), so an id handed out once, a deleted claim's say, is never handed out again.
- The audit log is copied as rows like any table, with its triggers off while the copy
  writes, so the copy adds no entries of its own.
- Derived search data is never copied: SQLite's FTS index is filled by the triggers of
  ``claims``, PostgreSQL's ``search_vector`` is a generated column, so both match the
  copied rows however the source's index was built.

At the end every table's row count in the destination is compared with the source's
inside the same transaction; a difference is an error and nothing is committed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, ForeignKeyConstraint, Table, func, inspect, select, text
from sqlalchemy.engine import URL
from sqlalchemy.schema import AddConstraint, DropConstraint

from claims.audit.changesets import log_triggers_off
from claims.database.engine import (
    SCHEMA_HEAD,
    Database,
    current_revision,
    display_url,
    make_engine,
    open_database,
    resolve_url,
    translate_db_errors,
)
from claims.errors import ConflictError, DatabaseError
from claims.schema import tables
from claims.schema.bulk import copy_rows
from claims.schema.sql import next_id

CHUNK_ROWS = 5_000

# Called after each chunk with the table's name, its rows copied so far and its total.
Progress = Callable[[str, int, int], None]


@dataclass
class CopySummary:
    """Rows copied per table, in the order they were copied."""

    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def copy_database(
    source: str | os.PathLike[str] | URL,
    destination: str | os.PathLike[str] | URL,
    *,
    progress: Progress | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> CopySummary:
    """Copy every row of ``source`` into the empty database ``destination`` (paths or URLs,
    as for ``open_database``), all or nothing; returns the rows copied per table."""
    source_url, destination_url = _url(source), _url(destination)
    if source_url == destination_url:
        raise ConflictError("the source and the destination are the same database",
                            "copy into a new database")
    reader = _open_source(source_url)
    try:
        _refuse_filled_before_upgrade(destination_url)
        writer = open_database(destination_url)
        try:
            return _copy(reader, writer, progress, chunk_rows)
        finally:
            writer.close()
    finally:
        reader.close()


def copy_tables() -> list[Table]:
    """The tables a copy writes, parents before children."""
    return list(tables.metadata.sorted_tables)


def _url(value: str | os.PathLike[str] | URL) -> URL:
    return value if isinstance(value, URL) else resolve_url(value)


def _open_source(url: URL) -> Database:
    """The source as it is: a copy reads, it never upgrades (or creates) the source."""
    if url.get_backend_name() == "sqlite" and url.database and not os.path.exists(url.database):
        raise DatabaseError(f"the source {display_url(url)} does not exist",
                            "give the path or URL of an existing claims database")
    engine = make_engine(url)
    with translate_db_errors(url):
        revision = current_revision(engine)
    if revision != SCHEMA_HEAD:
        engine.dispose()
        found = "no schema" if revision is None else f"schema revision {revision}"
        raise DatabaseError(
            f"the source {display_url(url)} has {found}, not {SCHEMA_HEAD}",
            "upgrade it first: claims --db SOURCE db upgrade" if revision else
            "give the path or URL of a claims database",
        )
    return Database(url, engine)


def _copy(reader: Database, writer: Database, progress: Progress | None,
          chunk_rows: int) -> CopySummary:
    order = copy_tables()
    with translate_db_errors(reader.url), snapshot(reader) as source:
        totals = {table.name: table_count(source, table) for table in order}
        chunks = ((table, rows) for table in order
                  for rows in _table_chunks(source, table, chunk_rows))
        return fill_database(writer, totals, next_ids(source), chunks, progress)


# A table and some of its rows, as tuples in the order of its columns.
TableChunks = Iterable[tuple[Table, Sequence[Sequence[Any]]]]


def fill_database(writer: Database, totals: dict[str, int], next_id: dict[str, int],
                  chunks: TableChunks, progress: Progress | None = None) -> CopySummary:
    """Write ``chunks`` (tables in ``copy_tables`` order) into the empty database
    ``writer`` in one transaction, ids kept, the audit log's triggers off (the log is among
    the rows); then check every table holds ``totals[name]`` rows and carry ``next_id``
    (the id each table hands out next), so an id handed out once is never handed out again."""
    order = copy_tables()
    summary = CopySummary(rows={table.name: 0 for table in order})
    with translate_db_errors(writer.url), _write_transaction(writer) as target:
        _refuse_rows(target, order, writer.url)
        write = _copy_in if target.dialect.driver == "psycopg" else _insert
        with _references_checked_at_end(target, order), log_triggers_off(target):
            for table in order:
                if progress:
                    progress(table.name, 0, totals.get(table.name, 0))
            for table, rows in chunks:
                write(target, table, [c.name for c in table.columns], rows)
                summary.rows[table.name] += len(rows)
                if progress:
                    progress(table.name, summary.rows[table.name], totals.get(table.name, 0))
        _carry_next_ids(target, order, next_id)
        _check_counts(target, order, totals)
        _analyze(target, order)
    _vacuum(writer, order)
    return summary


def _analyze(target: Connection, order: Sequence[Table]) -> None:
    """PostgreSQL: statistics for the planner now, not at autovacuum's next round. Without
    them a freshly filled database is planned as if empty: at a million claims, reading a
    page of claims joined every status event by hash (seconds instead of milliseconds).
    (SQLite is left without statistics, as claims always leaves it: its plans are chosen
    for that, tests/test_query_plans.py.)"""
    if target.dialect.name == "sqlite":
        return
    for table in order:
        target.exec_driver_sql(f"ANALYZE {target.dialect.identifier_preparer.format_table(table)}")


def _vacuum(writer: Database, order: Sequence[Table]) -> None:
    """PostgreSQL, after the commit (VACUUM runs in no transaction): mark the new pages
    all-visible, as autovacuum would within minutes, so that the first reads need not
    set every row's hint bits and a timeline is read from its index alone (revision 0013)."""
    if writer.dialect == "sqlite":
        return
    with translate_db_errors(writer.url), writer.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        for table in order:
            conn.exec_driver_sql(f"VACUUM {conn.dialect.identifier_preparer.format_table(table)}")


@contextmanager
def snapshot(database: Database) -> Iterator[Connection]:
    """One read transaction that sees the source as it was at one moment, whoever writes."""
    with database.engine.connect() as conn:
        if database.dialect != "sqlite":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            yield conn


@contextmanager
def _write_transaction(database: Database) -> Iterator[Connection]:
    with database.engine.connect() as conn:
        conn = conn.execution_options(sqlite_begin="IMMEDIATE")
        with conn.begin():
            yield conn


def _refuse_filled_before_upgrade(url: URL) -> None:
    """A destination with rows is refused before its schema is touched (an older claims
    database would otherwise be upgraded on the way to being refused)."""
    if url.get_backend_name() == "sqlite" and url.database and not os.path.exists(url.database):
        return
    engine = make_engine(url)
    try:
        with translate_db_errors(url):
            if current_revision(engine) is None:
                return
            present = set(inspect(engine).get_table_names())
            with engine.connect() as conn:
                _refuse_rows(conn, [t for t in copy_tables() if t.name in present], url)
    finally:
        engine.dispose()


def _refuse_rows(target: Connection, order: Sequence[Table], url: URL) -> None:
    for table in order:
        if target.execute(select(1).select_from(table).limit(1)).first():
            raise ConflictError(
                f"the destination {display_url(url)} is not empty (table {table.name} has rows)",
                "copy into a new database file or an empty PostgreSQL database",
            )


def table_count(conn: Connection, table: Table) -> int:
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _table_chunks(source: Connection, table: Table,
                  chunk_rows: int) -> Iterator[Sequence[Any]]:
    """The table's rows in primary-key order, ``chunk_rows`` at a time (streamed)."""
    ordered = select(table).order_by(*table.primary_key.columns)
    result = source.execute(
        ordered, execution_options={"stream_results": True, "yield_per": chunk_rows})
    yield from result.partitions()


def _insert(target: Connection, table: Table, names: list[str], rows: Sequence[Any]) -> None:
    target.execute(table.insert(), [dict(zip(names, row, strict=True)) for row in rows])


def _copy_in(target: Connection, table: Table, names: list[str], rows: Sequence[Any]) -> None:
    """PostgreSQL: the rows through COPY (psycopg 3), several times faster than INSERTs,
    in the same transaction; values are converted as an INSERT would convert them."""
    copy_rows(target, table, names, rows)


@contextmanager
def _references_checked_at_end(target: Connection, order: Sequence[Table]) -> Iterator[None]:
    """Let references point at rows not copied yet; every one is checked before commit."""
    if target.dialect.name == "sqlite":
        # Lasts to the end of this transaction; the commit fails on a broken reference.
        target.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        yield
        return
    later = _forward_references(order)
    for constraint in later:
        target.execute(DropConstraint(constraint))
    yield
    for constraint in later:
        target.execute(AddConstraint(constraint))


def _forward_references(order: Sequence[Table]) -> list[ForeignKeyConstraint]:
    """Foreign keys whose referred table is not copied strictly before their own."""
    position = {table.name: i for i, table in enumerate(order)}
    return [
        constraint
        for table in order
        for constraint in table.foreign_key_constraints
        if position[constraint.referred_table.name] >= position[table.name]
    ]


def next_ids(conn: Connection) -> dict[str, int]:
    """The id each table with an id sequence hands out next (``claims.schema.sql.next_id``)."""
    return {table.name: next_id(conn, table) for table in copy_tables()
            if table.autoincrement_column is not None}


def _carry_next_ids(target: Connection, order: Sequence[Table],
                    next_id: dict[str, int]) -> None:
    for table in order:
        column = table.autoincrement_column
        if column is None or table.name not in next_id:
            continue
        if target.dialect.name != "sqlite":
            target.execute(text("SELECT setval(pg_get_serial_sequence(:table, :column), "
                                ":next, false)"),
                           {"table": table.name, "column": column.name,
                            "next": next_id[table.name]})
        elif table.kwargs.get("sqlite_autoincrement"):
            # Other SQLite tables take max(rowid) + 1 by themselves.
            last = next_id[table.name] - 1
            done = target.exec_driver_sql("UPDATE sqlite_sequence SET seq = ? WHERE name = ?",
                                          (last, table.name)).rowcount
            if not done:
                target.exec_driver_sql("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)",
                                       (table.name, last))


def _check_counts(target: Connection, order: Sequence[Table], totals: dict[str, int]) -> None:
    for table in order:
        written = table_count(target, table)
        if written != totals[table.name]:
            raise DatabaseError(
                f"copy check failed: table {table.name} has {written} rows in the destination,"
                f" {totals[table.name]} in the source",
                "nothing was written; report this as a bug",
            )
