"""Reviews: verdicts on claims by publishers (our desk or other fact-checkers).

A review keeps the publisher's label verbatim beside our reading of it (``rating``, one of
our statuses). Only a review by our own desk (``claims.settings.desk_name``) changes a claim's
status: it writes one history row, which the review names (``status_event_id``). Other
publishers' reviews are kept and shown, never allowed to move our status.

Every function works inside the caller's transaction (``Database.write()``/``read()``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from claims.names import clean_name, find_entity
from claims.parse import clean_text, parse_date
from claims.reads.lookup import get_claim
from claims.reviews.reads import Record, is_ours, review_query, review_record
from claims.schema.sql import chunks
from claims.schema.tables import claims, reviews, status_history, utcnow
from claims.settings import desk_name
from claims.vocab import EntityKind, Status, parse_choice
from claims.writes import store
from claims.writes.entities import add_entity

# Ratings this many steps apart on the 5-point scale are a disagreement between reviewers.
DISAGREEMENT_STEPS = 2
_COMPARED = ("rating", "label", "published", "explanation", "language", "author_id",
             "rating_value", "best_rating", "worst_rating")


@dataclass
class ReviewInput:
    """One publisher's verdict on a claim, as given (names resolved on writing)."""

    rating: Status | str
    publisher: str | None = None  # None: our own desk
    label: str | None = None
    url: str | None = None
    published: date | str | None = None
    explanation: str | None = None
    author: str | None = None
    author_kind: str = EntityKind.PERSON.value
    language: str | None = None
    rating_value: float | None = None
    best_rating: float | None = None
    worst_rating: float | None = None


@dataclass
class ReviewResult:
    id: int
    created: bool
    changed: bool
    ours: bool
    created_entities: list[str] = field(default_factory=list)


def entity_for(session: Session, name: str, kind: str, created: list[str]) -> int:
    """The entity answering to ``name`` (through aliases), created with ``kind`` if none."""
    display = clean_name(name)
    found = find_entity(session, display)
    if found is not None:
        return found.id
    entity = add_entity(session, display, kind=kind)
    created.append(display)
    return entity.id


def add_review(session: Session, claim_id: int, given: ReviewInput) -> ReviewResult:
    """Record a review, or bring the same review (same claim, publisher and URL) up to date.

    Unchanged input changes nothing, so importing the same page twice is a no-op."""
    get_claim(session, claim_id)
    rating = parse_choice(Status, given.rating, "rating")
    created: list[str] = []
    publisher = desk_name() if given.publisher is None else given.publisher
    ours = is_ours(publisher)
    author = clean_text(given.author, "author")
    explanation = clean_text(given.explanation, "explanation")
    row = {
        "rating": rating.value,
        "label": clean_text(given.label, "label") or (rating.value if ours else None),
        "url": clean_text(given.url, "URL"),
        "published": parse_date(given.published, "published date"),
        "explanation": explanation,
        "language": clean_text(given.language, "language"),
        "author_id": (entity_for(session, author, given.author_kind, created)
                      if author else None),
        "rating_value": given.rating_value,
        "best_rating": given.best_rating,
        "worst_rating": given.worst_rating,
    }
    publisher_id = entity_for(session, publisher, EntityKind.ORGANIZATION.value, created)
    existing = session.execute(
        select(reviews).where(reviews.c.claim_id == claim_id,
                              reviews.c.publisher_id == publisher_id,
                              reviews.c.url.is_(None) if row["url"] is None
                              else reviews.c.url == row["url"])
        .order_by(reviews.c.id.desc()).limit(1)).first()
    if existing is not None:
        changes = {k: row[k] for k in _COMPARED
                   if row[k] is not None and getattr(existing, k) != row[k]}
        if changes:
            session.execute(update(reviews).where(reviews.c.id == existing.id).values(**changes))
            if ours and "rating" in changes:
                _set_status(session, claim_id, existing.id, rating, explanation)
        return ReviewResult(existing.id, False, bool(changes), ours, created)
    review_id = session.execute(insert(reviews).values(
        claim_id=claim_id, publisher_id=publisher_id, created_at=utcnow(), **row)
        .returning(reviews.c.id)).scalar_one()
    if ours:
        _set_status(session, claim_id, review_id, rating, explanation)
    return ReviewResult(review_id, True, True, ours, created)


def _set_status(session: Session, claim_id: int, review_id: int, rating: Status,
                note: str | None) -> None:
    event = store.set_status(session, claim_id, rating, note=note)
    session.execute(update(reviews).where(reviews.c.status_event_id == event.id)
                    .values(status_event_id=None))
    session.execute(update(reviews).where(reviews.c.id == review_id)
                    .values(status_event_id=event.id))


# --- reading: claims.reviews.reads (Core only, for ``claims show``) -----------------------


def disagreements(session: Session, min_steps: int = DISAGREEMENT_STEPS) -> list[Record]:
    """Claims on which reviewers disagree: each publisher's latest verdict is compared with
    every other's, a disagreement being ``min_steps`` or more apart on the 5-point scale;
    our desk's current status (when a verdict) against another publisher's verdict counts
    when they differ at all."""
    rows = session.execute(review_query().order_by(reviews.c.claim_id, reviews.c.published,
                                                    reviews.c.id)).all()
    latest: dict[int, dict[str, Any]] = defaultdict(dict)
    for row in rows:
        latest[row.claim_id][row.publisher_name] = row
    statuses = _statuses(session, list(latest))
    found = []
    for claim_id, by_publisher in latest.items():
        verdicts = {name: Status(r.rating).rating for name, r in by_publisher.items()
                    if Status(r.rating).is_verdict}
        reasons = _reasons(verdicts, statuses.get(claim_id), min_steps)
        if reasons:
            found.append({"claim_id": claim_id, "status": statuses.get(claim_id),
                          "reviews": [review_record(r) for r in by_publisher.values()],
                          "reasons": reasons})
    return found


def _reasons(verdicts: dict[str, int | None], status: str | None, min_steps: int) -> list[str]:
    reasons = []
    names = sorted(verdicts)
    for i, first in enumerate(names):
        for second in names[i + 1:]:
            a, b = verdicts[first], verdicts[second]
            if a is not None and b is not None and abs(a - b) >= min_steps:
                reasons.append(f"{first} and {second} are {abs(a - b)} steps apart")
    ours = Status(status).rating if status else None
    if ours is not None:
        for name in names:
            theirs = verdicts[name]
            if not is_ours(name) and theirs is not None and theirs != ours:
                reasons.append(f"our status {status} against {name}'s "
                               f"{_BY_SCORE[theirs]}")
    return reasons


_BY_SCORE = {s.rating: s.value for s in Status if s.is_verdict}


def _statuses(session: Session, claim_ids: list[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    for chunk in chunks(claim_ids):
        found.update((claim_id, status) for claim_id, status in session.execute(
            select(claims.c.id, status_history.c.to_status)
            .join(status_history, status_history.c.id == claims.c.status_event_id)
            .where(claims.c.id.in_(chunk))))
    return found

