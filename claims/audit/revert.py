"""Putting rows back as the audit log says they were: the one engine behind ``claims undo``,
``claims restore`` and ``--as-of``.

Given change rows (``changes``) in log order, ``revert`` removes the rows they inserted,
puts back the rows they deleted (whole, from ``before``) and sets updated fields back to
their ``before`` values, newest first; within a run of removals children go first, within
a run of re-insertions parents.

``keep_history``: an undo never rewrites status history. A status change it reverts is
answered by a new history row going back to the earlier status (the claim then points at
that), and the history rows themselves stay; only claims the revert removes lose theirs.
``--as-of`` passes False: it rewinds exactly, inside a transaction that is rolled back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from itertools import groupby
from typing import Any

from sqlalchemy import Connection, and_, delete, insert, select, update
from sqlalchemy.orm import Session

from claims.audit.entries import decode_row
from claims.schema.sql import chunks
from claims.schema.tables import claims, metadata, status_history
from claims.writes.statuses import NewStatus, append_statuses, point_at

# Every table the log tracks, parents before children as foreign keys require for
# inserts: all but the log's own (a table added later is tracked without a change here).
LOG_TABLES = frozenset({"change_sets", "changes", "audit_session"})
TABLE_ORDER = tuple(t.name for t in metadata.sorted_tables if t.name not in LOG_TABLES)
Writer = Session | Connection


def key_values(kind: str, row_key: str) -> dict[str, Any]:
    """The primary key columns of a row, from its ``row_key`` (``12`` or ``12/iran``)."""
    table = metadata.tables[kind]
    columns = [c for c in table.primary_key.columns]
    parts = row_key.split("/", len(columns) - 1)
    return {c.name: (int(p) if c.type.python_type is int else p)
            for c, p in zip(columns, parts, strict=True)}


def _where(kind: str, row_key: str) -> Any:
    table = metadata.tables[kind]
    return and_(*(table.c[k] == v for k, v in key_values(kind, row_key).items()))


def revert(session: Writer, rows: Sequence[Any], *, keep_history: bool,
           note: str | None = None) -> None:
    """Undo ``rows`` (one change set's, in log order) newest first. A run of inserts or
    deletes in a row is one step, ordered by foreign keys rather than by the log, since the
    engines record the rows a cascade touches in an order of their own."""
    removed_claims = {int(r.row_key) for r in rows if r.kind == "claims" and r.op == "insert"}
    restored_claims = {int(r.row_key) for r in rows if r.kind == "claims" and r.op == "delete"}
    pointers: dict[int, int | None] = {}
    for op, run in groupby(reversed(rows), key=lambda r: r.op):
        group = list(run)
        if op == "insert":
            _remove(session, group, removed_claims, keep_history)
        elif op == "delete":
            pointers.update(_put_back(session, group))
        else:
            for (kind, row_key), updates in groupby(group, key=lambda r: (r.kind, r.row_key)):
                before: dict[str, Any] = {}
                for row in updates:  # newest first, so the oldest value of a field wins
                    before.update(decode_row(kind, row.before) or {})
                claim_id = int(row_key) if kind == "claims" else 0
                if ("status_event_id" in before
                        and (keep_history or claim_id in restored_claims)):
                    # Else the pointer goes back in the same UPDATE: an exact rewind has
                    # every earlier history row, and a re-inserted claim's pointer is set
                    # last, below.
                    event_id = before.pop("status_event_id")
                    if keep_history and claim_id not in restored_claims | removed_claims:
                        event_id = _status_back_to(session, claim_id, event_id, note)
                    pointers[claim_id] = event_id
                if before:
                    session.execute(update(metadata.tables[kind])
                                    .where(_where(kind, row_key)).values(**before))
    for claim_id, event_id in pointers.items():
        if claim_id not in removed_claims:
            point_at(session, claim_id, event_id)


def _remove(session: Writer, inserted: Sequence[Any], removed_claims: set[int],
            keep_history: bool) -> None:
    by_kind: dict[str, list[str]] = defaultdict(list)
    for row in inserted:
        if (keep_history and row.kind == "status_history"
                and row.claim_id not in removed_claims):
            continue  # history stays; the status goes back by a new row (_status_back_to)
        by_kind[row.kind].append(row.row_key)
    if removed_claims:
        # Claims point at their current history row; let go of it before the rows go.
        for chunk in chunks(sorted(removed_claims)):
            session.execute(update(claims).where(claims.c.id.in_(chunk))
                            .values(status_event_id=None))
    for kind in reversed(TABLE_ORDER):
        keys = by_kind.get(kind, [])
        table = metadata.tables[kind]
        if len(table.primary_key.columns) == 1 and keys:
            for chunk in chunks([int(k) for k in keys]):
                session.execute(delete(table).where(table.c.id.in_(chunk)))
        else:
            for key in keys:
                session.execute(delete(table).where(_where(kind, key)))


def _put_back(session: Writer, deleted: Sequence[Any]) -> dict[int, int | None]:
    """Re-insert deleted rows; returns each re-inserted claim's status pointer, set after its
    history rows are back."""
    pointers: dict[int, int | None] = {}
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in deleted:
        values = decode_row(row.kind, row.before)
        assert values is not None, "a delete keeps the whole row"
        if row.kind == "claims":
            pointers[values["id"]] = values.pop("status_event_id")
            values["status_event_id"] = None
        by_kind[row.kind].append(values)
    for kind in TABLE_ORDER:
        for values in by_kind.get(kind, []):
            session.execute(insert(metadata.tables[kind]).values(**values))
    return pointers


def _status_back_to(session: Writer, claim_id: int, event_id: int | None,
                    note: str | None) -> int | None:
    """A new history row from the claim's current status back to that of ``event_id``."""
    if event_id is None:
        return None
    wanted = session.scalar(select(status_history.c.to_status)
                            .where(status_history.c.id == event_id))
    current = session.scalar(
        select(status_history.c.to_status)
        .join(claims, claims.c.status_event_id == status_history.c.id)
        .where(claims.c.id == claim_id))
    if wanted is None or wanted == current:
        return session.scalar(select(claims.c.status_event_id).where(claims.c.id == claim_id))
    return append_statuses(session, claim_id, current, [NewStatus(wanted, note=note)],
                           point=False)[0]


