"""schema.org ClaimReview JSON-LD read as claim records, for the line-by-line importer
(``claims.io.readers``). Pages and review records go through ``claims.reviews.importing``;
``claims.reviews.export`` writes ClaimReview, one document per review.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any, TypeGuard

from claims.errors import InvalidError
from claims.io.items import (
    ClaimInput,
    SourceInput,
)
from claims.parse import (
    optional_text,
    parse_day,
    parse_timestamp,
    required_text,
    tag_list,
    text_list,
)
from claims.vocab import RATINGS, EntityKind, SourceKind

BEST, WORST = 5, 1
BY_RATING = {rating: status for status, rating in RATINGS.items()}
Record = dict[str, Any]



def is_claim_review(obj: object) -> TypeGuard[Record]:
    return isinstance(obj, dict) and _types(obj.get("@type")) & {"ClaimReview"} != set()


def _types(value: object) -> set[str]:
    if isinstance(value, str):
        return {value.rsplit("/", 1)[-1]}
    if isinstance(value, list):
        return {str(v).rsplit("/", 1)[-1] for v in value}
    return set()


def claim_from_review(obj: Record) -> ClaimInput:
    """A ClaimReview (ours or anyone's) as a claim; the rating becomes its status."""
    item = _first_object(obj.get("itemReviewed")) or {}
    author = _first_object(item.get("author"))
    appearances = [w for w in _objects(item.get("appearance")) if w]
    first = _first_object(item.get("firstAppearance"))
    work = appearances[0] if appearances else first
    text = optional_text(obj.get("claimReviewed"), "claimReviewed") or required_text(
        item.get("text") or item.get("name"), "claimReviewed")
    quote = optional_text(item.get("text"), "claim text")
    label, fallback = _verdict(obj.get("reviewRating"))
    return ClaimInput(
        text=text,
        quote=quote if quote != text else None,
        source_spec=_source_spec(work) if work else None,
        source=_source_key(work) if work else None,
        speaker=optional_text(author.get("name"), "claim author") if author else None,
        speaker_kind=_entity_kind(author) if author else None,
        about=[n for n in (_name(t) for t in _objects(obj.get("about"))) if n],
        status=label or fallback,
        status_fallback=fallback,
        status_at=parse_timestamp(_scalar(obj.get("datePublished")), "datePublished"),
        said_on=parse_day(_scalar(item.get("datePublished")), "claim datePublished"),
        tags=tag_list(_keywords(obj.get("keywords"))),
        external_id=optional_text(_scalar(obj.get("identifier")) or _scalar(obj.get("url")),
                                  "identifier"),
    )


def _objects(value: object) -> list[Record]:
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, dict)]
    if isinstance(value, str) and value.strip():
        return [{"name": value}]
    return []


def _first_object(value: object) -> Record | None:
    found = _objects(value)
    return found[0] if found else None


def _scalar(value: object) -> object:
    return value[0] if isinstance(value, list) and value else value


def _name(thing: Record) -> str | None:
    return optional_text(_scalar(thing.get("name")), "name")


def _entity_kind(author: Record) -> str | None:
    types = _types(author.get("@type"))
    if "Person" in types:
        return EntityKind.PERSON.value
    if "Organization" in types:
        return EntityKind.ORGANIZATION.value
    return None


def _verdict(rating: object) -> tuple[str | None, str | None]:
    """The rating's label (for --status-map, or ours as it is), and the status its value
    means on our 1-5 scale, used when the label is foreign and not mapped."""
    rating = _first_object(rating)
    if rating is None:
        return None, None
    label = optional_text(_scalar(rating.get("alternateName")), "rating name")
    value = _number(rating.get("ratingValue"))
    if value is None:
        return label, None
    best = _number(rating.get("bestRating")) or BEST
    worst = _number(rating.get("worstRating"))
    worst = WORST if worst is None else worst
    if best == worst:
        raise InvalidError("rating has bestRating equal to worstRating", "fix the rating")
    scaled = WORST + round((value - worst) * (BEST - WORST) / (best - worst))
    return label, BY_RATING[min(BEST, max(WORST, scaled))].value


# Beyond any real scale: keeps the arithmetic of _verdict finite (1e999 is infinity).
MAX_RATING = 1e12


def _number(value: object) -> float | None:
    value = _scalar(value)
    if value is None or value == "":
        return None
    try:
        number = float(value)  # type: ignore[arg-type]  # any JSON value; a list raises TypeError
    except (TypeError, ValueError):
        raise InvalidError(f"rating value {value!r} is not a number", "fix the rating") from None
    if not abs(number) <= MAX_RATING:  # also NaN and infinity, which compare false
        raise InvalidError(f"rating value {value!r} is out of range", "fix the rating")
    return number


def _keywords(value: object) -> list[str]:
    if isinstance(value, str):
        return [part for part in value.split(",") if part.strip()]
    return text_list(value, "keyword")


def _source_key(work: Record) -> str:
    """The work's identifier when it has one (ours always does), else one made from its URL
    or name, so that importing the same review twice finds the same source."""
    given = optional_text(_scalar(work.get("identifier")), "appearance identifier")
    if given and not any(ch.isspace() for ch in given):
        return given
    basis = _scalar(work.get("url")) or _scalar(work.get("name")) or given or ""
    digest = hashlib.sha1(str(basis).encode()).hexdigest()[:10]
    host = re.sub(r"^https?://(www\.)?", "", str(basis)).split("/")[0]
    slug = re.sub(r"[^a-z0-9]+", "-", host.lower()).strip("-")[:40] or "work"
    return f"{slug}-{digest}"


def _source_spec(work: Record) -> SourceInput:
    publisher = _first_object(work.get("publisher"))
    url = optional_text(_scalar(work.get("url")), "appearance URL")
    title = (optional_text(_scalar(work.get("name")) or _scalar(work.get("headline")), "title")
             or url or "untitled")
    outlet = (_name(publisher) if publisher else None) or _host(url) or "unknown"
    return SourceInput(
        key=_source_key(work), title=title, outlet=outlet, url=url,
        published=parse_day(_scalar(work.get("datePublished")), "appearance datePublished"),
        kind=SourceKind.ARTICLE.value,
    )


def _host(url: str | None) -> str | None:
    if not url:
        return None
    return re.sub(r"^https?://(www\.)?", "", url).split("/")[0] or None
