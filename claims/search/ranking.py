"""Full-text search over claims (``search_claims``), and the claims like a stored one
(``similar_claims``): the records of ``claims.reads.query`` ranked by the index of
``claims.schema.fulltext`` and the near-duplicate scores of ``claims.reads.duplicates``."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, func, literal_column, select

from claims.reads.duplicates import (
    SIMILAR_SCORE,
    similar_to_text,
)
from claims.reads.lookup import get_claim
from claims.reads.query import ClaimFilter
from claims.reads.records import Record, claim_records
from claims.reads.sorting import order_by
from claims.schema.fulltext import (
    DEFAULT_MARKS,
    Index,
    Match,
    index_for,
    query_terms,
    run_checked,
)
from claims.schema.sql import Reader
from claims.search.topk import among, candidates
from claims.vocab import SortKey

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
    by_score = (claim_filter.sort or SortKey.SCORE) == SortKey.SCORE
    if raw or not by_score:
        # --raw reads the exact index; another order than the score reads the stemmed
        # index alone, which holds every form of the words, exact ones included.
        index = index_for(session, forms=not raw)
        match = _match(index, query, raw)
        if match is None:
            return []
        ranked = _ranked(session, index, match, claim_filter, marks,
                         claim_filter.offset, claim_filter.limit)
        # .all(), not list(...): mypy 2.4 crashes inferring list() of SQLAlchemy 2.1's
        # variadic Rows against the other branch's list[Any].
        rows = run_checked(session, ranked) if raw else session.execute(ranked).all()
    else:
        rows = _exact_then_forms(session, query_terms(query), claim_filter, marks)
    records = claim_records(session, [row.id for row in rows])
    for record, row in zip(records, rows, strict=True):
        record["score"] = round(float(row.score), 6)
        record["snippet"] = row.snippet
    return records


def count_matches(session: Reader, query: str, claim_filter: ClaimFilter | None = None,
                  *, raw: bool = False) -> int:
    """How many claims ``search_claims`` would find with no limit (for "20 of 32 shown"):
    the stemmed index finds every claim the exact one does, and those with other forms."""
    claim_filter = claim_filter or ClaimFilter()
    index = index_for(session, forms=not raw)
    match = _match(index, query, raw)
    if match is None:
        return 0
    narrowing = claim_filter.where(session)
    ids = index.matching(match, with_claims=bool(narrowing)).where(*narrowing)
    counted = select(func.count()).select_from(ids.subquery())
    rows = run_checked(session, counted) if raw else session.execute(counted).all()
    return int(rows[0][0])


def _match(index: Index, query: str, raw: bool) -> Match | None:
    return index.raw_match(query) if raw else index.match(query_terms(query), "AND")


def _ranked(
    session: Reader, index: Index, match: Match, claim_filter: ClaimFilter,
    marks: tuple[str, str], offset: int | None, limit: int | None, *,
    excluding: Select[Any] | None = None, within: list[int] | None = None,
) -> Select[Any]:
    """``id``, ``score`` and ``snippet`` of the claims ``match`` finds in ``index`` that pass
    the filter (and are not among ``excluding``; are among ``within``, if given), best first,
    ``offset`` and ``limit`` applied."""
    narrowing = claim_filter.where(session)
    sort = claim_filter.sort or SortKey.SCORE
    by_score = sort == SortKey.SCORE
    ranked = (
        # Sorting by a claim's column needs ``claims`` joined.
        index.matching(match, with_claims=bool(narrowing) or not by_score)
        .add_columns(index.score(match), index.snippet(match, marks).label("snippet"))
        .where(*narrowing)
    )
    if by_score and not claim_filter.reverse:
        ranked = ranked.order_by(literal_column("score").desc(), literal_column("id"))
    else:
        ranked = ranked.order_by(*order_by(sort, claim_filter.reverse,
                                           score=literal_column("score")))
    if excluding is not None:
        ranked = ranked.where(index.id_column().not_in(excluding))
    if within is not None:
        ranked = ranked.where(among(index, within))
    if offset:
        ranked = ranked.offset(offset)
    return ranked if limit is None else ranked.limit(limit)


def _exact_then_forms(
    session: Reader, terms: list[str], claim_filter: ClaimFilter, marks: tuple[str, str]
) -> list[Any]:
    """The claims holding the terms as typed (the exact index), best first; then, if the
    page is not full, those holding only other forms of them (the stemmed index of 0008).
    A word most claims hold fills the page from the exact index alone, as fast as before
    word forms; the second query runs only when exact matches run out, and then excludes
    them by a subquery of the exact index."""
    exact, forms = index_for(session), index_for(session, forms=True)
    exact_match, forms_match = exact.match(terms, "AND"), forms.match(terms, "AND")
    if exact_match is None or forms_match is None:
        return []
    offset, limit = claim_filter.offset or 0, claim_filter.limit
    # A common word's page: rank only the candidates claims.search.topk proves hold it.
    within = None
    if (limit is not None and not claim_filter.reverse
            and replace(claim_filter, limit=None, offset=0).selects_all()):
        within = candidates(session, exact, terms, offset + limit)
    rows = list(session.execute(_ranked(session, exact, exact_match, claim_filter, marks,
                                        offset, limit, within=within)))
    if limit is not None and len(rows) == limit:
        return rows
    exact_ids = exact.matching(exact_match, with_claims=False).correlate(None)
    if rows or not offset:
        exact_count = offset + len(rows)
    else:  # the offset passed every exact match: how many were there?
        filtered = _ranked(session, exact, exact_match, claim_filter, marks, None, None)
        exact_count = session.scalar(select(func.count()).select_from(filtered.subquery())) or 0
    more = _ranked(session, forms, forms_match, claim_filter, marks,
                   max(0, offset - exact_count), None if limit is None else limit - len(rows),
                   excluding=exact_ids)
    return rows + list(session.execute(more))


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
