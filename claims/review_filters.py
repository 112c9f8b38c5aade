"""WHERE clauses on ``claims`` for the review filters of ``claims list`` (``--reviewed-by``,
``--rating``), for ``ClaimFilter.extra``. Core only, so a listing never loads the ORM."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from claims.names import name_key
from claims.tables import claims, entity_names, reviews
from claims.vocab import Status, parse_choice


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
