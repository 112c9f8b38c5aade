"""Measures and reading figures: the parts of ``claims.figures`` that ``claims list``,
``figure list`` and ``timeline`` need, kept free of the figure parser (whose patterns take
a while to compile) so that listing claims stays quick to start.

Every function takes an ORM ``Session`` or a Core ``Connection`` and works in the caller's
transaction; records are plain dicts with the JSON field names of the docs' "JSON records" page.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, exists, func, insert, select

from claims.errors import ConflictError, InvalidError, NotFoundError
from claims.figures import units
from claims.names import clean_name, entity_id_for, name_key
from claims.parse import clean_text
from claims.schema.tables import claims, entities, measure_names, measures, quantities, utcnow

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

    Reader = Session | Connection

Record = dict[str, Any]


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


def measure_query() -> Select[Any]:
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
        measure_query().where(measures.c.id.in_(ids)).order_by(measures.c.id))]
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
    query = measure_query().order_by(func.lower(entities.c.name), func.lower(measures.c.name))
    if entity is not None:
        query = query.where(measures.c.entity_id == entity_id_for(session, entity))
    found = [Measure(*row) for row in session.execute(query)]
    aliases: dict[int, list[str]] = {}
    counts: dict[int, int] = dict(session.execute(select(quantities.c.measure_id, func.count())
                                  .group_by(quantities.c.measure_id)).all())
    for measure_id, alias in session.execute(
            select(measure_names.c.measure_id, measure_names.c.name).order_by(measure_names.c.id)):
        aliases.setdefault(measure_id, []).append(alias)
    return [{**m.record([a for a in aliases.get(m.id, []) if a != m.name]),
             "figures": counts.get(m.id, 0)} for m in found]


# --- reading figures -----------------------------------------------------------


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


def claim_details(session: Reader, claim_id: int) -> Record:
    """What ``claims show`` adds to a claim: its figures and its due date."""
    from claims.figures.due import claim_due_date

    due = claim_due_date(session, claim_id)
    return {"due": due.isoformat() if due else None, "figures": claim_figures(session, claim_id)}
