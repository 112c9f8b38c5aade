"""Figures and measures as an import reads them (``claims.io.figures``), before they are
resolved against the database: names, not ids; values as given."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date


@dataclass
class FigureInput:
    measure: str
    written: str
    entity: str | None = None
    value: float | None = None  # in ``unit``; None: read from ``written``
    unit: str | None = None
    qualifier: str | None = None
    lower: float | None = None
    upper: float | None = None
    as_of: date | None = None


@dataclass
class MeasureInput:
    name: str
    entity: str
    unit: str | None = None
    only_grows: bool = False
    tolerance: float = 0.0
    description: str | None = None
    aliases: Sequence[str] = ()
