"""One claim's whole record: exactly what ``claims show --format json`` prints.

``claims.reads.query.show_claim`` gives the claim with its via chain, links and status
history; the record documented for ``claims show`` also has the claim's reviews (every
publisher's, oldest first), its figures and its due date. Those live in ``claims.reviews``
and ``claims.figures``, which stand above ``claims.reads``; this package is the lowest that
sees all three, so the record is put together here, where ``claims.report``,
``claims.serve`` and ``claims.io`` (the floors above) can use it too.

    from claims.reviews.full_record import full_claim_record
    with db.connect() as conn:
        record = full_claim_record(conn, 7)

Core only, on a session or a plain connection, so that ``claims show`` never loads the ORM.
"""

from __future__ import annotations

from claims.figures.measures import claim_details
from claims.reads.query import show_claim
from claims.reads.records import Record
from claims.reviews.reads import claim_reviews
from claims.schema.sql import Reader


def full_claim_record(session: Reader, claim_id: int) -> Record:
    """The claim as ``claims show`` documents it: ``show_claim``'s record plus ``reviews``,
    ``figures`` and ``due`` (an ISO date, or None). An unknown id is a NotFoundError."""
    record = show_claim(session, claim_id)
    record["reviews"] = claim_reviews(session, claim_id)
    record.update(claim_details(session, claim_id))
    return record
