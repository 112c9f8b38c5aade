"""Figures, measures and due dates in import and export (jsonl/json records and CSV).

In the tool's own records a claim carries ``figures`` (a list of objects) and ``due``; a
``measure`` record, written before the claims, defines each measure they use. A CSV
export has ``due`` and ``figures`` columns (``MEASURE: FIGURE`` pairs joined by `` | ``),
and a CSV import reads those, or one figure from ``figure`` and ``measure`` columns.
ClaimReview has no place for either and is left as it is.

The importer calls ``write_measures`` for measure records and ``write_claim_figures``
after each batch of claims; both raise ``RecordError`` naming the record at fault, so the
importer's replay rejects exactly that record. Writing the same figures twice adds nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, and_, insert, select

from claims.errors import ClaimsError, NotFoundError
from claims.figures import units
from claims.figures.due import claim_due_date, set_due
from claims.figures.measures import add_measure, get_measure
from claims.figures.store import read_figure
from claims.figures.unresolved import FigureInput, MeasureInput
from claims.io.batching import RecordError
from claims.io.figure_fields import CSV_FIGURE_SEP
from claims.names import entity_id_for
from claims.schema.tables import (
    claim_due,
    entities,
    measure_names,
    measures,
    quantities,
    utcnow,
)
from claims.vocab import Qualifier, parse_choice

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from claims.io.items import ClaimInput, Item

Record = dict[str, Any]


# --- writing imported records -------------------------------------------------------------


def write_measures(session: Session, items: Iterable[Item]) -> int:
    """Creates the measures the records define that do not exist yet; returns how many."""
    created = 0
    for item in items:
        spec = item.payload
        assert isinstance(spec, MeasureInput)
        try:
            entity_id_for(session, spec.entity)
            if _measure_exists(session, spec):
                continue  # stored already: an import never rewrites a measure
            add_measure(session, spec.name, entity=spec.entity, unit=spec.unit,
                        only_grows=spec.only_grows, tolerance=spec.tolerance,
                        aliases=spec.aliases, description=spec.description)
        except ClaimsError as exc:
            raise RecordError(item, str(exc)) from None
        created += 1
    return created


def _measure_exists(session: Session, spec: MeasureInput) -> bool:
    try:
        get_measure(session, spec.name, entity=spec.entity)
    except NotFoundError:
        return False
    return True


def write_claim_figures(session: Session,
                        written: Iterable[tuple[Item, int | None, ClaimInput]]) -> None:
    """The figures and due date of each imported claim ``(item, claim id, ClaimInput)``."""
    for item, claim_id, claim in written:
        if claim_id is None or not (claim.figures or claim.due):
            continue
        try:
            for figure in claim.figures:
                _write_figure(session, claim_id, figure, claim.said_on)
            if claim.due is not None and claim_due_date(session, claim_id) != claim.due:
                set_due(session, claim_id, claim.due)
        except ClaimsError as exc:
            raise RecordError(item, str(exc)) from None


def _write_figure(session: Session, claim_id: int, figure: FigureInput,
                  said_on: date | None) -> None:
    target = get_measure(session, figure.measure, entity=figure.entity)
    parsed = read_figure(figure.written)
    unit = units.canonical_unit(figure.unit) if figure.unit is not None else parsed.unit
    if figure.value is None:
        value, lower, upper = parsed.value, parsed.lower, parsed.upper
    else:
        value, lower, upper = figure.value, figure.lower, figure.upper

    def convert(number: float | None) -> float | None:
        return None if number is None else units.convert(number, unit, target.unit, target.name)

    row = {"claim_id": claim_id, "measure_id": target.id, "value": convert(value),
           "lower": convert(lower), "upper": convert(upper),
           "qualifier": parse_choice(Qualifier, figure.qualifier, "qualifier").value
           if figure.qualifier else (parsed.qualifier.value if parsed.qualifier else None),
           "unit": parsed.unit or unit, "written": parsed.text, "as_of": figure.as_of or said_on}
    same = select(quantities.c.id).where(
        quantities.c.claim_id == claim_id, quantities.c.measure_id == target.id,
        quantities.c.written == row["written"],
        quantities.c.as_of.is_(None) if row["as_of"] is None
        else quantities.c.as_of == row["as_of"])
    if session.scalar(same) is None:
        session.execute(insert(quantities).values(**row, created_at=utcnow()))


# --- exporting ----------------------------------------------------------------------------


def measure_records(session: Session, ids_query: Select[int]) -> Iterator[Record]:
    """``measure`` records for every measure the selected claims give a figure of."""
    chosen = ids_query.subquery()
    used = select(quantities.c.measure_id).where(quantities.c.claim_id.in_(select(chosen)))
    rows = session.execute(
        select(measures, entities.c.name.label("entity_name"))
        .join(entities, entities.c.id == measures.c.entity_id)
        .where(measures.c.id.in_(used)).order_by(entities.c.name, measures.c.name)).all()
    aliases: dict[int, list[str]] = defaultdict(list)
    for measure_id, name in session.execute(
            select(measure_names.c.measure_id, measure_names.c.name)
            .where(measure_names.c.measure_id.in_([r.id for r in rows]))
            .order_by(measure_names.c.id)):
        aliases[measure_id].append(name)
    for row in rows:
        yield {"type": "measure", "name": row.name, "entity": row.entity_name,
               "unit": row.unit, "only_grows": row.only_grows, "tolerance": row.tolerance,
               "description": row.description,
               "aliases": [a for a in aliases[row.id] if a != row.name]}


def attach_figures(session: Session, records: dict[int, Record]) -> None:
    """Adds ``figures`` and ``due`` to exported claim records (keyed by claim id)."""
    ids = list(records)
    figures: dict[int, list[Record]] = defaultdict(list)
    rows = session.execute(
        select(quantities, measures.c.name.label("measure"), measures.c.unit.label("m_unit"),
               entities.c.name.label("entity"))
        .join(measures, measures.c.id == quantities.c.measure_id)
        .join(entities, entities.c.id == measures.c.entity_id)
        .where(quantities.c.claim_id.in_(ids)).order_by(quantities.c.id))
    for row in rows:
        figures[row.claim_id].append({
            "measure": row.measure, "entity": row.entity, "value": row.value,
            "unit": row.m_unit, "qualifier": row.qualifier, "lower": row.lower,
            "upper": row.upper, "as_of": row.as_of.isoformat() if row.as_of else None,
            "written": row.written})
    due = dict(session.execute(select(claim_due.c.claim_id, claim_due.c.due_on)
                               .where(and_(claim_due.c.claim_id.in_(ids)))).all())
    for claim_id, record in records.items():
        record["figures"] = figures.get(claim_id, [])
        record["due"] = due[claim_id].isoformat() if claim_id in due else None


def csv_figures(record: Record) -> str:
    return CSV_FIGURE_SEP.join(f"{f['measure']}: {f['written']}" for f in record["figures"])
