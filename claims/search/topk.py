"""The first page of a one-word search on PostgreSQL without ranking every match.

Ranking ten thousand matches to show fifty was most of a common word's search time: on
PostgreSQL every match's row had to be read for ``ts_rank``. For a query of one word the
score splits the matches in two:

- *plain* matches hold the word exactly once, in the text (weight A). ``ts_rank`` with
  normalization 0, as ``claims.schema.fulltext`` uses it, does not look at a claim's length:
  it depends only on the weights and order of the word's positions. So every plain match
  gets one and the same score, and the full ranking orders them by id.
- *other* matches hold it more than once, or in the quote; their scores can be anything.

**The argument.** Let k = offset + limit. Take as candidates every other match and the k
lowest ids among the plain matches. A match outside the candidates is plain, and k plain
matches with lower ids tie with it and so come before it in the full ranking: it is not on
the page. Ranking the candidates alone with the very same expressions (``ts_rank``,
``ts_headline``, score then id) therefore gives the same page in the same order with the
same scores and snippets.

Revision 0014 makes both sets an index lookup: a GIN index on
``claims_search_keys(search_vector, id)``, whose key for a word is ``word<US>*`` in the
other claims and ``word<US>bucket`` in the plain ones, bucket = id >> 14 (16,384 ids).
Buckets are read from the lowest, four times as many each time (at most
``MOST_BUCKETS``), until k plain ids are found: a word in 1% of a million claims needs one
bucket of ~160 claims where ranking read 10,000 rows. The keys are computed from the
stored vector, so they follow every write.

Only a single ASCII word of letters and digits, sorted by score with no filter, a page
ending within ``MOST`` and a word held otherwise by at most ``MOST_OTHERS`` claims take
this path; phrases, several words, other scripts, the word forms of revision 0008 and
other orders are ranked in full as before. The lookups and the ranking are separate
statements: a claim written by another connection between them may be missed or counted,
as with the exact-then-forms pair of queries in ``claims.search.ranking``.

SQLite ranks in full. FTS5's ``bm25`` divides by the claim's token count, so plain matches
are ordered by length, and no index of FTS5 lists a word's claims by length: reading each
match's count from ``claims_fts_docsize`` costs about as much as ``bm25`` itself (at a
million claims, 7 ms for the 10,000 lookups of a 1% word, 13 ms with sorting them, against
17-20 ms for ranking). A list by length per word would be a second inverted index, kept by
hand in triggers; see the docs' "Performance" page.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Integer, Text, any_, bindparam, text

from claims.schema.fulltext import Index, _PostgresIndex
from claims.schema.sql import Reader

MOST = 1_000  # offset + limit above this is ranked in full
MOST_OTHERS = 2_000  # a word held otherwise by more claims is ranked in full
# Buckets per read at most: beyond ~16 the planner expects enough rows to start parallel
# workers, which costs more (~14 ms) than reading the buckets takes.
MOST_BUCKETS = 16
BUCKET_BITS = 14  # as revision 0014
SEPARATOR = "\x1f"  # as revision 0014
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
    from sqlalchemy.dialects.postgresql import ARRAY  # only here: 45 ms to import

    return index.id_column() == any_(bindparam("candidate_ids", ids, type_=ARRAY(Integer)))


# --- PostgreSQL ---------------------------------------------------------------------------


def _postgres_candidates(session: Reader, word: str, k: int) -> list[int] | None:
    # One round trip for the word's lexemes, the id range, the other claims and the plain
    # ones of the first bucket. The lexeme is taken to be the word in lower case and checked.
    first = session.execute(text(
        "SELECT tsvector_to_array(to_tsvector('claims_search', claims_fold(:word))), "
        "lowest, highest, "
        f"ARRAY({_KEYED} && ARRAY[CAST(:word AS text) || chr(31) || '*'] LIMIT :most), "
        f"ARRAY({_KEYED} && ARRAY[CAST(:word AS text) || chr(31) || (lowest >> {BUCKET_BITS})]) "
        "FROM (SELECT min(id) AS lowest, max(id) AS highest FROM claims) AS ids"),
        {"word": word, "most": MOST_OTHERS + 1}).one()
    lexemes, lowest, highest, others, plain = first
    if lexemes != [word] or lowest is None or len(others) > MOST_OTHERS:
        return None  # not one lexeme; no claims; or too many others, all to be ranked
    plain = sorted(plain)
    bucket, last, width = (lowest >> BUCKET_BITS) + 1, highest >> BUCKET_BITS, 4
    while bucket <= last and len(plain) < k:
        keys = [f"{word}{SEPARATOR}{b}" for b in range(bucket, min(bucket + width, last + 1))]
        plain += sorted(_keyed(session, keys))
        bucket, width = bucket + width, min(width * 4, MOST_BUCKETS)
    return list(others) + plain[:k]


_KEYED = "SELECT id FROM claims WHERE claims_search_keys(search_vector, id)"


def _keyed(session: Reader, keys: list[str]) -> list[int]:
    # No ORDER BY: the planner then has no reason to walk the primary key instead.
    from sqlalchemy.dialects.postgresql import ARRAY

    rows = session.execute(text(f"{_KEYED} && :keys").bindparams(
        bindparam("keys", keys, type_=ARRAY(Text))))
    return [row[0] for row in rows]
