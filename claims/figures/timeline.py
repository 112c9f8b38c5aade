"""A measure's figures in time order, with what is suspicious about them flagged.

Flags on a figure:

- ``backwards``: on a measure that only grows (``--only-grows``: progress, a stockpile
  declared as such), the figure is below an earlier counted figure.
- ``disagrees``: another source gave a figure within ``DISAGREE_DAYS`` (30) days of it that
  differs by more than the measure's tolerance.
- ``discounted``: its claim is ``false`` or ``retracted``. Shown, never counted: it takes
  no part in the checks above and is drawn apart in charts.
- ``undated``: neither the figure, its claim nor its source has a date; listed last.

And on the series: ``stale`` when its newest counted figure is older than
``STALE_AFTER_DAYS`` (365: most tracked figures, such as construction progress or a
stockpile, are reported at least yearly; a year without one means nobody is looking).
"""

from __future__ import annotations

from collections import deque
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from claims.figures.measures import get_measure
from claims.parse import parse_date
from claims.schema.tables import claims, entities, quantities, sources, status_history
from claims.vocab import Status

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

    Reader = Session | Connection

Record = dict[str, Any]
DISAGREE_DAYS = 30
STALE_AFTER_DAYS = 365
DISCOUNTED = (Status.FALSE.value, Status.RETRACTED.value)


def timeline(
    session: Reader,
    measure: str,
    *,
    entity: str | None = None,
    since: str | date | None = None,
    until: str | date | None = None,
    stale_after_days: int = STALE_AFTER_DAYS,
    today: date | None = None,
) -> Record:
    """The measure, its figures oldest first with their flags, and whether it is stale."""
    target = get_measure(session, measure, entity=entity)
    start, end = parse_date(since, "--since date"), parse_date(until, "--until date")
    speaker = entities.alias("speaker")
    query = (
        select(quantities.c.id, quantities.c.claim_id, quantities.c.value, quantities.c.lower,
               quantities.c.upper, quantities.c.qualifier, quantities.c.written,
               quantities.c.as_of, speaker.c.name.label("speaker"),
               sources.c.key.label("source"), sources.c.outlet, status_history.c.to_status)
        .join(claims, claims.c.id == quantities.c.claim_id)
        .join(sources, sources.c.id == claims.c.source_id)
        .outerjoin(speaker, speaker.c.id == claims.c.speaker_id)
        .outerjoin(status_history, status_history.c.id == claims.c.status_event_id)
        .where(quantities.c.measure_id == target.id)
        .order_by(quantities.c.as_of.is_(None), quantities.c.as_of, quantities.c.id)
    )
    if start is not None:
        query = query.where(quantities.c.as_of >= start)
    if end is not None:
        query = query.where(quantities.c.as_of <= end)
    rows = [_row_record(row) for row in session.execute(query)]
    _flag(rows, only_grows=target.only_grows, tolerance=target.tolerance)
    counted = [r for r in rows if "discounted" not in r["flags"] and r["as_of"]]
    last = counted[-1]["as_of"] if counted else None
    today = today or date.today()
    stale = last is None or (today - last).days > stale_after_days
    for row in rows:
        if row["as_of"] is not None:
            row["as_of"] = row["as_of"].isoformat()
    return {
        "measure": target.record(),
        "figures": rows,
        "last": last.isoformat() if last else None,
        "stale": stale,
        "stale_after_days": stale_after_days,
        "flags": {flag: sum(flag in r["flags"] for r in rows)
                  for flag in ("backwards", "disagrees", "discounted", "undated")},
    }


def _row_record(row: Any) -> Record:
    # Unpacked by position: reading a Row's attributes by name costs several times more,
    # which a 1,000-figure timeline notices (bench/figures.py).
    (figure_id, claim_id, value, lower, upper, qualifier, written, as_of, speaker, source,
     outlet, status) = row
    flags = []
    if status in DISCOUNTED:
        flags.append("discounted")
    if as_of is None:
        flags.append("undated")
    return {
        "id": figure_id, "claim": claim_id, "as_of": as_of, "value": value,
        "qualifier": qualifier, "lower": lower, "upper": upper, "written": written,
        "speaker": speaker, "source": source, "outlet": outlet, "status": status,
        "flags": flags,
    }


def _flag(rows: list[Record], *, only_grows: bool, tolerance: float) -> None:
    """Adds ``backwards`` and ``disagrees`` in one pass over the dated, counted figures:
    a running maximum, and a window of the figures of the last 30 days. The window keeps
    each figure's date, source and value beside it: this loop is most of a 1,000-figure
    timeline's time in Python, and reading them from the records each time doubled it."""
    highest: float | None = None
    window: deque[tuple[date, str, float, list[str]]] = deque()
    span = timedelta(days=DISAGREE_DAYS)
    for row in rows:
        flags = row["flags"]
        if flags:  # discounted or undated: shown, not counted
            continue
        when, source, value = row["as_of"], row["source"], row["value"]
        if highest is None or value > highest:
            highest = value
        elif only_grows and value < highest:
            flags.append("backwards")
        oldest = when - span
        while window and window[0][0] < oldest:
            window.popleft()
        differs = False
        for _, other_source, other_value, other_flags in window:
            if other_source != source and abs(other_value - value) > tolerance:
                differs = True
                if "disagrees" not in other_flags:
                    other_flags.append("disagrees")
        if differs:
            flags.append("disagrees")
        window.append((when, source, value, flags))
