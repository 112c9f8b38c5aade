"""Many rows into one table in one go (``insert_rows``), the fastest way each engine offers:
on PostgreSQL through psycopg 3, ``COPY ... FROM STDIN`` (several times faster than an
``executemany`` of INSERTs); elsewhere SQLAlchemy's ``executemany``, which SQLite runs as
one prepared statement in C. And references that may point at rows written later in a
block (``references_checked_after``), so that such rows need not be written twice.

Both run in the caller's transaction (and savepoint), and a value the database refuses is
raised as the same SQLAlchemy exception (``IntegrityError`` ...) an INSERT would raise, so
callers handle failures alike on both engines. Values are converted as an INSERT converts
them (each column type's bind processor), and a column left out gets its Python-side default
as with an INSERT (server-side defaults apply by themselves).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from sqlalchemy import Column, Connection, Table
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def insert_rows(target: Connection | Session, table: Table,
                rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows`` (dicts of column name -> value, all with the same keys) into ``table``."""
    if not rows:
        return
    conn = target if isinstance(target, Connection) else target.connection()
    if not uses_copy(conn):
        conn.execute(table.insert(), list(rows))
        return
    names = list(rows[0])
    missing = [column for column in table.columns
               if column.name not in rows[0] and _python_default(column) is not None]
    fill = [_default_value(column) for column in missing]
    copy_rows(conn, table, [*names, *(c.name for c in missing)],
              ([*(row[name] for name in names), *fill] for row in rows))


@contextmanager
def references_checked_after(target: Connection | Session, column: Column[Any]
                             ) -> Iterator[None]:
    """Inside the block, ``column`` may point at rows the block adds later; the references
    are checked when it ends. PostgreSQL checks them then (``SET CONSTRAINTS ... IMMEDIATE``,
    in the caller's savepoint, so a broken one fails there; the constraint is DEFERRABLE,
    revision 0012). SQLite can only defer every foreign key of the rest of the transaction
    to its commit (``PRAGMA defer_foreign_keys``), and the commit fails on a broken one."""
    conn = target if isinstance(target, Connection) else target.connection()
    if conn.dialect.name == "sqlite":
        # Not switched off after the block: that would forget the references it deferred
        # (SQLite resets its count of them); it switches itself off at the commit.
        conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        yield
        return
    (foreign_key,) = column.foreign_keys
    constraint = foreign_key.constraint
    assert constraint is not None, "a column of a table has its foreign key's constraint"
    name = conn.dialect.identifier_preparer.quote(str(constraint.name))
    conn.exec_driver_sql(f"SET CONSTRAINTS {name} DEFERRED")
    yield
    conn.exec_driver_sql(f"SET CONSTRAINTS {name} IMMEDIATE")


def uses_copy(conn: Connection) -> bool:
    """Whether ``insert_rows`` writes through COPY on this connection."""
    return conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg"


def copy_rows(conn: Connection, table: Table, names: Sequence[str],
              rows: Iterable[Sequence[Any]]) -> None:
    """PostgreSQL (psycopg 3): ``rows``, tuples of the ``names`` columns' values, by COPY."""
    processors = [table.c[name].type.bind_processor(conn.dialect) for name in names]
    columns = ", ".join(conn.dialect.identifier_preparer.quote(name) for name in names)
    statement = f"COPY {conn.dialect.identifier_preparer.format_table(table)} ({columns}) " \
                "FROM STDIN"
    driver = conn.dialect.loaded_dbapi
    driver_connection = conn.connection.driver_connection
    assert driver_connection is not None, "a checked-out connection has its driver's"
    cursor = driver_connection.cursor()
    try:
        with cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row([value if convert is None or value is None else convert(value)
                                for convert, value in zip(processors, row, strict=True)])
    except driver.Error as exc:
        # Wrapped as SQLAlchemy wraps an INSERT's error, so the usual translation applies.
        raise DBAPIError.instance(statement, None, exc, driver.Error,
                                  dialect=conn.dialect) from None
    finally:
        cursor.close()


def _python_default(column: Column[Any]) -> Any:
    default = column.default
    return default if default is not None and (default.is_scalar or default.is_callable) \
        else None


def _default_value(column: Column[Any]) -> Any:
    default = _python_default(column)
    # A callable default is wrapped by SQLAlchemy to take the execution context; ours
    # (utcnow and the like) do not look at it.
    return default.arg(None) if default.is_callable else default.arg
