"""The audit log's rows as the rest of the library reads them: field values decoded, who
wrote a status row, who deleted a claim, where the log starts. Below ``claims.lookup`` (whose
not-found errors name a deletion); ``claims.changelog`` builds ``claims log``'s records.

Field values in ``changes.before``/``after`` are JSON written by the triggers of each
engine (SQLite writes a timestamp as ``2026-12-01 20:15:00.123456``, PostgreSQL as
``2026-12-01T20:15:00.123456``); ``decode_row`` turns them into the column's Python type,
and records show them as the rest of claims does, so both engines print the same log.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Date, select

from claims.errors import NotFoundError
from claims.sql import Reader, chunks, iso
from claims.tables import UTCDateTime, change_sets, changes, metadata

PURGED = "[purged]"
# What a claim says, in any table that holds a piece of it: what a purge blanks.
CONTENT_FIELDS = frozenset({"text", "text_hash", "quote", "said_on", "external_id", "note",
                            "tag"})


def decode_row(kind: str, raw: str | None) -> dict[str, Any] | None:
    """A ``before``/``after`` JSON object as Python values of the table's column types."""
    if raw is None:
        return None
    table = metadata.tables[kind]
    values = json.loads(raw)
    for name, value in values.items():
        if value is None or name not in table.c:
            continue
        column_type = table.c[name].type
        if isinstance(column_type, UTCDateTime):
            values[name] = datetime.fromisoformat(value).replace(tzinfo=UTC)
        elif isinstance(column_type, Date):
            values[name] = date.fromisoformat(value[:10])
    return values


def shown(value: Any) -> Any:
    """A value as records show it: ISO dates, UTC times as every record gives them."""
    return iso(value) if isinstance(value, date | datetime) else value


def get_change_set(session: Reader, change_set_id: int) -> Any:
    row = session.execute(select(change_sets).where(change_sets.c.id == change_set_id)).first()
    if row is None:
        raise NotFoundError(f"no change set with id {change_set_id}", "see 'claims log'")
    return row


# --- why a claim is missing ---------------------------------------------------------------


def last_deletion(session: Reader, claim_id: int) -> Any:
    """The newest change set that deleted (or purged) the claim: id, actor, at, purged."""
    return session.execute(
        select(change_sets.c.id, change_sets.c.actor, change_sets.c.at, changes.c.purged)
        .join(changes, changes.c.change_set_id == change_sets.c.id)
        .where(changes.c.kind == "claims", changes.c.row_key == str(claim_id),
               changes.c.op == "delete")
        .order_by(changes.c.id.desc()).limit(1)
    ).first()


def deletion_error(claim_id: int, deletion: Any) -> NotFoundError:
    """Who deleted (or purged) the claim and when, as the error for asking after it."""
    if deletion.purged:
        return NotFoundError(
            f"claim {claim_id} was purged by {deletion.actor} at {shown(deletion.at)}"
            f" (change set {deletion.id})", "its content is gone for good")
    return NotFoundError(
        f"claim {claim_id} was deleted by {deletion.actor} at {shown(deletion.at)}"
        f" (change set {deletion.id})", f"'claims restore {claim_id}' brings it back")


def status_actors(session: Reader, history_ids: Sequence[int]) -> dict[int, str]:
    """Who wrote each of these status history rows (rows from before the log: no one)."""
    found: dict[int, str] = {}
    for chunk in chunks([str(i) for i in history_ids]):
        for key, actor in session.execute(
            select(changes.c.row_key, change_sets.c.actor)
            .join(change_sets, change_sets.c.id == changes.c.change_set_id)
            .where(changes.c.kind == "status_history", changes.c.op == "insert",
                   changes.c.row_key.in_(chunk))
            .order_by(changes.c.id)
        ):
            found.setdefault(int(key), actor)  # its author, not a later restore
    missing = [i for i in history_ids if i not in found]
    if missing:  # written in bulk (an import), logged as ranges of ids
        for first, last, actor in session.execute(
            select(changes.c.key_from, changes.c.key_to, change_sets.c.actor)
            .join(change_sets, change_sets.c.id == changes.c.change_set_id)
            .where(changes.c.kind == "status_history", changes.c.key_from <= max(missing),
                   changes.c.key_to >= min(missing))
        ):
            for history_id in missing:
                if first <= history_id <= last:
                    found.setdefault(history_id, actor)
    return found


def log_start(session: Reader) -> datetime | None:
    """When the log begins: the oldest change set (None for a database never written)."""
    return session.scalar(select(change_sets.c.at).order_by(change_sets.c.id).limit(1))
