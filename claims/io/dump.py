"""A whole database as JSON Lines, the audit log included: ``claims export --with-log``
writes it, ``claims import`` reads it back into an empty database on either engine.

The ordinary export names claims by external id or source and text, never by row id,
so it can be merged into any database; but the audit log is about rows by id (deleted
claims, the rows an undo puts back), so a log can only move with every id kept. A dump
therefore carries every row of every table as it is stored, ids included, and is loaded
only into an empty database, by the same all-or-nothing writer as ``claims db copy``
(``claims.database.copy.fill_database``): the counts are checked at the end and the next id of each
table carried over, so the copy hands out no id the original had handed out.

The first line describes the dump::

    {"type": "claims-dump", "revision": "0009", "rows": {"claims": 20, ...},
     "next_ids": {"claims": 22, ...}}

then one line per row, tables parents first: ``{"table": "claims", "row": {"id": 1, ...}}``.
Times are UTC ISO 8601 with ``Z``, dates ``YYYY-MM-DD``, as in every record of claims.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any, TextIO

from sqlalchemy import Boolean, Connection, Date, Table

from claims.database.copy import (
    CopySummary,
    copy_tables,
    fill_database,
    next_ids,
    snapshot,
    table_count,
)
from claims.database.engine import SCHEMA_HEAD, Database, translate_db_errors
from claims.errors import InvalidError
from claims.schema.sql import iso
from claims.schema.tables import UTCDateTime, metadata

DUMP_TYPE = "claims-dump"
CHUNK_ROWS = 5_000


def is_dump(first_line: str) -> bool:
    """Whether a JSON Lines file starts as a dump does (cheap: no full parse unless likely)."""
    if DUMP_TYPE not in first_line:
        return False
    try:
        head = json.loads(first_line)
    except ValueError:
        return False
    return isinstance(head, dict) and head.get("type") == DUMP_TYPE


def write_dump(database: Database, out: TextIO) -> dict[str, int]:
    """Every row of ``database`` as it stands at one moment, to ``out``; returns the rows
    written per table."""
    with translate_db_errors(database.url), snapshot(database) as conn:
        return _write(conn, out)


def _write(conn: Connection, out: TextIO) -> dict[str, int]:
    order = copy_tables()
    totals = {table.name: table_count(conn, table) for table in order}
    head = {"type": DUMP_TYPE, "revision": SCHEMA_HEAD, "rows": totals,
            "next_ids": next_ids(conn)}
    out.write(json.dumps(head, ensure_ascii=False) + "\n")
    for table in order:
        names = [c.name for c in table.columns]
        result = conn.execute(table.select().order_by(*table.primary_key.columns),
                              execution_options={"stream_results": True,
                                                 "yield_per": CHUNK_ROWS})
        for row in result:
            values = {name: _plain(value) for name, value in zip(names, row, strict=True)}
            out.write(json.dumps({"table": table.name, "row": values},
                                 ensure_ascii=False) + "\n")
    return totals


def _plain(value: Any) -> Any:
    return iso(value) if isinstance(value, date | datetime) else value


def load_dump(database: Database, first_line: str, lines: Iterable[str],
              label: str = "dump") -> CopySummary:
    """Fill the empty ``database`` with the dump whose first line is ``first_line`` and
    whose rows are ``lines``; all or nothing. A bad line is ``LABEL:LINE: problem``."""
    head = _header(first_line, label)
    totals = {str(k): int(v) for k, v in head["rows"].items()}
    next_id = {str(k): int(v) for k, v in head.get("next_ids", {}).items()}
    return fill_database(database, totals, next_id, _chunks(lines, label))


def _header(first_line: str, label: str) -> dict[str, Any]:
    head = json.loads(first_line)
    if not isinstance(head, dict):
        raise InvalidError(f"{label}:1: the dump's first line is not its header object",
                           "give a file written by 'claims export --with-log'")
    if head.get("revision") != SCHEMA_HEAD:
        raise InvalidError(
            f"{label}:1: the dump is of schema revision {head.get('revision')!r}, "
            f"this claims writes {SCHEMA_HEAD!r}",
            "dump it again with this version of claims, or upgrade the source first")
    if not isinstance(head.get("rows"), dict):
        raise InvalidError(f"{label}:1: the dump's first line lacks its row counts",
                           "give a file written by 'claims export --with-log'")
    return head


def _chunks(lines: Iterable[str], label: str) -> Iterator[tuple[Table, Sequence[Any]]]:
    """Rows in tables' order, a chunk at a time; a table out of order is refused."""
    position = {t.name: i for i, t in enumerate(copy_tables())}
    table: Table | None = None
    chunk: list[tuple[Any, ...]] = []
    for number, line in enumerate(lines, start=2):
        if not line.strip():
            continue
        name, values = _row(line, f"{label}:{number}", position)
        if table is None or name != table.name:
            if table is not None and position[name] < position[table.name]:
                raise InvalidError(f"{label}:{number}: a {name} row after {table.name} rows",
                                   "give the dump as 'claims export --with-log' wrote it")
            if table is not None and chunk:
                yield table, chunk
            table, chunk = metadata.tables[name], []
        chunk.append(_decoded(table, values, f"{label}:{number}"))
        if len(chunk) >= CHUNK_ROWS:
            yield table, chunk
            chunk = []
    if table is not None and chunk:
        yield table, chunk


def _row(line: str, where: str, position: dict[str, int]) -> tuple[str, dict[str, Any]]:
    try:
        record = json.loads(line)
    except ValueError as exc:
        raise InvalidError(f"{where}: not JSON ({exc.args[0]})", "give an unchanged dump") \
            from None
    if not isinstance(record, dict) or record.get("table") not in position \
            or not isinstance(record.get("row"), dict):
        raise InvalidError(f"{where}: not a row of a claims table",
                           'each line after the first is {"table": ..., "row": {...}}')
    return str(record["table"]), record["row"]


def _decoded(table: Table, values: dict[str, Any], where: str) -> tuple[Any, ...]:
    unknown = set(values) - set(table.c.keys())
    if unknown:
        raise InvalidError(f"{where}: table {table.name} has no column {sorted(unknown)[0]!r}",
                           "give a dump of this schema revision")
    try:
        return tuple(_value(column.type, values.get(column.name)) for column in table.columns)
    except (TypeError, ValueError) as exc:
        raise InvalidError(f"{where}: a value of table {table.name} cannot be read ({exc})",
                           "give an unchanged dump") from None


def _value(column_type: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column_type, UTCDateTime):
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            raise ValueError(f"time {value!r} has no zone")
        return moment
    if isinstance(column_type, Date):
        return date.fromisoformat(value)
    if isinstance(column_type, Boolean):
        return bool(value)
    return value
