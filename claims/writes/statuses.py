"""A claim's status history appended to: the one place that says what a new history row
holds. Every status change (``claims status``, an import's verdicts, ``claims undo`` taking
a status back) adds rows here, never edits one: each row goes ``from`` the status before it
``to`` the new one, so the chain a claim's history shows is always whole, and the claim
then points at its newest row (``claims.status_event_id``).

Core only, on the caller's session: the ORM writer (``claims.writes.store``), the bulk
importer (``claims.io.claimwriter``, which inserts the rows itself, in bulk, with ids it
was handed) and the log's revert (``claims.audit.revert``) share it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, update

from claims.schema.tables import claims, status_history, utcnow

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session


@dataclass(frozen=True)
class NewStatus:
    """One status change to append: the status it goes to, and what it was based on."""

    to_status: str
    note: str | None = None
    evidence_id: int | None = None
    at: datetime | None = None  # None: now


def chained_rows(claim_id: int, current: str | None,
                 changes: Sequence[NewStatus]) -> list[dict[str, Any]]:
    """The history rows for ``changes`` in order, each from the status before it."""
    rows = []
    previous = current
    for change in changes:
        rows.append({"claim_id": claim_id, "from_status": previous,
                     "to_status": change.to_status, "note": change.note,
                     "evidence_id": change.evidence_id, "at": change.at or utcnow()})
        previous = change.to_status
    return rows


def append_statuses(session: Session | Connection, claim_id: int, current: str | None,
                    changes: Sequence[NewStatus], *, point: bool = True) -> list[int]:
    """Adds the rows of ``changes`` after ``current`` (the claim's status now); returns their
    ids. ``point``: the claim points at the newest at once (else the caller sets it)."""
    ids = [session.execute(insert(status_history).values(**row)
                           .returning(status_history.c.id)).scalar_one()
           for row in chained_rows(claim_id, current, changes)]
    if point and ids:
        point_at(session, claim_id, ids[-1])
    return ids


def point_at(session: Session | Connection, claim_id: int, event_id: int | None) -> None:
    """The claim's current status becomes history row ``event_id``."""
    session.execute(update(claims).where(claims.c.id == claim_id)
                    .values(status_event_id=event_id))
