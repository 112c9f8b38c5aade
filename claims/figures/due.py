"""Promises and predictions: when a claim about the future comes due, and which are overdue.

A claim is **resolved** once a later claim ``updates`` it, or its status is a verdict
(true when the promise was kept, false when broken), ``retracted`` or ``outdated``. An
unresolved claim past its due date is **overdue**; one due within the coming days (90 by
default) is **due soon**.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, exists, insert, literal, select, update

from claims.errors import InvalidError, NotFoundError
from claims.names import entity_id_for
from claims.schema.tables import claim_due, claim_entities, claims, entities, links
from claims.vocab import LinkKind, Status

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

    Reader = Session | Connection

Record = dict[str, Any]
DUE_SOON_DAYS = 90
# Statuses that leave a promise open: nobody has said yet whether it was kept.
OPEN_STATUSES = (Status.UNVERIFIED.value, Status.DISPUTED.value, Status.UNPROVEN.value)
_MONTHS = {name.casefold(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.casefold(): number for number, name in enumerate(calendar.month_abbr)
                if name})
_MONTH_YEAR = re.compile(r"^(?:end of\s+)?([a-z]+)\.?,?\s+(\d{4})$")
_YEAR = re.compile(r"^(?:end of\s+|in\s+|by\s+)?(\d{4})$")
_QUARTER = re.compile(r"^q([1-4])\s+(\d{4})$")
DUE_HINT = "write it as YYYY-MM-DD, YYYY-MM, YYYY, 'October 2024' or 'Q3 2025'"


def parse_due(value: str | date | None) -> date | None:
    """A due date: a day, or the LAST day of a month, quarter or year named ("start-up
    planned for October 2024" is due 2024-10-31). Empty means none."""
    if value is None or isinstance(value, date):
        return value
    text = " ".join(value.strip().casefold().split())
    if not text:
        return None
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        if re.fullmatch(r"\d{4}-\d{2}", text):
            return _month_end(int(text[:4]), int(text[5:]))
    except ValueError:
        raise InvalidError(f"cannot read due date {value.strip()!r}", DUE_HINT) from None
    readers: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], date]], ...] = (
        (_YEAR, lambda m: date(int(m.group(1)), 12, 31)),
        (_QUARTER, lambda m: _month_end(int(m.group(2)), int(m.group(1)) * 3)),
        (_MONTH_YEAR, lambda m: _month_end(int(m.group(2)), _MONTHS.get(m.group(1), 0))),
    )
    for pattern, make in readers:
        match = pattern.match(text)
        if match:
            try:
                return make(match)
            except ValueError:
                break
    raise InvalidError(f"cannot read due date {value.strip()!r}", DUE_HINT)


def _month_end(year: int, month: int) -> date:
    if not 1 <= month <= 12:
        raise ValueError(month)
    return date(year, month, calendar.monthrange(year, month)[1])


def set_due(session: Reader, claim_id: int, due: str | date | None) -> date | None:
    """Give a claim a due date; ``""`` (or None) takes it away."""
    when = parse_due(due)
    if not session.scalar(select(exists().where(claims.c.id == claim_id))):
        raise NotFoundError(f"no claim with id {claim_id}", "see 'claims list'")
    if when is None:
        session.execute(delete(claim_due).where(claim_due.c.claim_id == claim_id))
    elif session.scalar(select(exists().where(claim_due.c.claim_id == claim_id))):
        session.execute(update(claim_due).where(claim_due.c.claim_id == claim_id)
                        .values(due_on=when))
    else:
        session.execute(insert(claim_due).values(claim_id=claim_id, due_on=when))
    return when


def claim_due_date(session: Reader, claim_id: int) -> date | None:
    return session.scalar(select(claim_due.c.due_on).where(claim_due.c.claim_id == claim_id))


def due_claims(
    session: Reader,
    *,
    overdue_only: bool = False,
    entity: str | None = None,
    within_days: int = DUE_SOON_DAYS,
    include_resolved: bool = False,
    today: date | None = None,
) -> list[Record]:
    """Claims with a due date, soonest first: the overdue ones, then those due within
    ``within_days``; resolved ones only with ``include_resolved``."""
    today = today or date.today()
    # A scalar subquery, not EXISTS: PostgreSQL may answer an EXISTS in the select list by
    # hashing every ``updates`` link (a scan of 40k links at 1M claims, 30 ms), where this
    # is one probe of ix_links_to_id per row kept.
    updated = (select(literal(True)).where(links.c.kind == LinkKind.UPDATES.value,
                                           links.c.to_id == claim_due.c.claim_id)
               .limit(1).scalar_subquery())
    speaker = entities.alias("speaker")
    # The status comes from claim_due's own copy (kept by revision 0015's triggers), so the
    # index on (due_on, claim_id, claim_status) alone tells open promises from settled ones
    # and only the open ones are looked up in ``claims``. ``updated`` is read in the select
    # list, so the links are probed only for the rows the WHERE clause kept.
    query = (
        select(claim_due.c.claim_id, claim_due.c.due_on, claims.c.text,
               claim_due.c.claim_status, speaker.c.name.label("speaker"),
               updated.label("updated"))
        .join(claims, claims.c.id == claim_due.c.claim_id)
        .outerjoin(speaker, speaker.c.id == claims.c.speaker_id)
        .order_by(claim_due.c.due_on, claim_due.c.claim_id)
    )
    if overdue_only:
        query = query.where(claim_due.c.due_on < today)
    elif not include_resolved:
        query = query.where(claim_due.c.due_on <= _horizon(today, within_days))
    if not include_resolved:
        query = query.where(claim_due.c.claim_status.in_(OPEN_STATUSES))
    if entity is not None:
        entity_id = entity_id_for(session, entity)
        about = select(claim_entities.c.claim_id).where(claim_entities.c.entity_id == entity_id)
        query = query.where(claims.c.id.in_(about) | (claims.c.speaker_id == entity_id))
    records = [_due_record(row, today) for row in session.execute(query).all()]
    if include_resolved:
        return records
    return [record for record in records if record["state"] != "resolved"]


def _horizon(today: date, days: int) -> date:
    """``days`` after today; any number of days past the last date dates can hold means
    every future due date (``--within 9999999999`` is no overflow)."""
    try:
        return today + timedelta(days=days)
    except OverflowError:
        return date.max


def _due_record(row: Any, today: date) -> Record:
    claim_id, due_on, text, status, speaker, updated = row  # by position: cheaper per row
    if updated or status not in OPEN_STATUSES:
        state = "resolved"
    elif due_on < today:
        state = "overdue"
    else:
        state = "due-soon"
    return {"claim": claim_id, "due": due_on.isoformat(), "state": state,
            "days": (due_on - today).days, "status": status, "speaker": speaker, "text": text}
