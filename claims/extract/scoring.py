"""How sure the extractor is that a candidate is a claim worth recording (0 to 1)."""

from __future__ import annotations

from claims.extract.model import Kind

BASE = {
    Kind.QUOTE: 0.9,
    Kind.ATTRIBUTED: 0.8,
    Kind.DENIAL: 0.8,
    Kind.FIGURE: 0.7,
    Kind.PREDICTION: 0.65,
    Kind.ASSERTION: 0.5,
}


def score(kind: Kind, speaker: str | None, about: list[str], text: str,
          quote: str | None) -> float:
    """The kind's base, more for a resolved speaker and named entities, less for a
    sentence too short or too long to hold one checkable statement."""
    value = BASE[kind]
    if speaker:
        value += 0.05
    value += min(len(about), 2) * 0.03
    words = len(text.split())
    if words < 8:
        value -= 0.1
    if words > 60:
        value -= 0.15
    if quote and len(quote.split()) > 60:
        value -= 0.05
    return max(0.0, min(1.0, value))
