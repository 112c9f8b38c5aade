"""What an import reads, made uniform: every reader (our JSON Lines, ClaimReview, CSV/TSV)
turns its input into these plain records, and the importer only ever sees these.

A record's ``line`` is where it started in the file, for ``FILE:LINE: problem`` messages;
``raw`` is its text as read, written back out when it is rejected.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from claims.errors import InvalidError
from claims.figures.inputs import FigureInput, MeasureInput
from claims.io.verdicts import label_key
from claims.parse import clean_tag, clean_text, normalise_text, parse_date
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


def text_key(text: str) -> str:
    """The normalised text that, with the source, identifies a claim without an external id:
    the same normalisation as the duplicate check of ``claims add``."""
    return normalise_text(text)


def status_label_key(label: str) -> str:
    """'Pants on Fire', 'pants_on_fire', 'PANTS-ON-FIRE' and 'Pantsonfire' are one label:
    the one label normalisation of ``claims.io.verdicts.label_key``."""
    return label_key(label)


def parse_status(label: str, status_map: dict[str, Status]) -> Status:
    key = status_label_key(label)
    if key in status_map:
        return status_map[key]
    try:
        return {status_label_key(s.value): s for s in Status}[key]
    except KeyError:
        valid = ", ".join(s.value for s in Status)
        raise InvalidError(
            f"unknown status {label!r}",
            f"map it with --status-map {label.strip()!r}=STATUS; statuses: {valid}",
        ) from None


def parse_timestamp(value: object, what: str) -> datetime | None:
    """An ISO 8601 timestamp (a bare date means midnight UTC); naive times are taken as UTC."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InvalidError(f"{what} must be a string, not {type(value).__name__}", "use ISO 8601")
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InvalidError(f"cannot read {what} {value!r}",
                           "write it as ISO 8601, e.g. 2025-04-21T10:00:00Z") from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def parse_day(value: object, what: str) -> date | None:
    """A date; a full timestamp is cut to its day (ClaimReview often carries times)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidError(f"{what} must be a string", "write it as YYYY-MM-DD")
    text = value.strip()
    if len(text) > 10 and text[4:5] == "-" and text[10:11] in ("T", " "):
        text = text[:10]
    return parse_date(text, what)


def optional_text(value: object, what: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        else:
            raise InvalidError(f"{what} must be text, not {type(value).__name__}", "quote it")
    return clean_text(value, what)


def required_text(value: object, what: str) -> str:
    cleaned = optional_text(value, what)
    if cleaned is None:
        raise InvalidError(f"empty {what}", f"every record needs its {what}")
    return cleaned


def text_list(value: object, what: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise InvalidError(f"{what} must be a list of text", "write a JSON array")
    cleaned = (optional_text(item, what) for item in value)
    return [item for item in cleaned if item]


def tag_list(values: list[str]) -> list[str]:
    return sorted({clean_tag(v) for v in values})


def choice(enum: type[EntityKind] | type[SourceKind] | type[LinkKind], value: object,
           what: str) -> str:
    return parse_choice(enum, required_text(value, what), what).value
