"""The report's sections that other features own: each claim's reviews (claims.reviews.store) and
the timelines of the measures its claims give figures of (claims.figures.timeline). Read
here and passed to the templates as they are, never recomputed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from claims.figures.timeline import timeline
from claims.reviews.reads import review_query, review_record
from claims.schema.sql import chunks
from claims.schema.tables import entities, measures, quantities, reviews

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

Record = dict[str, Any]


def reviews_by_claim(session: Session, ids: Sequence[int]) -> dict[int, list[Record]]:
    """The reviews of each claim, oldest first (as ``claims reviews ID``)."""
    found: dict[int, list[Record]] = {}
    for part in chunks(sorted(ids)):
        rows = session.execute(review_query().where(reviews.c.claim_id.in_(part))
                               .order_by(reviews.c.published, reviews.c.id))
        for row in rows:
            found.setdefault(row.claim_id, []).append(review_record(row))
    return found


def figure_timelines(session: Session, ids: Sequence[int]) -> list[Record]:
    """The timeline of every measure that a selected claim gives a figure of, by measure
    name: all of the measure's figures (the others put the selected ones in context), each
    marked ``selected`` when its claim is one of ``ids``."""
    wanted = set(ids)
    measure_rows: set[Any] = set()
    for part in chunks(sorted(wanted)):
        measure_rows.update(session.execute(
            select(measures.c.id, measures.c.name, entities.c.name)
            .join(quantities, quantities.c.measure_id == measures.c.id)
            .join(entities, entities.c.id == measures.c.entity_id)
            .where(quantities.c.claim_id.in_(part))).all())
    found = []
    for _, name, entity in sorted(measure_rows, key=lambda m: (m[1].casefold(), m[2], m[0])):
        series = timeline(session, name, entity=entity)
        for figure in series["figures"]:
            figure["selected"] = figure["claim"] in wanted
        found.append(series)
    return found
