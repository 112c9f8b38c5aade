"""Measures and the figures claims give for them: writes and plain-record reads.

Every function takes an ORM ``Session`` or a Core ``Connection`` and works in the caller's
transaction (``Database.write()`` for writes), with Core statements on ``claims.tables``:
a failed write leaves nothing behind. Records are plain dicts with the JSON field names the
README documents ("Figures").
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, exists, func, insert, select

from claims.errors import ConflictError, InvalidError, NotFoundError
from claims.figures import units
from claims.figures.parse import Figure, find_figures, read_number
from claims.names import clean_name, entity_id_for, name_key
from claims.parse import clean_text, parse_date
from claims.tables import (
    claim_entities,
    claims,
    entities,
    measure_names,
    measures,
    quantities,
    sources,
    utcnow,
)
from claims.vocab import Qualifier, parse_choice

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

    Reader = Session | Connection

Record = dict[str, Any]
FIGURE_HINT = "write it like 17%, about $10 billion, 3,000, 1.2 GW or up to 20%"


@dataclass(frozen=True)
class Measure:
    id: int
    name: str
    entity: str
    entity_id: int
    unit: str | None
    only_grows: bool
    tolerance: float

    def record(self, aliases: Sequence[str] = ()) -> Record:
        return {"id": self.id, "name": self.name, "entity": self.entity, "unit": self.unit,
                "only_grows": self.only_grows, "tolerance": self.tolerance,
                "aliases": list(aliases)}


# --- measures -----------------------------------------------------------------------------


def add_measure(
    session: Reader,
    name: str,
    *,
    entity: str,
    unit: str | None = None,
    only_grows: bool = False,
    tolerance: float | None = None,
    aliases: Iterable[str] = (),
    description: str | None = None,
) -> Record:
    """Create a measure of an entity; its name and aliases must be new for that entity."""
    display = clean_name(name, "measure name")
    entity_id = entity_id_for(session, entity)
    unit_key = units.canonical_unit(unit)
    if tolerance is not None and not tolerance >= 0:
        raise InvalidError(f"tolerance {tolerance!r} is negative", "give 0 or more")
    names = [display, *(clean_name(a, "measure alias") for a in aliases)]
    keys = [name_key(n) for n in names]
    taken = session.scalars(select(measure_names.c.name).where(
        measure_names.c.entity_id == entity_id, measure_names.c.key.in_(keys))).first()
    if taken is not None or len(set(keys)) < len(keys):
        raise ConflictError(f"the entity already has a measure named {taken or display!r}",
                            "measure names and aliases are unique per entity, ignoring case")
    measure_id = session.execute(insert(measures).values(
        entity_id=entity_id, name=display, unit=unit_key, only_grows=only_grows,
        tolerance=tolerance or 0.0, description=clean_text(description, "description"),
        created_at=utcnow()).returning(measures.c.id)).scalar_one()
    session.execute(insert(measure_names), [
        {"measure_id": measure_id, "entity_id": entity_id, "name": n, "key": k}
        for n, k in zip(names, keys, strict=True)])
    return get_measure(session, display, entity=entity).record(names[1:])


def _measure_query() -> Select[Any]:
    return (select(measures.c.id, measures.c.name, entities.c.name.label("entity"),
                   measures.c.entity_id, measures.c.unit, measures.c.only_grows,
                   measures.c.tolerance)
            .join(entities, entities.c.id == measures.c.entity_id))


def get_measure(session: Reader, name: str, *, entity: str | None = None,
                prefer_entities: Collection[int] = ()) -> Measure:
    """The measure a name or alias refers to. With ``entity``, only that entity's; when
    several entities have a measure of this name, one of ``prefer_entities`` wins."""
    ids = select(measure_names.c.measure_id).where(measure_names.c.key == name_key(name))
    if entity is not None:
        ids = ids.where(measure_names.c.entity_id == entity_id_for(session, entity))
    found = [Measure(*row) for row in session.execute(
        _measure_query().where(measures.c.id.in_(ids)).order_by(measures.c.id))]
    if len(found) > 1 and prefer_entities:
        found = [m for m in found if m.entity_id in prefer_entities] or found
    if not found:
        raise NotFoundError(f"no measure named {name!r}" + (f" of {entity!r}" if entity else ""),
                            "see 'claims measure list', or add it with "
                            "'claims measure add NAME --entity ENTITY'")
    if len(found) > 1:
        owners = ", ".join(repr(m.entity) for m in found)
        raise InvalidError(f"{len(found)} measures are named {name!r} (of {owners})",
                           "pick one with --entity")
    return found[0]


def list_measures(session: Reader, entity: str | None = None) -> list[Record]:
    query = _measure_query().order_by(func.lower(entities.c.name), func.lower(measures.c.name))
    if entity is not None:
        query = query.where(measures.c.entity_id == entity_id_for(session, entity))
    found = [Measure(*row) for row in session.execute(query)]
    aliases: dict[int, list[str]] = {}
    counts = dict(session.execute(select(quantities.c.measure_id, func.count())
                                  .group_by(quantities.c.measure_id)).all())
    for measure_id, alias in session.execute(
            select(measure_names.c.measure_id, measure_names.c.name).order_by(measure_names.c.id)):
        aliases.setdefault(measure_id, []).append(alias)
    return [{**m.record([a for a in aliases.get(m.id, []) if a != m.name]),
             "figures": counts.get(m.id, 0)} for m in found]


# --- figures ------------------------------------------------------------------------------


def read_figure(text: str) -> Figure:
    """One figure as a user types it: "17%", "about $10 billion", "3,000", "2019"."""
    cleaned = clean_text(text, "figure", required=True)
    assert cleaned is not None
    found = find_figures(cleaned)
    if not found:
        value = read_number(cleaned.replace(" ", "")) if any(c.isdigit() for c in cleaned) \
            else None
        if value is None:
            raise InvalidError(f"cannot read figure {cleaned!r}", FIGURE_HINT)
        return Figure(0, len(cleaned), cleaned, value, None)
    if len(found) > 1:
        raise InvalidError(f"{cleaned!r} holds {len(found)} figures", "give one at a time")
    return found[0]


def add_figure(
    session: Reader,
    claim_id: int,
    figure: str | Figure,
    *,
    measure: str,
    entity: str | None = None,
    unit: str | None = None,
    qualifier: str | Qualifier | None = None,
    as_of: str | date | None = None,
) -> Record:
    """Record that a claim gives ``figure`` as a value of ``measure``. The value is stored in
    the measure's unit; ``as_of`` defaults to the claim's said-on date, else its source's."""
    claim = session.execute(
        select(claims.c.said_on, sources.c.published)
        .join(sources, sources.c.id == claims.c.source_id).where(claims.c.id == claim_id)
    ).first()
    if claim is None:
        raise NotFoundError(f"no claim with id {claim_id}", "see 'claims list'")
    parsed = read_figure(figure) if isinstance(figure, str) else figure
    about = session.scalars(select(claim_entities.c.entity_id)
                            .where(claim_entities.c.claim_id == claim_id)).all()
    target = get_measure(session, measure, entity=entity, prefer_entities=set(about))
    written_unit = units.canonical_unit(unit) if unit is not None else parsed.unit
    when = parse_date(as_of, "as-of date") or claim.said_on or claim.published
    kind = parse_choice(Qualifier, qualifier, "qualifier") if qualifier else parsed.qualifier

    def convert(value: float | None) -> float | None:
        if value is None:
            return None
        return units.convert(value, written_unit, target.unit, target.name)

    figure_id = session.execute(insert(quantities).values(
        claim_id=claim_id, measure_id=target.id, value=convert(parsed.value),
        lower=convert(parsed.lower), upper=convert(parsed.upper),
        qualifier=kind.value if kind else None, unit=written_unit, written=parsed.text,
        as_of=when, created_at=utcnow()).returning(quantities.c.id)).scalar_one()
    return figure_records(session, quantities.c.id == figure_id)[0]


