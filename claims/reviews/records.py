"""A fact-check as read from any input, before it is matched and written.

``from_claim_review`` reads one schema.org ClaimReview node, taking everything from the
record itself: the claim text from ``claimReviewed`` (else the reviewed item's name, else
the review's headline, with a note saying so), the speaker from ``itemReviewed.author``
with its kind, where the claim appeared from ``appearance``/``firstAppearance``/
``itemReviewed.url`` (else the review page), and the publisher from the review's
``publisher`` or ``author`` (a byline, a Person or an author page, is the review's author
and the page article's publisher is taken instead).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from claims.errors import InvalidError
from claims.reviews.jsonld import Node, Page, iter_objects, types
from claims.vocab import EntityKind

DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})")


@dataclass
class Appearance:
    url: str | None
    title: str | None = None
    outlet: str | None = None
    published: date | None = None
    key: str | None = None  # the work's identifier (our own export writes the source key)


@dataclass
class ReviewRecord:
    text: str
    publisher: str
    url: str | None = None
    published: date | None = None
    label: str | None = None
    rating_value: float | None = None
    best_rating: float | None = None
    worst_rating: float | None = None
    explanation: str | None = None
    language: str | None = None
    author: str | None = None
    author_kind: str = EntityKind.PERSON.value
    speaker: str | None = None
    speaker_kind: str = EntityKind.OTHER.value
    said_on: date | None = None
    appearances: list[Appearance] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the reader had to make up


def text_of(value: Any) -> str | None:
    """A property's text: the first of a list, a node's name, stripped; None when empty."""
    if isinstance(value, list):
        parts = [text_of(v) for v in value]
        value = next((p for p in parts if p), None)
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value")
        return text_of(value)
    if value is None or isinstance(value, bool):
        return None
    text = " ".join(str(value).split())
    return text or None


def number_of(value: Any) -> float | None:
    text = text_of(value)
    if text is None:
        return None
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return None
    if not math.isfinite(number):
        raise InvalidError(f"the rating {text[:40]!r} is not a finite number",
                           "ratings are numbers on the publisher's scale")
    return number


def day_of(value: Any, date_format: str | None = None) -> date | None:
    """The day of a date as real pages write it: ``2020-06-24 00:03``, with an offset,
    a date alone; or in ``date_format`` (``%d-%m-%Y``) when given."""
    text = text_of(value)
    if text is None:
        return None
    if date_format:
        try:
            return datetime.strptime(text, date_format).date()
        except ValueError:
            pass
    match = DATE.match(text)
    if match is None:
        raise InvalidError(f"cannot read the date {text!r}",
                           "give --date-format, e.g. --date-format %d-%m-%Y")
    year, month, day = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidError(f"cannot read the date {text!r}", "fix the date") from None


def full_url(value: Any) -> str | None:
    """A URL as given, with ``https://`` added when a page left the scheme out."""
    text = text_of(value if not isinstance(value, dict) else value.get("url") or value.get("@id"))
    if text is None:
        return None
    if not re.match(r"^[a-z][a-z0-9+.-]*://", text, re.I):
        if "." not in text.split("/")[0]:
            return None
        text = "https://" + text
    return text


def host_of(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


def _kind(node: Node | None, default: str) -> str:
    kinds = types(node) if node else set()
    if "Person" in kinds:
        return EntityKind.PERSON.value
    if kinds & {"Organization", "NewsMediaOrganization", "GovernmentOrganization",
                "Corporation", "NGO", "PoliticalParty"}:
        return EntityKind.ORGANIZATION.value
    return default


def _first_node(value: Any, page: Page) -> Node | None:
    if isinstance(value, str) and value.strip():
        return {"name": value}
    for node in iter_objects(value):
        return page.resolve(node)
    return None


def _is_byline(node: Node | None) -> bool:
    """A review ``author`` that is the writer, not the publication."""
    if node is None:
        return False
    url = full_url(node) or ""
    return "Person" in types(node) or bool(re.search(r"/(authors?|people|staff|profile)/", url))


def from_claim_review(node: Node, page: Page) -> ReviewRecord:
    notes: list[str] = []
    url = full_url(node.get("url"))
    article = page.article_for(url)
    item = _first_node(node.get("itemReviewed"), page) or {}
    text = text_of(node.get("claimReviewed"))
    if text is None:
        for source, what in ((item.get("text"), "the reviewed item's text"),
                             (item.get("name"), "the reviewed item's name"),
                             (node.get("headline") or node.get("name"), "the review's headline")):
            text = text_of(source)
            if text:
                notes.append(f"claimReviewed is empty: the claim text is {what}")
                break
    if text is None:
        raise InvalidError("the ClaimReview has no claimReviewed, item name or headline",
                           "nothing says what the claim is")
    author = _first_node(node.get("author"), page)
    publisher = _first_node(node.get("publisher"), page)
    byline = None
    if publisher is None or not text_of(publisher.get("name")):
        if _is_byline(author) and article is not None:
            publisher = _first_node(article.get("publisher"), page)
        else:
            publisher, author = author, None
    if author is not None and publisher is not None and not _is_byline(author) \
            and text_of(author.get("name")) == text_of(publisher.get("name")):
        author = None
    byline = text_of(author.get("name")) if author else None
    publisher_name = (text_of(publisher.get("name")) if publisher else None) or host_of(url)
    if publisher_name is None:
        raise InvalidError("the ClaimReview names no publisher (author) and has no URL",
                           "nothing says who reviewed the claim")
    rating = _first_node(node.get("reviewRating"), page) or {}
    speaker = _first_node(item.get("author"), page)
    published = day_of(node.get("datePublished"))
    if published is None and article is not None:
        published = day_of(article.get("datePublished"))
    return ReviewRecord(
        text=text,
        publisher=publisher_name,
        url=url,
        published=published,
        label=text_of(rating.get("alternateName")) or text_of(rating.get("name")),
        rating_value=number_of(rating.get("ratingValue")),
        best_rating=number_of(rating.get("bestRating")),
        worst_rating=number_of(rating.get("worstRating")),
        explanation=text_of(rating.get("ratingExplanation")) or text_of(node.get("reviewBody")),
        language=text_of(node.get("inLanguage")) or (text_of(article.get("inLanguage"))
                                                     if article else None),
        author=byline,
        speaker=text_of(speaker.get("name")) if speaker else None,
        speaker_kind=_kind(speaker, EntityKind.OTHER.value),
        said_on=day_of(item.get("datePublished")),
        appearances=_appearances(item, page),
        notes=notes,
    )


def _appearances(item: Node, page: Page) -> list[Appearance]:
    found: list[Appearance] = []
    for prop in ("firstAppearance", "appearance"):
        for work in iter_objects(item.get(prop)):
            work = page.resolve(work)
            url = full_url(work)
            identifier = text_of(work.get("identifier"))
            key = identifier if identifier and " " not in identifier else None
            if (url or key) and all((a.url, a.key) != (url, key) for a in found):
                found.append(Appearance(url, text_of(work.get("name") or work.get("headline")),
                                        text_of(work.get("publisher")),
                                        day_of(work.get("datePublished")), key))
    if not found:
        url = full_url(item.get("url")) if "url" in item else None
        if url:
            found.append(Appearance(url, text_of(item.get("name")), None,
                                    day_of(item.get("datePublished"))))
    return found
