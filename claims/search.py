"""Full-text search over claims (``search_claims``), and the claims like a stored one
(``similar_claims``): the records of ``claims.query`` ranked by the index of ``claims.fts``
and the near-duplicate scores of ``claims.duplicates``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import literal_column

# The index and duplicate helpers lived here before claims.fts and claims.duplicates.
from claims.duplicates import SIMILAR_SCORE as SIMILAR_SCORE
from claims.duplicates import NewClaimCheck as NewClaimCheck
from claims.duplicates import Similar as Similar
from claims.duplicates import candidate_words as candidate_words
from claims.duplicates import check_new_claim as check_new_claim
from claims.duplicates import similar_to_text
from claims.fts import DEFAULT_MARKS, index_for, query_terms, run_checked
from claims.fts import fts5_phrase as fts5_phrase
from claims.lookup import get_claim
from claims.query import ClaimFilter, Record, claim_records
from claims.sql import Reader

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def search_claims(
    session: Reader,
    query: str,
    claim_filter: ClaimFilter | None = None,
    *,
    raw: bool = False,
    marks: tuple[str, str] = DEFAULT_MARKS,
) -> list[Record]:
    """Claims matching ``query``, best first, narrowed by ``claim_filter`` (its limit and
    offset apply to the ranked list). Each record is a claim record plus ``score`` (higher
    is better; comparable only within one search) and ``snippet`` (matches between
    ``marks``)."""
    claim_filter = claim_filter or ClaimFilter()
    index = index_for(session)
    match = index.raw_match(query) if raw else index.match(query_terms(query), "AND")
    if match is None:
        return []
    narrowing = claim_filter.where(session)
    ranked = (
        index.matching(match, with_claims=bool(narrowing))  # type: ignore[arg-type]
        .add_columns(index.score(match), index.snippet(match, marks).label("snippet"))  # type: ignore[arg-type]
        .where(*narrowing)
    )
    ranked = ranked.order_by(literal_column("score").desc(), literal_column("id"))
    if claim_filter.offset:
        ranked = ranked.offset(claim_filter.offset)
    if claim_filter.limit is not None:
        ranked = ranked.limit(claim_filter.limit)
    rows = run_checked(session, ranked) if raw else session.execute(ranked).all()
    records = claim_records(session, [row.id for row in rows])
    for record, row in zip(records, rows, strict=True):
        record["score"] = round(float(row.score), 6)
        record["snippet"] = row.snippet
    return records




def similar_claims(
    session: Session, claim_id: int, *, min_score: float = SIMILAR_SCORE
) -> list[Record]:
    """Claims like claim ``claim_id``, best first: claim records plus ``score``."""
    claim = get_claim(session, claim_id)
    found = similar_to_text(session, claim.text, exclude_id=claim.id, min_score=min_score)
    records = claim_records(session, [s.claim_id for s in found])
    for record, hit in zip(records, found, strict=True):
        record["score"] = round(hit.score, 1)
        record["same_text"] = hit.same_text
    return records
