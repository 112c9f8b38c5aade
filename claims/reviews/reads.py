"""Reading reviews: the query that joins a review's publisher and author, its JSON record,
and a claim's reviews. Core only, on a session or a plain connection, so that
``claims show`` never loads the ORM; ``claims.reviews.store`` writes them. Also the
review filters of ``claims list`` (``--reviewed-by``, ``--rating``), as WHERE clauses for
``ClaimFilter.extra``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from claims.names import name_key
from claims.reads.lookup import require_claim
from claims.schema.tables import claims, entities, entity_names, reviews
from claims.settings import desk_name
from claims.vocab import Status, parse_choice

# WHERE clauses on ``claims`` for the review filters of ``claims list`` (``--reviewed-by``,
# ``--rating``), for ``ClaimFilter.extra``. Core only, so a listing never loads the ORM.


def reviewed_by_clause(publisher: str) -> Any:
    """A WHERE clause on ``claims`` (for ``ClaimFilter.extra``): reviewed by this publisher."""
    return claims.c.id.in_(
        select(reviews.c.claim_id)
        .join(entity_names, entity_names.c.entity_id == reviews.c.publisher_id)
        .where(entity_names.c.key == name_key(publisher)))


def rating_clause(ratings: list[str]) -> Any:
    """Claims with a review (anyone's) rating them one of ``ratings``."""
    wanted = [parse_choice(Status, r, "rating").value for r in ratings]
    return claims.c.id.in_(select(reviews.c.claim_id).where(reviews.c.rating.in_(wanted)))

if TYPE_CHECKING:
    from claims.schema.sql import Reader

Record = dict[str, Any]


def is_ours(publisher: str | None) -> bool:
    return publisher is None or name_key(publisher) == name_key(desk_name())


def review_query() -> Any:
    publisher = entities.alias("publisher")
    author = entities.alias("author")
    return (select(reviews, publisher.c.name.label("publisher_name"),
                   author.c.name.label("author_name"), author.c.kind.label("author_kind"))
            .join(publisher, publisher.c.id == reviews.c.publisher_id)
            .outerjoin(author, author.c.id == reviews.c.author_id))


def review_record(row: Any) -> Record:
    """The JSON record of one review (docs: "JSON records", reviews)."""
    return {
        "id": row.id,
        "claim_id": row.claim_id,
        "publisher": row.publisher_name,
        "ours": is_ours(row.publisher_name),
        "author": row.author_name,
        "rating": row.rating,
        "score": Status(row.rating).rating,
        "label": row.label,
        "url": row.url,
        "published": row.published.isoformat() if row.published else None,
        "explanation": row.explanation,
        "language": row.language,
        "original": ({"value": row.rating_value, "best": row.best_rating,
                      "worst": row.worst_rating}
                     if row.rating_value is not None else None),
        "sets_status": row.status_event_id is not None,
    }


def claim_reviews(session: Reader, claim_id: int) -> list[Record]:
    """A claim's reviews, oldest first."""
    require_claim(session, claim_id)
    rows = session.execute(review_query().where(reviews.c.claim_id == claim_id)
                           .order_by(reviews.c.published, reviews.c.id)).all()
    return [review_record(r) for r in rows]
