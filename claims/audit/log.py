"""``claims log``: change sets newest first, filtered, each with every row it touched."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, or_, select

from claims.audit.entries import CONTENT_FIELDS, PURGED, decode_row
from claims.reads.lookup import source_id_for
from claims.schema.sql import Reader, chunks, shown
from claims.schema.tables import change_sets, changes, claim_entities, claims

Record = dict[str, Any]


# --- values -------------------------------------------------------------------------------


def _fields(kind: str, raw: str | None, purged: bool) -> dict[str, Any] | None:
    values = decode_row(kind, raw)
    if values is None:
        return None
    return {k: (PURGED if purged and v is None and k in CONTENT_FIELDS else shown(v))
            for k, v in sorted(values.items())}


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
                                changes.c.other_claim_id == self.claim,
                                and_(changes.c.kind == "claims",
                                     changes.c.key_from <= self.claim,
                                     changes.c.key_to >= self.claim)))
        if self.entity:
            entity_id = entity_id_for(session, self.entity)
            touching.append(or_(changes.c.entity_id == entity_id,
                                _in_range("claim_entities", claim_entities.c.claim_id,
                                          claim_entities.c.entity_id == entity_id),
                                _in_range("claims", claims.c.id, claims.c.speaker_id == entity_id)))
        if self.source:
            source_id = source_id_for(session, self.source)
            touching.append(or_(changes.c.source_id == source_id,
                                _in_range("claims", claims.c.id, claims.c.source_id == source_id)))
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


def _in_range(kind: str, key: Any, condition: Any) -> Any:
    """A range entry (a bulk insert) of ``kind`` covering a row that meets ``condition``,
    judged by the rows as they are now (the entry holds ids, not the rows' fields)."""
    return and_(changes.c.kind == kind, changes.c.key_from.is_not(None),
                exists().where(key.between(changes.c.key_from, changes.c.key_to), condition))


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
    for chunk in chunks(ids):
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
        per_kind[change["op"]] = per_kind.get(change["op"], 0) + change.get("rows", 1)
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
        # A range entry (a bulk insert): how many rows it stands for.
        **({"rows": change.row_count} if change.key_from is not None else {}),
    }


VERBS = {"insert": "added", "update": "changed", "delete": "removed"}


def summary(counts: dict[str, dict[str, int]]) -> str:
    """``claims: 1 added; status_history: 1 added``: what a change set did, in one line."""
    parts = []
    for kind in sorted(counts):
        done = ", ".join(f"{n} {VERBS[op]}" for op, n in sorted(counts[kind].items()))
        parts.append(f"{kind}: {done}")
    return "; ".join(parts) or "nothing"


