"""schema.org ClaimReview JSON-LD, written from claims with a verdict and read back.

Only properties that schema.org defines on the type they sit on are written (the tests keep
a table of them): ClaimReview (a Review, so a CreativeWork and a Thing) carries
``claimReviewed``, ``reviewRating``, ``itemReviewed``, ``author``, ``datePublished``,
``identifier``, ``keywords`` and ``about``; the reviewed ``Claim`` (a CreativeWork) carries
``text``, ``author``, ``datePublished``, ``appearance`` and ``firstAppearance``; a ``Rating``
carries ``ratingValue``, ``bestRating``, ``worstRating`` and ``alternateName``.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from claims.errors import InvalidError
from claims.io.records import (
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
from claims.vocab import RATINGS, EntityKind, SourceKind, Status

CONTEXT = "https://schema.org"
BEST, WORST = 5, 1
BY_RATING = {rating: status for status, rating in RATINGS.items()}
Record = dict[str, Any]


# --- writing ------------------------------------------------------------------------------


def claim_review(claim: Record, sources: dict[str, Record], entity_kinds: dict[str, str],
                 publisher: str | None) -> Record | None:
    """The ClaimReview of one exported claim record, or None when its status is no verdict."""
    status = Status(claim["status"])
    if not status.is_verdict:
        return None
    chain = _chain(claim["source"], sources)
    item: Record = {"@type": "Claim", "text": claim["quote"] or claim["text"]}
    if claim["speaker"]:
        item["author"] = _party(claim["speaker"], entity_kinds.get(claim["speaker"]))
    if claim["said_on"]:
        item["datePublished"] = claim["said_on"]
    item["appearance"] = [_creative_work(s) for s in chain]
    # The via chain runs from where we read it back towards where it was first said.
    item["firstAppearance"] = _creative_work(chain[-1])
    review: Record = {
        "@context": CONTEXT,
        "@type": "ClaimReview",
        "claimReviewed": claim["text"],
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": status.rating,
            "bestRating": BEST,
            "worstRating": WORST,
            "alternateName": status.value,
        },
        "itemReviewed": item,
        "datePublished": _verdict_date(claim),
    }
    if claim["external_id"]:
        review["identifier"] = claim["external_id"]
    if publisher:
        review["author"] = {"@type": "Organization", "name": publisher}
    if claim["tags"]:
        review["keywords"] = ", ".join(claim["tags"])
    if claim["about"]:
        review["about"] = [{"@type": "Thing", "name": name} for name in claim["about"]]
    return review


def _chain(key: str, sources: dict[str, Record]) -> list[Record]:
    chain: list[Record] = []
    current: str | None = key
    while current is not None and current in sources and sources[current] not in chain:
        chain.append(sources[current])
        current = sources[current]["via"]
    return chain


def _party(name: str, kind: str | None) -> Record:
    schema_type = "Person" if kind == EntityKind.PERSON.value else "Organization"
    return {"@type": schema_type, "name": name}


def _creative_work(source: Record) -> Record:
    work: Record = {"@type": "CreativeWork", "identifier": source["key"], "name": source["title"],
                    "publisher": {"@type": "Organization", "name": source["outlet"]}}
    if source["url"]:
        work["url"] = source["url"]
    if source["published"]:
        work["datePublished"] = source["published"]
    return work


def _verdict_date(claim: Record) -> str:
    """The day the current verdict was reached: the last history entry's time."""
    history = claim["history"]
    at = history[-1]["at"] if history else claim["updated_at"]
    return str(at)[:10]


# --- reading ------------------------------------------------------------------------------


def is_claim_review(obj: object) -> bool:
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
        number = float(value)  # type: ignore[arg-type]
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
