"""Reviews as schema.org ClaimReview, one per review, with what the ClaimReview consumers
(Google's Fact Check Tools, Data Commons, Meedan's crawler) ask for, and the check that
lists what each review lacks.

Written per review: ``url`` (the fact-check article; a review without one is left out and
counted), ``claimReviewed``, ``datePublished`` (the review's own), ``author`` (the
publisher, an Organization with its name and the site's address), ``reviewRating``
(``ratingValue``/``bestRating``/``worstRating`` on the publisher's own scale when it gave
one, else ours, 1-5, and ``alternateName``/``name`` the publisher's label),
``itemReviewed`` (a Claim: ``author`` typed Person or Organization from the speaker's
kind, ``datePublished`` the day it was said, ``appearance``/``firstAppearance`` from the
claim's source and the sources it came via), ``reviewBody`` and ``inLanguage`` when known.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from claims.names import name_key
from claims.reads.query import ClaimFilter
from claims.reviews.reads import review_query, review_record
from claims.schema.sql import chunks
from claims.schema.tables import claims, entities, reviews, sources
from claims.settings import desk_name
from claims.vocab import EntityKind, Status

Record = dict[str, Any]
CONTEXT = "https://schema.org"
# What the consumers need of each review (Google's ClaimReview guide: required, then
# recommended, properties), as paths into the written document.
REQUIRED = ("url", "claimReviewed", "reviewRating.alternateName")
RECOMMENDED = ("author.name", "author.url", "datePublished", "reviewRating.ratingValue",
               "reviewRating.bestRating", "reviewRating.worstRating", "itemReviewed.author.name",
               "itemReviewed.datePublished", "itemReviewed.appearance",
               "itemReviewed.firstAppearance")


@dataclass
class ReviewExport:
    written: int = 0
    left_out: Counter[str] = field(default_factory=Counter)  # reason -> reviews


def documents(session: Session, claim_filter: ClaimFilter | None = None, *,
              all_reviews: bool = False, publisher: str | None = None
              ) -> Iterator[tuple[Record, Record]]:
    """(review record, ClaimReview document) for each review of the selected claims: our
    desk's (``publisher`` or ``$CLAIMS_PUBLISHER``), or every publisher's."""
    ids = list(session.scalars((claim_filter or ClaimFilter()).select_ids(session)))
    ours = name_key(desk_name(publisher))
    for chunk in chunks(ids):
        claim_rows = {r.id: r for r in session.execute(
            select(claims.c.id, claims.c.text, claims.c.said_on, claims.c.source_id,
                   entities.c.name.label("speaker"), entities.c.kind.label("speaker_kind"))
            .outerjoin(entities, entities.c.id == claims.c.speaker_id)
            .where(claims.c.id.in_(chunk)))}
        rows = session.execute(review_query().where(reviews.c.claim_id.in_(chunk))
                               .order_by(reviews.c.id)).all()
        for row in rows:
            if not all_reviews and name_key(row.publisher_name) != ours:
                continue
            claim = claim_rows[row.claim_id]
            yield review_record(row), claim_review(row, claim, _chain(session, claim.source_id))


def _chain(session: Session, source_id: int) -> list[Any]:
    chain: list[Any] = []
    current: int | None = source_id
    while current is not None and all(s.id != current for s in chain):
        row = session.execute(select(sources).where(sources.c.id == current)).first()
        if row is None:
            break
        chain.append(row)
        current = row.via_id
    return chain


def claim_review(row: Any, claim: Any, chain: list[Any]) -> Record:
    item: Record = {"@type": "Claim"}
    if claim.speaker:
        kind = "Person" if claim.speaker_kind == EntityKind.PERSON.value else "Organization"
        item["author"] = {"@type": kind, "name": claim.speaker}
    if claim.said_on:
        item["datePublished"] = claim.said_on.isoformat()
    if chain:
        item["appearance"] = [_work(s) for s in chain]
        item["firstAppearance"] = _work(chain[-1])
    document: Record = {"@context": CONTEXT, "@type": "ClaimReview"}
    if row.url:
        document["url"] = row.url
    document["claimReviewed"] = claim.text
    if row.published:
        document["datePublished"] = row.published.isoformat()
    author: Record = {"@type": "Organization", "name": row.publisher_name}
    site = _site(row.url)
    if site:
        author["url"] = site
    document["author"] = author
    document["reviewRating"] = _rating(row)
    document["itemReviewed"] = item
    if row.explanation:
        document["reviewBody"] = row.explanation
    if row.language:
        document["inLanguage"] = row.language
    return document


def _rating(row: Any) -> Record:
    label = row.label or row.rating
    rating: Record = {"@type": "Rating"}
    proper = (row.rating_value is not None and row.best_rating is not None
              and row.worst_rating is not None and row.best_rating != row.worst_rating)
    if proper:
        rating.update(ratingValue=_number(row.rating_value), bestRating=_number(row.best_rating),
                      worstRating=_number(row.worst_rating))
    elif Status(row.rating).is_verdict:
        rating.update(ratingValue=Status(row.rating).rating, bestRating=5, worstRating=1)
    rating.update(alternateName=label, name=label)
    return rating


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _work(source: Any) -> Record:
    work: Record = {"@type": "CreativeWork", "identifier": source.key, "name": source.title,
                    "publisher": {"@type": "Organization", "name": source.outlet}}
    if source.url:
        work["url"] = source.url
    if source.published:
        work["datePublished"] = source.published.isoformat()
    return work


def _site(url: str | None) -> str | None:
    from urllib.parse import urlsplit

    if not url:
        return None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/" if parts.scheme and parts.netloc else None


def missing(document: Record) -> list[str]:
    """The required and recommended properties the document lacks, required first."""
    return [path for path in REQUIRED + RECOMMENDED if _get(document, path) in (None, [], "")]


def _get(document: Record, path: str) -> Any:
    current: Any = document
    for part in path.split("."):
        if not isinstance(current, dict):
            return None
        current = current.get(part)
    return current


def write_reviews(session: Session, out: Any, claim_filter: ClaimFilter | None,
                  summary: Any, *, publisher: str | None, all_reviews: bool) -> None:
    """The ClaimReview export: a JSON array of the reviews that have a URL; the others are
    counted in ``summary.skipped`` and ``summary.reasons``."""
    import json

    out.write("[")
    first = True
    for _, document in documents(session, claim_filter, all_reviews=all_reviews,
                                 publisher=publisher):
        if "url" not in document:
            summary.skipped += 1
            summary.reasons["no url (the fact-check article's address)"] = \
                summary.reasons.get("no url (the fact-check article's address)", 0) + 1
            continue
        out.write(("\n" if first else ",\n") + json.dumps(document, ensure_ascii=False))
        first = False
        summary.claims += 1
    out.write("\n]\n" if not first else "]\n")