def delete_figure(session: Reader, figure_id: int) -> None:
    if not session.scalar(select(exists().where(quantities.c.id == figure_id))):
        raise NotFoundError(f"no figure with id {figure_id}", "see 'claims figure list'")
    session.execute(quantities.delete().where(quantities.c.id == figure_id))


def figure_records(session: Reader, *where: Any) -> list[Record]:
    """Figures with their measure, oldest first (figures without a date last)."""
    rows = session.execute(
        select(quantities, measures.c.name.label("measure"), measures.c.unit.label("m_unit"),
               entities.c.name.label("entity"))
        .join(measures, measures.c.id == quantities.c.measure_id)
        .join(entities, entities.c.id == measures.c.entity_id)
        .where(*where)
        .order_by(quantities.c.as_of.is_(None), quantities.c.as_of, quantities.c.id)
    ).all()
    return [figure_record(row) for row in rows]


def figure_record(row: Any) -> Record:
    return {
        "id": row.id,
        "claim": row.claim_id,
        "measure": row.measure,
        "entity": row.entity,
        "value": row.value,
        "unit": row.m_unit,
        "qualifier": row.qualifier,
        "lower": row.lower,
        "upper": row.upper,
        "as_of": row.as_of.isoformat() if row.as_of else None,
        "written": row.written,
    }


