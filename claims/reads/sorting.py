"""Orders of a claim listing (``--sort``): each key and the ORDER BY it means, ties broken
by id. Every key sorts ascending unless reversed, in the order a reader expects:

- ``id``, ``created``, ``updated``, ``said_on``: oldest first (``said_on`` undated last);
- ``status``: the scale's order, true ... false, then unverified ... outdated;
- ``rating``: 5 (true) down to 1 (false), claims without a verdict last;
- ``score``: a search's best match first (searches only).

``reverse`` turns the whole order round (newest first: ``--sort created --reverse``),
except that claims without a date or rating stay last.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, select

from claims.errors import InvalidError
from claims.schema.tables import claims, status_history
from claims.vocab import SortKey, Status


def _current_status() -> Any:
    return (select(status_history.c.to_status)
            .where(status_history.c.id == claims.c.status_event_id)
            .scalar_subquery())


def _scale_position() -> Any:
    return case({s.value: i for i, s in enumerate(Status)}, value=_current_status())


def _rating_position() -> Any:
    """0 for true ... 4 for false; None for the statuses that are not verdicts."""
    return case({s.value: 5 - (s.rating or 0) for s in Status if s.is_verdict},
                value=_current_status(), else_=None)


def order_by(key: SortKey | str, reverse: bool = False, score: Any = None) -> list[Any]:
    """The ORDER BY clauses for ``key``; ``score`` is the search's score column (higher is
    better), required for ``SortKey.SCORE``."""
    key = SortKey(key)
    if key is SortKey.SCORE:
        if score is None:
            raise InvalidError("--sort score orders a search", "use it with 'claims search'")
        return [score.asc() if reverse else score.desc(), claims.c.id]
    nullable = {SortKey.SAID_ON: claims.c.said_on, SortKey.RATING: _rating_position()}
    plain = {SortKey.ID: claims.c.id, SortKey.CREATED: claims.c.created_at,
             SortKey.UPDATED: claims.c.updated_at, SortKey.STATUS: _scale_position()}
    column = nullable[key] if key in nullable else plain[key]
    direction = column.desc() if reverse else column.asc()
    tie = claims.c.id.desc() if reverse else claims.c.id.asc()
    if key in nullable:  # undated or unrated last, whichever way round
        return [column.is_(None), direction, tie]
    return [direction] if key is SortKey.ID else [direction, tie]
