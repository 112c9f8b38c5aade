"""What an import reads, made uniform: every reader (our JSON Lines, ClaimReview, CSV/TSV)
turns its input into these plain records, and the importer only ever sees these.

A record's ``line`` is where it started in the file, for ``FILE:LINE: problem`` messages;
``raw`` is its text as read, written back out when it is rejected.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache

from claims.errors import InvalidError
from claims.figures.unresolved import FigureInput, MeasureInput
from claims.parse import required_text
from claims.reviews.verdicts import label_key
from claims.vocab import EntityKind, LinkKind, SourceKind, Status, parse_choice


@dataclass
class SourceInput:
    """A source to create when its key is unknown (existing sources are never rewritten)."""

    key: str
    title: str
    outlet: str
    url: str | None = None
    published: date | None = None
    kind: str = SourceKind.ARTICLE.value
    via: str | None = None
    notes: str | None = None


@dataclass
class EntityInput:
    name: str
    kind: str | None = None  # None: leave an existing entity's kind alone, "other" when new
    description: str | None = None
    aliases: list[str] = field(default_factory=list)


@dataclass
class EventInput:
    to_status: str
    at: datetime
    note: str | None = None
    evidence: str | None = None  # a source key


@dataclass(frozen=True)
class ClaimRef:
    """How one record names another claim: by external id, else by source and text."""

    external_id: str | None = None
    source: str | None = None
    text: str | None = None


@dataclass
class LinkInput:
    kind: str
    to: ClaimRef
    note: str | None = None
    created_at: datetime | None = None


@dataclass
class ClaimInput:
    """One claim as read. ``None`` and empty lists mean "the input does not say"."""

    text: str
    source: str | None = None
    source_spec: SourceInput | None = None  # how to create ``source`` if it does not exist
    quote: str | None = None
    speaker: str | None = None
    speaker_kind: str | None = None
    about: list[str] = field(default_factory=list)
    status: str | None = None  # a label, mapped through --status-map before the vocabulary
    status_fallback: str | None = None  # ours, used when ``status`` is a label nobody mapped
    status_note: str | None = None
    status_at: datetime | None = None
    said_on: date | None = None
    tags: list[str] = field(default_factory=list)
    external_id: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    history: list[EventInput] = field(default_factory=list)
    links: list[LinkInput] = field(default_factory=list)
    figures: list[FigureInput] = field(default_factory=list)
    due: date | None = None


Payload = SourceInput | EntityInput | ClaimInput | MeasureInput


@dataclass
class Item:
    """One record of the input, or the reason it could not be read."""

    line: int
    raw: str
    payload: Payload | None = None
    error: str | None = None


# --- normalising values -------------------------------------------------------------------


def status_label_key(label: str) -> str:
    """'Pants on Fire', 'pants_on_fire', 'PANTS-ON-FIRE' and 'Pantsonfire' are one label:
    the one label normalisation of ``claims.reviews.verdicts.label_key``."""
    return label_key(label)


@cache
def _statuses_by_label_key() -> dict[str, Status]:
    # Built once: an import looks up a status per record.
    return {status_label_key(s.value): s for s in Status}


def parse_status(label: str, status_map: dict[str, Status]) -> Status:
    key = status_label_key(label)
    if key in status_map:
        return status_map[key]
    try:
        return _statuses_by_label_key()[key]
    except KeyError:
        valid = ", ".join(s.value for s in Status)
        raise InvalidError(
            f"unknown status {label!r}",
            f"map it with --status-map {label.strip()!r}=STATUS; statuses: {valid}",
        ) from None


def choice(enum: type[EntityKind] | type[SourceKind] | type[LinkKind], value: object,
           what: str) -> str:
    return parse_choice(enum, required_text(value, what), what).value
