"""Reading the audit log: change sets newest first, and one claim's whole history.

Field values in ``changes.before``/``after`` are JSON written by the triggers of each
engine (SQLite writes a timestamp as ``2026-12-01 20:15:00.123456``, PostgreSQL as
``2026-12-01T20:15:00.123456``); ``decode_row`` turns them into the column's Python type,
and records show them as the rest of claims does, so both engines print the same log.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Date, exists, or_, select

from claims.errors import NotFoundError
from claims.tables import (
    UTCDateTime,
    change_sets,
    changes,
    claims,
    metadata,
    sources,
)

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

    Reader = Session | Connection

Record = dict[str, Any]
PURGED = "[purged]"
# What a claim says, in any table that holds a piece of it: what a purge blanks.
CONTENT_FIELDS = frozenset({"text", "text_hash", "quote", "said_on", "external_id", "note",
                            "tag"})


# --- values -------------------------------------------------------------------------------


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
    """A value as records show it: ISO dates, UTC times with Z to the second."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds").replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _fields(kind: str, raw: str | None, purged: bool) -> dict[str, Any] | None:
    values = decode_row(kind, raw)
    if values is None:
        return None
    return {k: (PURGED if purged and v is None and k in CONTENT_FIELDS else shown(v))
            for k, v in sorted(values.items())}


def _chunks(values: Sequence[Any], size: int = 500) -> list[Sequence[Any]]:
    return [values[start:start + size] for start in range(0, len(values), size)]


def _source_id(session: Reader, key: str) -> int:
    found = session.scalar(select(sources.c.id).where(sources.c.key == key.strip()))
    if found is None:
        raise NotFoundError(f"no source with key {key!r}", "see 'claims source list'")
    return int(found)


# --- the log ------------------------------------------------------------------------------


@dataclass
class LogFilter:
    """What ``claims log`` narrows change sets down by. All parts combine."""

    claim: int | None = None
    entity: str | None = None
    source: str | None = None
    actor: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int | None = None

    def where(self, session: Reader) -> list[Any]:
        from claims.names import entity_id_for

        clauses: list[Any] = []
        touching: list[Any] = []
        if self.claim is not None:
            touching.append(or_(changes.c.claim_id == self.claim,
                                changes.c.other_claim_id == self.claim))
        if self.entity:
            touching.append(changes.c.entity_id == entity_id_for(session, self.entity))
        if self.source:
            touching.append(changes.c.source_id == _source_id(session, self.source))
        for condition in touching:
            clauses.append(exists().where(changes.c.change_set_id == change_sets.c.id,
                                          condition))
        if self.actor:
            clauses.append(change_sets.c.actor == self.actor)
        if self.since:
            clauses.append(change_sets.c.at >= self.since)
        if self.until:
            clauses.append(change_sets.c.at <= self.until)
        return clauses


def list_change_sets(session: Reader, log_filter: LogFilter | None = None) -> list[Record]:
    """Change sets, newest first, each with its counts and every row it touched."""
    log_filter = log_filter or LogFilter()
    query = (select(change_sets).where(*log_filter.where(session))
             .order_by(change_sets.c.id.desc()))
    if log_filter.limit is not None:
        query = query.limit(log_filter.limit)
    rows = session.execute(query).all()
    return change_set_records(session, rows)


def change_set_records(session: Reader, rows: Sequence[Any]) -> list[Record]:
    ids = [row.id for row in rows]
    touched: dict[int, list[Record]] = defaultdict(list)
    undone_by: dict[int, int] = {}
    for chunk in _chunks(ids):
        for change in session.execute(select(changes).where(changes.c.change_set_id.in_(chunk))
                                      .order_by(changes.c.id)):
            touched[change.change_set_id].append(change_record(change))
        for undo_id, undone in session.execute(
                select(change_sets.c.id, change_sets.c.undoes_id)
                .where(change_sets.c.undoes_id.in_(chunk))):
            undone_by[undone] = undo_id
    return [_change_set_record(row, touched[row.id], undone_by.get(row.id)) for row in rows]


