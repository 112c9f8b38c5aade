"""The first page of a one-word search without ranking every match.

Ranking ten thousand matches to show fifty is most of a common word's search time. For a
query of one word, both engines' scores split the matches in two:

- *plain* matches hold the word exactly once, in the text. On PostgreSQL ``ts_rank``
  (normalization 0, as ``claims.fts`` uses it) gives them all one and the same score, so
  the ranking orders them by id. On SQLite ``bm25`` gives them idf · F(k1+1) /
  (F + k1(1 - b + b·D/avgD)) with the same F (the text weight), so a shorter claim (fewer
  tokens D) scores strictly higher, and equal lengths tie, ordered by id.
- *other* matches hold it more than once, or in the quote (or, on SQLite, have a length
  this module does not read); their scores can be anything.

**The argument.** Let k = offset + limit. Take as candidates every other match and the
first k plain matches in plain order (by id; by length, then id). A match outside the
candidates is plain and has k plain matches before it, each scoring at least as high and,
on a tie, with a lower id: all k come before it in the full ranking, so it is not on the
page. Ranking the candidates alone with the engine's own score (the same expression, so
the same scores and ties) therefore gives the same first k, in the same order.

How each engine finds the two sets without reading every match:

- PostgreSQL (revision 0012): a GIN index on ``claims_search_keys(search_vector, id)``,
  whose key for a word is ``word<US>*`` in the other claims and ``word<US>bucket`` in the
  plain ones, bucket = id >> 14 (16,384 ids). Buckets are read in order, four times as many
  each time, until k plain ids are found: a word in 1% of claims needs one bucket of ~160
  claims, where ranking read 10,000 rows.
- SQLite: the index's vocabulary (``fts5vocab``) says how many claims hold the word in
  each column and how often; the quote's holders come from a column filter; claims holding
  it more than once in the text are looked up only when there are any. Plain matches are
  then ordered by the token count FTS5 keeps for each row (``claims_fts_docsize``, one
  varint per column; a row whose two counts are not one byte each is an "other" match).

Only a single word of letters and digits in ASCII, sorted by score, with no filter and a
page within ``MOST``, takes this path; anything else is ranked in full as before. A word
with fewer than ``MANY`` x k matches is ranked in full too: that is already fast.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Integer, Text, any_, bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY

from claims.fts import Index, _PostgresIndex
from claims.sql import Reader

MOST = 1_000  # offset + limit above this is ranked in full
MANY = 4  # fewer matches than MANY x (offset + limit): ranked in full
BUCKET_BITS = 14  # as revision 0012
SEPARATOR = "\x1f"  # as revision 0012
_WORD = re.compile(r"[A-Za-z0-9]+")


def candidates(session: Reader, index: Index, terms: list[str], k: int) -> list[int] | None:
    """Ids whose ranking alone gives the full ranking's first ``k`` (see the module), or
    None when the search does not qualify and must rank every match."""
    if len(terms) != 1 or not _WORD.fullmatch(terms[0]) or not 0 < k <= MOST:
        return None
    word = terms[0].lower()
    if type(index) is not _PostgresIndex:
        return None  # SQLite, and the word-forms index: ranked in full (see the module)
    return _postgres_candidates(session, word, k)


def among(index: Index, ids: list[int]) -> Any:
    """The WHERE clause keeping these ids, in one bound parameter however many there are."""
    return index.id_column() == any_(bindparam("candidate_ids", ids, type_=ARRAY(Integer)))


# --- PostgreSQL ---------------------------------------------------------------------------


def _postgres_candidates(session: Reader, word: str, k: int) -> list[int] | None:
    first = session.execute(text(
        "SELECT tsvector_to_array(to_tsvector('claims_search', claims_fold(:word))), "
        "min(id), max(id) FROM claims"), {"word": word}).one()
    lexemes, lowest, highest = first
    if len(lexemes) != 1 or lowest is None:
        return None
    lexeme = lexemes[0]
    others = _keyed(session, [lexeme + SEPARATOR + "*"])
    plain: list[int] = []
    bucket, last, width = lowest >> BUCKET_BITS, highest >> BUCKET_BITS, 1
    while bucket <= last and len(plain) < k:
        keys = [f"{lexeme}{SEPARATOR}{b}" for b in range(bucket, min(bucket + width, last + 1))]
        plain += sorted(_keyed(session, keys))
        bucket, width = bucket + width, width * 4
    return others + plain[:k]


def _keyed(session: Reader, keys: list[str]) -> list[int]:
    # No ORDER BY: the planner then has no reason to walk the primary key instead.
    rows = session.execute(
        text("SELECT id FROM claims WHERE claims_search_keys(search_vector, id) && :keys")
        .bindparams(bindparam("keys", keys, type_=ARRAY(Text))),
    )
    return [row[0] for row in rows]
