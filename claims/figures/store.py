"""Writing figures: reading what the user typed, recording it against a measure, and
proposing the figures a claim's text holds (``claims figure add/suggest``, ``claims add
--figure``). Measures and reads are in ``claims.figures.measures``.

Every function works in the caller's transaction (``Database.write()`` for writes) with
Core statements on ``claims.schema.tables``: a failed write leaves nothing behind.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import exists, insert, select

from claims.errors import InvalidError, NotFoundError
from claims.figures import units
from claims.figures.measures import Measure, figure_records, get_measure, measure_query
from claims.figures.parse import Figure, find_figures, read_number
from claims.parse import clean_text, parse_date
from claims.schema.tables import (
    claim_entities,
    claims,
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


# --- figures ------------------------------------------------------------------------------


def read_figure(text: str) -> Figure:
    """One figure as a user types it: "17%", "about $10 billion", "3,000", "2019"."""
    cleaned = clean_text(text, "figure", required=True)
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
        measure_query().where(measures.c.entity_id.in_(about)).order_by(measures.c.id))]
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