def _change_set_record(row: Any, rows: list[Record], undone_by: int | None) -> Record:
    counts: dict[str, dict[str, int]] = {}
    for change in rows:
        per_kind = counts.setdefault(change["kind"], {})
        per_kind[change["op"]] = per_kind.get(change["op"], 0) + 1
    return {
        "id": row.id,
        "at": shown(row.at),
        "by": row.actor,
        "command": row.command,
        "action": row.action,
        "undoes": row.undoes_id,
        "undone_by": undone_by,
        "counts": counts,
        "summary": summary(counts),
        "changes": rows,
    }


def change_record(change: Any) -> Record:
    purged = bool(change.purged)
    return {
        "kind": change.kind,
        "row": change.row_key,
        "op": change.op,
        "before": _fields(change.kind, change.before, purged),
        "after": _fields(change.kind, change.after, purged),
        "purged": purged,
    }


VERBS = {"insert": "added", "update": "changed", "delete": "removed"}


def summary(counts: dict[str, dict[str, int]]) -> str:
    """``claims: 1 added; status_history: 1 added``: what a change set did, in one line."""
    parts = []
    for kind in sorted(counts):
        done = ", ".join(f"{n} {VERBS[op]}" for op, n in sorted(counts[kind].items()))
        parts.append(f"{kind}: {done}")
    return "; ".join(parts) or "nothing"


def get_change_set(session: Reader, change_set_id: int) -> Any:
    row = session.execute(select(change_sets).where(change_sets.c.id == change_set_id)).first()
    if row is None:
        raise NotFoundError(f"no change set with id {change_set_id}", "see 'claims log'")
    return row


# --- why a claim is missing ---------------------------------------------------------------


def missing_claim_error(session: Reader, claim_id: int) -> NotFoundError:
    """'no claim', or who deleted (or purged) it and when, for a claim that is not there."""
    row = session.execute(
        select(change_sets.c.id, change_sets.c.actor, change_sets.c.at, changes.c.purged)
        .join(changes, changes.c.change_set_id == change_sets.c.id)
        .where(changes.c.kind == "claims", changes.c.row_key == str(claim_id),
               changes.c.op == "delete")
        .order_by(changes.c.id.desc()).limit(1)
    ).first()
    if row is None:
        return NotFoundError(f"no claim with id {claim_id}", "see 'claims list'")
    if row.purged:
        return NotFoundError(f"claim {claim_id} was purged by {row.actor} at {shown(row.at)}"
                             f" (change set {row.id})", "its content is gone for good")
    return NotFoundError(f"claim {claim_id} was deleted by {row.actor} at {shown(row.at)}"
                         f" (change set {row.id})", f"'claims restore {claim_id}' brings it back")


def status_actors(session: Reader, history_ids: Sequence[int]) -> dict[int, str]:
    """Who wrote each of these status history rows (rows from before the log: no one)."""
    found: dict[int, str] = {}
    for chunk in _chunks([str(i) for i in history_ids]):
        for key, actor in session.execute(
            select(changes.c.row_key, change_sets.c.actor)
            .join(change_sets, change_sets.c.id == changes.c.change_set_id)
            .where(changes.c.kind == "status_history", changes.c.op == "insert",
                   changes.c.row_key.in_(chunk))
            .order_by(changes.c.id)
        ):
            found.setdefault(int(key), actor)  # its author, not a later restore
    return found


def log_start(session: Reader) -> datetime | None:
    """When the log begins: the oldest change set (None for a database never written)."""
    return session.scalar(select(change_sets.c.at).order_by(change_sets.c.id).limit(1))


def require_claim_known(session: Reader, claim_id: int) -> None:
    exists_now = session.scalar(select(claims.c.id).where(claims.c.id == claim_id))
    if exists_now is None:
        raise missing_claim_error(session, claim_id)
