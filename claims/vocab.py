"""Controlled vocabularies. Values are the strings stored in the database and shown to users."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from claims.errors import InvalidError


class Status(StrEnum):
    TRUE = "true"
    MOSTLY_TRUE = "mostly-true"
    HALF_TRUE = "half-true"
    MOSTLY_FALSE = "mostly-false"
    FALSE = "false"
    UNVERIFIED = "unverified"
    DISPUTED = "disputed"
    UNPROVEN = "unproven"
    RETRACTED = "retracted"
    OUTDATED = "outdated"

    @property
    def rating(self) -> int | None:
        """5 (true) down to 1 (false) for verdicts; None for states that are not verdicts."""
        return RATINGS.get(self)

    @property
    def is_verdict(self) -> bool:
        return self in RATINGS


RATINGS: dict[Status, int] = {
    Status.TRUE: 5,
    Status.MOSTLY_TRUE: 4,
    Status.HALF_TRUE: 3,
    Status.MOSTLY_FALSE: 2,
    Status.FALSE: 1,
}

DEFAULT_STATUS = Status.UNVERIFIED


class LinkKind(StrEnum):
    SUPPORTS = "supports"
    CONTRADICTS = "contradicts"
    UPDATES = "updates"  # the newer (from) claim supersedes the older (to)
    REPEATS = "repeats"  # the same claim made again elsewhere
    RESPONDS_TO = "responds-to"

    @property
    def symmetric(self) -> bool:
        """Symmetric kinds read the same from both ends, so (a, k, b) and (b, k, a) are one link."""
        return self in (LinkKind.CONTRADICTS, LinkKind.REPEATS)


class EntityKind(StrEnum):
    PERSON = "person"
    ORGANIZATION = "organization"
    COUNTRY = "country"
    PLACE = "place"
    FACILITY = "facility"
    AGREEMENT = "agreement"
    EVENT = "event"
    OTHER = "other"


class SourceKind(StrEnum):
    ARTICLE = "article"
    STATEMENT = "statement"
    TRANSCRIPT = "transcript"
    REPORT = "report"
    SOCIAL_POST = "social-post"
    OTHER = "other"


E = TypeVar("E", bound=StrEnum)


def parse_choice(enum: type[E], value: str | E, what: str) -> E:
    """Turn user input into a vocabulary member, or fail naming the valid values."""
    if isinstance(value, enum):
        return value
    cleaned = str(value).strip().lower().replace("_", "-")
    try:
        return enum(cleaned)
    except ValueError:
        valid = ", ".join(member.value for member in enum)
        raise InvalidError(f"unknown {what} {value!r}", f"choose one of: {valid}") from None


class Qualifier(StrEnum):
    """How a figure relates to its value: "about 700", "at least 3,000", "up to 20%"."""

    ABOUT = "about"
    AT_LEAST = "at-least"
    MORE_THAN = "more-than"
    AT_MOST = "at-most"
    LESS_THAN = "less-than"
    UP_TO = "up-to"


class SortKey(StrEnum):
    """The orders of a listing (``--sort``): claims.reads.sorting turns each into SQL."""

    SAID_ON = "said_on"
    CREATED = "created"
    UPDATED = "updated"
    ID = "id"
    STATUS = "status"
    RATING = "rating"
    SCORE = "score"


class GroupBy(StrEnum):
    """What a track record groups claims by (``claims stats --by``)."""

    SPEAKER = "speaker"
    SOURCE = "source"
    OUTLET = "outlet"
    ENTITY = "entity"
    TAG = "tag"
    STATUS = "status"
    MONTH = "month"