def list_figures(session: Reader, *, measure: str | None = None,
                 entity: str | None = None) -> list[Record]:
    where = []
    if measure is not None:
        where.append(quantities.c.measure_id == get_measure(session, measure, entity=entity).id)
    elif entity is not None:
        where.append(measures.c.entity_id == entity_id_for(session, entity))
    return figure_records(session, *where)


def claim_figures(session: Reader, claim_id: int) -> list[Record]:
    return figure_records(session, quantities.c.claim_id == claim_id)


def claim_figure_clauses(session: Reader, measure: str | None, has_figure: bool) -> list[Any]:
    """WHERE clauses on ``claims`` for ``claims list --measure NAME`` / ``--has-figure``."""
    clauses: list[Any] = []
    if measure is not None:
        measure_id = get_measure(session, measure).id
        clauses.append(claims.c.id.in_(
            select(quantities.c.claim_id).where(quantities.c.measure_id == measure_id)))
    if has_figure:
        clauses.append(exists().where(quantities.c.claim_id == claims.c.id))
    return clauses


# --- suggestions --------------------------------------------------------------------------


def suggest_figures(session: Reader, claim_id: int) -> list[Record]:
    """The figures in a claim's text and quote, each with the measures of the entities the
    claim is about whose unit it fits: proposals for ``claims figure add``."""
    row = session.execute(select(claims.c.text, claims.c.quote)
                          .where(claims.c.id == claim_id)).first()
    if row is None:
        raise NotFoundError(f"no claim with id {claim_id}", "see 'claims list'")
    about = select(claim_entities.c.entity_id).where(claim_entities.c.claim_id == claim_id)
    candidates = [Measure(*m) for m in session.execute(
        _measure_query().where(measures.c.entity_id.in_(about)).order_by(measures.c.id))]
    found = []
    for where, text in (("text", row.text), ("quote", row.quote)):
        for figure in find_figures(text or ""):
            fitting = [m.name for m in candidates if units.compatible(figure.unit, m.unit)]
            found.append({"in": where, "start": figure.start, "end": figure.end,
                          "written": figure.text, "value": figure.value, "unit": figure.unit,
                          "qualifier": figure.qualifier.value if figure.qualifier else None,
                          "lower": figure.lower, "upper": figure.upper, "noun": figure.noun,
                          "measures": fitting})
    return found


def auto_figure(session: Reader, claim_id: int, measure: str) -> Record:
    """``claims add --figure auto``: the one figure of the text or quote that fits
    ``measure``; none or several is an error naming what was found."""
    target = get_measure(session, measure)
    suggestions = suggest_figures(session, claim_id)
    fitting = [s for s in suggestions if units.compatible(s["unit"], target.unit)]
    if len(fitting) != 1:
        seen = ", ".join(repr(s["written"]) for s in suggestions) or "none"
        raise InvalidError(
            f"{len(fitting) or 'no'} figures in the claim fit {target.name!r} "
            f"(found: {seen})", "give the figure itself with --figure")
    chosen = fitting[0]
    figure = Figure(chosen["start"], chosen["end"], chosen["written"], chosen["value"],
                    chosen["unit"], Qualifier(chosen["qualifier"]) if chosen["qualifier"]
                    else None, chosen["lower"], chosen["upper"], chosen["noun"])
    return add_figure(session, claim_id, figure, measure=target.name, entity=target.entity)


# --- the figure and due-date options of claims add / edit / show --------------------------


def apply_claim_options(session: Reader, claim_id: int, *, figure: str | None = None,
                        measure: str | None = None, as_of: str | None = None,
                        due: str | None = None) -> None:
    """``claims add/edit ... --figure F --measure M --due D`` on a claim just written, in
    the same transaction: a bad figure or date undoes the whole command."""
    from claims.figures.due import set_due

    if (figure is None) != (measure is None):
        raise InvalidError("--figure and --measure go together",
                           'give both, e.g. --figure "17%" --measure "Bushehr 2-3 progress"')
    if figure is not None and measure is not None:
        if figure.strip().casefold() == "auto":
            auto_figure(session, claim_id, measure)
        else:
            add_figure(session, claim_id, figure, measure=measure, as_of=as_of)
    if due is not None:
        set_due(session, claim_id, due)


def claim_details(session: Reader, claim_id: int) -> Record:
    """What ``claims show`` adds to a claim: its figures and its due date."""
    from claims.figures.due import claim_due_date

    due = claim_due_date(session, claim_id)
    return {"due": due.isoformat() if due else None, "figures": claim_figures(session, claim_id)}
