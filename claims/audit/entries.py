"""The audit log's rows as the rest of the library reads them: field values decoded, who
wrote a status row, who deleted a claim, where the log starts. Below ``claims.reads.lookup`` (whose
not-found errors name a deletion); ``claims.audit.log`` builds ``claims log``'s records.

Field values in ``changes.before``/``after`` are JSON written by the triggers of each
engine (SQLite writes a timestamp as ``2026-12-01 20:15:00.123456``, PostgreSQL as
``2026-12-01T20:15:00.123456``); ``decode_row`` turns them into the column's Python type,
and records show them as the rest of claims does, so both engines print the same log.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Date, select

from claims.errors import NotFoundError
from claims.schema.sql import Reader
from claims.schema.tables import UTCDateTime, change_sets, metadata

PURGED = "[purged]"
# What a claim says, in any table that holds a piece of it: what a purge blanks.
CONTENT_FIELDS = frozenset({"text", "text_hash", "quote", "said_on", "external_id", "note",
                            "tag"})


def decode_row(kind: str, raw: str | None) -> dict[str, Any] | None:
    """A ``before``/``after`` JSON object as Python values of the table's column types."""
    if raw is None:
        return None
    table = metadata.tables[kind]
    values: dict[str, Any] = json.loads(raw)
    for name, value in values.items():
        if value is None or name not in table.c:
            continue
        column_type = table.c[name].type
        if isinstance(column_type, UTCDateTime):
            values[name] = datetime.fromisoformat(value).replace(tzinfo=UTC)
        elif isinstance(column_type, Date):
            values[name] = date.fromisoformat(value[:10])
    return values


def get_change_set(session: Reader, change_set_id: int) -> Any:
    row = session.execute(select(change_sets).where(change_sets.c.id == change_set_id)).first()
    if row is None:
        raise NotFoundError(f"no change set with id {change_set_id}", "see 'claims log'")
    return row


def log_start(session: Reader) -> datetime | None:
    """When the log begins: the oldest change set (None for a database never written)."""
    return session.scalar(select(change_sets.c.at).order_by(change_sets.c.id).limit(1))
