"""What the extractor proposes: a candidate claim, with where it sits in the input."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    """Why a sentence was proposed, most specific first."""

    QUOTE = "quote"  # a direct quote with its speaker
    ATTRIBUTED = "attributed"  # reported speech: said, told, according to ...
    DENIAL = "denial"  # someone denies or rejects something
    FIGURE = "figure"  # a number that can be checked: 17%, $3bn, 408.6 kg
    PREDICTION = "prediction"  # a plan or forecast: will, expects, by 2030
    ASSERTION = "assertion"  # the outlet's own factual statement


@dataclass(frozen=True)
class Span:
    """Character offsets into the input text, end exclusive (``text[start:end]``)."""

    start: int
    end: int


@dataclass
class Candidate:
    """One proposed claim. ``speaker`` is an entity name (a known one's canonical name when
    the database knows it), or None for the outlet's own assertion."""

    text: str
    kind: Kind
    span: Span
    score: float
    quote: str | None = None
    speaker: str | None = None
    about: list[str] = field(default_factory=list)
    unknown_names: list[str] = field(default_factory=list)
    said_on: str | None = None

    def record(self) -> dict[str, object]:
        """The candidate as a JSON object whose claim fields ``claims import`` reads as they
        stand (``kind``, ``span``, ``score`` and ``unknown_names`` it ignores)."""
        return {
            "type": "claim",
            "text": self.text,
            "quote": self.quote,
            "speaker": self.speaker,
            "about": self.about,
            "said_on": self.said_on,
            "kind": self.kind.value,
            "span": [self.span.start, self.span.end],
            "score": round(self.score, 2),
            "unknown_names": self.unknown_names,
        }
