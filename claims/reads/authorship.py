"""What the audit log says about who did what to the claims an ordinary read shows: who
wrote each status row (``claims show``'s history), and who deleted a claim asked after
(``claims.reads.lookup``'s not-found errors, ``claims undo``'s refusals). Reading the log
as a whole is ``claims.audit``'s."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from claims.errors import NotFoundError
from claims.schema.sql import Reader, chunks, shown
from claims.schema.tables import change_sets, changes


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


