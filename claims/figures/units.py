"""Units of figures: what users may write, the one spelling stored, and conversion.

Stored units are short symbols: ``%`` for percent, ISO 4217 codes for money (``USD``), and
Pint's abbreviations for physical units (``MW``, ``t``, ``kg``, ``TWh``); no unit (None) is
a plain count. Physical units convert through Pint (1.2 GW is 1200 MW on a measure in MW);
percent, counts and each currency stand alone: a percent is no count, and converting
dollars to euros would need an exchange rate of a date, which a figure does not carry.

Pint's registry takes about half a second to build, so it is built only when a unit outside
the common ones is met; ``%``, counts, currencies and the parser's units never need it.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from claims.errors import InvalidError

if TYPE_CHECKING:  # at run time pint is imported only when the registry is built (above)
    import pint

PERCENT = "%"
CURRENCIES = {
    "USD": ("usd", "$", "us$", "dollar", "dollars", "us dollars"),
    "EUR": ("eur", "€", "euro", "euros"),
    "GBP": ("gbp", "£", "pound sterling", "pounds sterling"),
    "RUB": ("rub", "₽", "rouble", "roubles", "ruble", "rubles"),
    "IRR": ("irr", "rial", "rials", "ریال"),
    "CNY": ("cny", "yuan", "renminbi"),
}
# What users type for the units that need no registry, to the stored spelling.
_SPELLINGS: dict[str, str | None] = {
    "": None, "count": None, "number": None, "none": None, "-": None,
    "%": PERCENT, "٪": PERCENT, "percent": PERCENT, "per cent": PERCENT, "pct": PERCENT,
    **{alias: code for code, aliases in CURRENCIES.items() for alias in (code.lower(), *aliases)},
    "mw": "MW", "mwe": "MW", "gw": "GW", "kw": "kW", "t": "t", "kg": "kg", "swu": "SWU",
}
_STANDALONE = {PERCENT, "SWU", *CURRENCIES}
UNIT_HINT = "use a unit like %, USD, EUR, MW, GW, t, kg, TWh, or none for a count"


def canonical_unit(text: str | None) -> str | None:
    """The stored spelling of a unit as typed; an unknown one is an error."""
    if text is None:
        return None
    key = " ".join(text.strip().casefold().split())
    if key in _SPELLINGS:
        return _SPELLINGS[key]
    if text.strip() in _STANDALONE:
        return text.strip()
    registry = _registry()
    try:
        unit = registry.Unit(text.strip())
    except Exception:  # pint raises several types (undefined, syntax) for a bad unit
        raise InvalidError(f"unknown unit {text.strip()!r}", UNIT_HINT) from None
    return f"{unit:~}" or None


def describe(unit: str | None) -> str:
    return unit if unit is not None else "a count"


def convert(value: float, unit: str | None, to_unit: str | None, measure: str) -> float:
    """``value`` in ``unit`` expressed in ``to_unit``; an error when that makes no sense."""
    if unit == to_unit:
        return value
    if unit is None or to_unit is None or unit in _STANDALONE or to_unit in _STANDALONE:
        raise incompatible(unit, to_unit, measure)
    registry = _registry()
    try:
        return float(registry.Quantity(value, unit).to(to_unit).magnitude)
    except Exception:  # DimensionalityError, or a unit pint no longer reads
        raise incompatible(unit, to_unit, measure) from None


def incompatible(unit: str | None, to_unit: str | None, measure: str) -> InvalidError:
    return InvalidError(
        f"a figure in {describe(unit)} cannot be a value of {measure!r}, which is measured "
        f"in {describe(to_unit)}",
        "give the figure in a unit of that kind, or choose another measure",
    )


def compatible(unit: str | None, to_unit: str | None) -> bool:
    try:
        convert(1.0, unit, to_unit, "")
    except InvalidError:
        return False
    return True


@cache
def _registry() -> pint.UnitRegistry[float]:
    import pint

    registry: pint.UnitRegistry[float] = pint.UnitRegistry()
    registry.define("SWU = [separative_work] = swu")
    return registry
