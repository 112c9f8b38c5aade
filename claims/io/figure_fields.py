"""Figures, measures and due dates as import records carry them (jsonl/json objects and
CSV cells), read into ``claims.figures.unresolved`` values; ``claims.io.figures`` writes them
and exports them."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from claims.errors import InvalidError
from claims.figures.due import parse_due
from claims.figures.unresolved import FigureInput, MeasureInput
from claims.parse import parse_date

if TYPE_CHECKING:

    pass

CSV_FIGURE_SEP = " | "


# --- reading ------------------------------------------------------------------------------


def figures_from_json(value: object) -> list[FigureInput]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise InvalidError("figures must be a list of objects", "see the docs' JSON records page")
    return [_figure_from_json(obj) for obj in value]


def _figure_from_json(obj: dict[str, Any]) -> FigureInput:
    measure, written = obj.get("measure"), obj.get("written")
    if not isinstance(measure, str) or not measure.strip():
        raise InvalidError("a figure names no measure", 'give "measure": "NAME"')
    number = obj.get("value")
    if not isinstance(written, str) or not written.strip():
        if not isinstance(number, int | float):
            raise InvalidError("a figure has neither 'written' nor 'value'", "give one")
        written = f"{number:g}"
    return FigureInput(
        measure=measure, written=written, entity=_optional_str(obj.get("entity")),
        value=_optional_number(number, "figure value"), unit=_optional_str(obj.get("unit")),
        qualifier=_optional_str(obj.get("qualifier")),
        lower=_optional_number(obj.get("lower"), "figure lower bound"),
        upper=_optional_number(obj.get("upper"), "figure upper bound"),
        as_of=parse_date(_optional_str(obj.get("as_of")), "figure as-of date"))


def measure_from_json(obj: dict[str, Any]) -> MeasureInput:
    name, entity = _optional_str(obj.get("name")), _optional_str(obj.get("entity"))
    if not name or not entity:
        raise InvalidError("a measure record needs a name and an entity", "give both")
    aliases = obj.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise InvalidError("measure aliases must be a list of strings", "write a JSON array")
    return MeasureInput(name=name, entity=entity, unit=_optional_str(obj.get("unit")),
                        only_grows=bool(obj.get("only_grows")),
                        tolerance=_optional_number(obj.get("tolerance"), "tolerance") or 0.0,
                        description=_optional_str(obj.get("description")), aliases=aliases)


def due_from_json(value: object) -> date | None:
    if value is not None and not isinstance(value, str):
        raise InvalidError("due must be a date string", "write it as YYYY-MM-DD")
    return parse_due(value)


def figures_from_csv(figures: str | None, figure: str | None,
                     measure: str | None) -> list[FigureInput]:
    """The ``figures`` cell of our CSV export, and/or one ``figure`` with its ``measure``."""
    found = []
    for pair in (figures or "").split(CSV_FIGURE_SEP):
        if pair.strip():
            name, sep, written = pair.rpartition(":")
            if not sep or not name.strip() or not written.strip():
                raise InvalidError(f"cannot read figures cell {pair.strip()!r}",
                                   "write MEASURE: FIGURE pairs joined by ' | '")
            found.append(FigureInput(measure=name.strip(), written=written.strip()))
    if (figure is None) != (measure is None):
        raise InvalidError("a figure column needs a measure column, and the other way round",
                           "map both, e.g. --map pct=figure --map series=measure")
    if figure is not None and measure is not None:
        found.append(FigureInput(measure=measure, written=figure))
    return found


def _optional_str(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidError(f"expected text, got {value!r}", "write it as a JSON string")
    return value.strip() or None


def _optional_number(value: object, what: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidError(f"{what} must be a number, not {value!r}", "write a JSON number")
    return float(value)
