"""Many rows into one table in one go (``insert_rows``), and one column of many rows set
(``update_column``), the fastest way each engine offers: on PostgreSQL through psycopg 3,
``COPY ... FROM STDIN`` (several times faster than an ``executemany`` of INSERTs) and one
``UPDATE ... FROM unnest(...)`` (one statement instead of one per row); elsewhere SQLAlchemy's
``executemany``, which SQLite runs as one prepared statement in C.

Both run in the caller's transaction (and savepoint), and a value the database refuses is
raised as the same SQLAlchemy exception (``IntegrityError`` ...) an INSERT would raise, so
callers handle failures alike on both engines. Values are converted as an INSERT converts
them (each column type's bind processor), and a column left out gets its Python-side default
as with an INSERT (server-side defaults apply by themselves).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Column, Connection, Table, bindparam, func, select, update
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


def update_column(target: Connection | Session, table: Table, key: str, column: str,
                  pairs: Sequence[tuple[Any, Any]]) -> None:
    """Set ``column`` to ``value`` in the row whose ``key`` column is ``key_value``, for each
    ``(key_value, value)`` of ``pairs``."""
    if not pairs:
        return
    conn = target if isinstance(target, Connection) else target.connection()
    if conn.dialect.name != "postgresql":
        conn.execute(update(table).where(table.c[key] == bindparam("_key"))
                     .values({column: bindparam("_value")}),
                     [{"_key": k, "_value": v} for k, v in pairs])
        return
    from sqlalchemy.dialects.postgresql import ARRAY

    keys, values = zip(*pairs, strict=True)
    given = select(
        func.unnest(bindparam("_keys", list(keys), type_=ARRAY(table.c[key].type))).label("k"),
        func.unnest(bindparam("_values", list(values), type_=ARRAY(table.c[column].type)))
        .label("v"),
    ).subquery()
    conn.execute(update(table).where(table.c[key] == given.c.k).values({column: given.c.v}))


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
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
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
