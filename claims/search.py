"""Full-text search over claims, and finding claims that say (nearly) the same thing.

The index (revision 0002) differs by engine; this module hides the difference:

- SQLite: FTS5 table ``claims_fts`` (text, quote), ranked by ``bm25`` with the text column
  weighted ``TEXT_WEIGHT`` times the quote, snippets from ``snippet()``.
- PostgreSQL: ``claims.search_vector`` (text weighted A, quote B), ranked by ``ts_rank``
  with ``PG_RANK_WEIGHTS``, snippets from ``ts_headline``.

Word forms (revision 0008): a second, stemmed index beside each (``claims_fts_stem``;
``claims.search_vector_stem``). A search reads the exact index first and the stemmed one
only to fill the page with claims holding other forms of the words (``_exact_then_forms``).

What users type is never handed to either engine's query language as is: ``query_terms``
splits it into words and quoted phrases, and each becomes a quoted phrase of the engine's
syntax, so ``US-Iran``, ``17%``, ``AND`` or a stray ``(`` are words, never syntax. Only
``raw=True`` passes an FTS5 expression through (translated for PostgreSQL by
``_RawTranslator``), and a malformed one is an ``InvalidError``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import combinations
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    column,
    func,
    literal_column,
    select,
    table,
)
from sqlalchemy.exc import DBAPIError

from claims import tables
from claims.errors import ConflictError, InvalidError
from claims.parse import normalise_text
from claims.query import ClaimFilter, Reader, Record, chunks, claim_records, same_text_claims

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

CLAIMS = tables.claims

TEXT_WEIGHT = 10.0  # bm25 weight of the text column; the quote counts 1
PG_RANK_WEIGHTS = "{0, 0, 0.1, 1}"  # ts_rank weights for D, C, B (quote), A (text)
SNIPPET_TOKENS = 16
DEFAULT_MARKS = ("[", "]")
# token_set_ratio (0-100) at or above which an existing claim is "similar" to a new one.
SIMILAR_SCORE = 80.0
# Near-duplicate candidates come from the words a text shares with stored claims, and the
# rule is the same from either end, so a pair is found from both of its claims: B is a
# candidate of A when they share a *rare* word (fewer than RARITY_CAP stored claims hold
# it, a property of the word, not of A or B), or two common words that fewer than
# RARITY_CAP claims hold together. Each count stops at the cap, so a common word costs
# little to probe, and every candidate set is bounded by the cap per rare word or pair.
# Pairs are formed among at most PAIRED_WORDS common words, the least common first.
RARITY_CAP = 300
PAIRED_WORDS = 6

_PHRASE_OR_WORD = re.compile(r'"([^"]*)"|(\S+)')


# --- what the user typed ------------------------------------------------------------------


def query_terms(query: str) -> list[str]:
    """Words and "quoted phrases" of a query; stray quotes ignored, punctuation-only dropped."""
    if query.count('"') % 2:
        query = query.replace('"', " ")
    terms = [
        phrase if phrase is not None and word is None else word
        for phrase, word in (m.groups() for m in _PHRASE_OR_WORD.finditer(query))
    ]
    return [" ".join(t.split()) for t in terms if t and _has_word(t)]


def _has_word(term: str) -> bool:
    return any(ch.isalnum() for ch in term)


def fts5_phrase(term: str) -> str:
    """An FTS5 string: whatever is inside is tokenized as text, never parsed as syntax."""
    return '"' + term.replace('"', '""') + '"'


# --- searching ----------------------------------------------------------------------------


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
    if raw:
        index = _index_for(session)
        match = index.raw_match(query)
        if match is None:
            return []
        rows = _run_checked(session, _ranked(session, index, match, claim_filter, marks,  # type: ignore[arg-type]
                                             claim_filter.offset, claim_filter.limit))
    else:
        rows = _exact_then_forms(session, query_terms(query), claim_filter, marks)
    records = claim_records(session, [row.id for row in rows])
    for record, row in zip(records, rows, strict=True):
        record["score"] = round(float(row.score), 6)
        record["snippet"] = row.snippet
    return records


def _ranked(
    session: Reader, index: _SqliteIndex | _PostgresIndex, match: Any, claim_filter: ClaimFilter,
    marks: tuple[str, str], offset: int | None, limit: int | None, *,
    excluding: Select[Any] | None = None,
) -> Select[Any]:
    """``id``, ``score`` and ``snippet`` of the claims ``match`` finds in ``index`` that pass
    the filter (and are not among ``excluding``), best first, ``offset`` and ``limit`` applied."""
    narrowing = claim_filter.where(session)
    ranked = (
        index.matching(match, with_claims=bool(narrowing))
        .add_columns(index.score(match), index.snippet(match, marks).label("snippet"))
        .where(*narrowing)
        .order_by(literal_column("score").desc(), literal_column("id"))
    )
    if excluding is not None:
        ranked = ranked.where(index.id_column().not_in(excluding))
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
    exact, forms = _index_for(session), _index_for(session, forms=True)
    exact_match, forms_match = exact.match(terms, "AND"), forms.match(terms, "AND")
    if exact_match is None or forms_match is None:
        return []
    offset, limit = claim_filter.offset or 0, claim_filter.limit
    rows = list(session.execute(
        _ranked(session, exact, exact_match, claim_filter, marks, offset, limit)))  # type: ignore[arg-type]
    if limit is not None and len(rows) == limit:
        return rows
    exact_ids = exact.matching(exact_match, with_claims=False).correlate(None)  # type: ignore[arg-type]
    if rows or not offset:
        exact_count = offset + len(rows)
    else:  # the offset passed every exact match: how many were there?
        filtered = _ranked(session, exact, exact_match, claim_filter, marks, None, None)  # type: ignore[arg-type]
        exact_count = session.scalar(select(func.count()).select_from(filtered.subquery())) or 0
    more = _ranked(session, forms, forms_match, claim_filter, marks,  # type: ignore[arg-type]
                   max(0, offset - exact_count), None if limit is None else limit - len(rows),
                   excluding=exact_ids)
    return rows + list(session.execute(more))


def _run_checked(session: Reader, query: Select[Any]) -> list[Any]:
    """Run a user-written expression; the engine's complaint becomes one InvalidError."""
    try:
        with session.begin_nested():
            return list(session.execute(query).all())
    except DBAPIError as exc:
        detail = str(exc.orig).strip().splitlines()[0] if exc.orig else "syntax error"
        detail = detail.removeprefix("fts5: ").replace('near ""', "at the end")
        raise InvalidError(
            f"malformed search expression: {detail}",
            "check the FTS5 syntax, or search without --raw",
        ) from None


class _SqliteIndex:
    fts = literal_column("claims_fts")
    fts_table = table("claims_fts", column("rowid"))

    def match(self, terms: list[str], operator: str) -> str | None:
        return f" {operator} ".join(map(fts5_phrase, terms)) or None

    def raw_match(self, query: str) -> str | None:
        return query if query.strip() else None

    def matching(self, match: str, *, with_claims: bool = True) -> Select[Any]:
        """Ids (``id``) of the claims matching. ``with_claims=False`` leaves ``claims`` out
        of the query, for callers with nothing to filter on: ranking then reads the index
        alone, and only the rows kept are read from ``claims`` afterwards (at a million
        claims, joining ten thousand matches before ranking tripled a search's time)."""
        ids = select(self.fts_table.c.rowid.label("id")).where(self.fts.op("MATCH")(match))
        if with_claims:
            ids = ids.join(CLAIMS, CLAIMS.c.id == self.fts_table.c.rowid)
        return ids

    def id_column(self) -> ColumnElement[int]:
        return self.fts_table.c.rowid  # type: ignore[no-any-return]

    def score(self, match: str) -> ColumnElement[Any]:
        return (-func.bm25(self.fts, TEXT_WEIGHT, 1.0)).label("score")

    def snippet(self, match: str, marks: tuple[str, str]) -> ColumnElement[Any]:
        return func.snippet(self.fts, -1, marks[0], marks[1], "…", SNIPPET_TOKENS)


class _PostgresIndex:
    vector = literal_column("claims.search_vector")
    config = literal_column("'claims_search'::regconfig")

    def match(self, terms: list[str], operator: str) -> ColumnElement[Any] | None:
        if not terms:
            return None
        joiner = "&&" if operator == "AND" else "||"
        parts = [func.phraseto_tsquery(self.config, func.claims_fold(t)) for t in terms]
        combined = parts[0]
        for part in parts[1:]:
            combined = combined.op(joiner)(part)
        return combined

    def raw_match(self, query: str) -> ColumnElement[Any] | None:
        return _RawTranslator(query).translate()

    def matching(self, match: ColumnElement[Any], *, with_claims: bool = True) -> Select[Any]:
        # The index is a column of claims here: there is no cheaper query without it.
        return select(CLAIMS.c.id).where(self.vector.op("@@")(match))

    def id_column(self) -> ColumnElement[int]:
        return CLAIMS.c.id

    def score(self, match: ColumnElement[Any]) -> ColumnElement[Any]:
        weights = literal_column(f"'{PG_RANK_WEIGHTS}'::float4[]")
        return func.ts_rank(weights, self.vector, match).label("score")

    def snippet(self, match: ColumnElement[Any], marks: tuple[str, str]) -> ColumnElement[Any]:
        options = (
            f'StartSel="{marks[0]}", StopSel="{marks[1]}", MaxFragments=2, '
            f'FragmentDelimiter=" … ", MaxWords={SNIPPET_TOKENS}, MinWords=5'
        )
        shown = func.concat_ws(" — ", CLAIMS.c.text, CLAIMS.c.quote)
        return func.ts_headline(self.config, shown, match, options)


class _SqliteFormsIndex(_SqliteIndex):
    """Word forms (revision 0008): the Porter-stemmed ``claims_fts_stem``."""

    fts = literal_column("claims_fts_stem")
    fts_table = table("claims_fts_stem", column("rowid"))


class _PostgresFormsIndex(_PostgresIndex):
    """Word forms (revision 0008): ``claims.search_vector_stem``, Snowball English stems."""

    vector = literal_column("claims.search_vector_stem")
    config = literal_column("'claims_search_stem'::regconfig")


def _index_for(
    session: Reader, *, forms: bool = False
) -> _SqliteIndex | _PostgresIndex:
    """The exact index, or with ``forms`` the one that finds other forms of a word too."""
    dialect = session.dialect if isinstance(session, Connection) else session.get_bind().dialect
    if dialect.name == "sqlite":
        return _SqliteFormsIndex() if forms else _SqliteIndex()
    return _PostgresFormsIndex() if forms else _PostgresIndex()


class _RawTranslator:
    """The FTS5 query syntax (phrases, prefix*, AND/OR/NOT, parentheses, NEAR(...), which is
    read as AND) as a PostgreSQL tsquery expression. Column filters and ^ are not supported.
    Each word or phrase is folded like the index (claims_fold) on its own."""

    config = _PostgresIndex.config

    _TOKEN = re.compile(r'\s*(?:"((?:[^"]|"")*)"|(\()|(\))|(,\s*\d+)|([^\s()",]+))')

    def __init__(self, query: str) -> None:
        self.tokens = self._lex(query)
        self.pos = 0

    def _lex(self, query: str) -> list[tuple[str, str]]:
        tokens: list[tuple[str, str]] = []
        pos = 0
        query = query.rstrip()
        while pos < len(query):
            found = self._TOKEN.match(query, pos)
            if found is None or found.end() == pos:
                raise self._error(f"unexpected {query[pos:].strip()[:1]!r}")
            phrase, opening, closing, distance, word = found.groups()
            if phrase is not None:
                tokens.append(("phrase", phrase.replace('""', '"')))
            elif opening or closing:
                tokens.append(("paren", opening or closing))
            elif word is not None:
                tokens.append(("word", word))
            elif distance is None:
                raise self._error("unexpected ','")
            pos = found.end()
        return tokens

    def translate(self) -> ColumnElement[Any] | None:
        if not self.tokens:
            return None
        expression = self._or()
        if self.pos < len(self.tokens):
            raise self._error(f"unexpected {self.tokens[self.pos][1]!r}")
        return expression

    def _or(self) -> ColumnElement[Any]:
        expression = self._and()
        while self._peek_word("OR"):
            self.pos += 1
            expression = func.tsquery_or(expression, self._and())
        return expression

    def _and(self) -> ColumnElement[Any]:
        expression = self._operand()
        while self.pos < len(self.tokens) and not self._peek_word("OR") and not self._closing():
            if self._peek_word("NOT"):
                self.pos += 1
                expression = func.tsquery_and(expression, func.tsquery_not(self._operand()))
                continue
            if self._peek_word("AND"):
                self.pos += 1
            expression = func.tsquery_and(expression, self._operand())
        return expression

    def _operand(self) -> ColumnElement[Any]:
        if self.pos >= len(self.tokens):
            raise self._error("the expression ends where a word was expected")
        kind, value = self.tokens[self.pos]
        self.pos += 1
        if kind == "paren" and value == "(":
            return self._group()
        if kind == "phrase":
            return self._lexeme(value)
        if kind == "word" and value not in ("AND", "OR", "NOT") and value != ")":
            if value == "NEAR" and self._peek_paren("("):
                self.pos += 1
                return self._group()
            if value.endswith("*"):
                return self._prefix(value.rstrip("*"))
            return self._lexeme(value)
        raise self._error(f"unexpected {value!r}")

    def _group(self) -> ColumnElement[Any]:
        inner = self._or()
        if not self._peek_paren(")"):
            raise self._error("a '(' is never closed")
        self.pos += 1
        return inner

    def _lexeme(self, value: str) -> ColumnElement[Any]:
        if not _has_word(value):
            raise self._error(f"{value!r} has no word in it")
        return func.phraseto_tsquery(self.config, func.claims_fold(value))

    def _prefix(self, value: str) -> ColumnElement[Any]:
        if not _has_word(value):
            raise self._error(f"{value!r} has no word in it")
        quoted = func.quote_literal(func.trim(func.claims_fold(value)))
        return func.to_tsquery(self.config, quoted.concat(":*"))

    def _peek_word(self, word: str) -> bool:
        return self.pos < len(self.tokens) and self.tokens[self.pos] == ("word", word)

    def _peek_paren(self, paren: str) -> bool:
        return self.pos < len(self.tokens) and self.tokens[self.pos] == ("paren", paren)

    def _closing(self) -> bool:
        return self._peek_paren(")")

    @staticmethod
    def _error(what: str) -> InvalidError:
        return InvalidError(
            f"malformed search expression: {what}", "check the FTS5 syntax, or search without --raw"
        )


# --- duplicates and near-duplicates -------------------------------------------------------


@dataclass(frozen=True)
class Similar:
    """An existing claim like a given text; ``score`` is rapidfuzz's token_set_ratio."""

    claim_id: int
    score: float
    same_text: bool
    source_id: int


@dataclass
class NewClaimCheck:
    """What ``check_new_claim`` found; ``warnings`` words it once the new claim has an id."""

    same_source: list[Similar] = field(default_factory=list)
    same_text: list[Similar] = field(default_factory=list)
    similar: list[Similar] = field(default_factory=list)

    def warnings(self, new_id: int) -> list[str]:
        lines = [
            f"claim {s.claim_id} from the same source already says this (added anyway)"
            for s in self.same_source
        ]
        lines += [
            f"claim {s.claim_id} says the same from another source; if it is the same "
            f"claim, run: claims link {new_id} repeats {s.claim_id}"
            for s in self.same_text
        ]
        if self.similar:
            shown = ", ".join(f"{s.claim_id} ({s.score:.0f})" for s in self.similar)
            lines.append(f"similar claims (id and score): {shown}; see 'claims similar {new_id}'")
        return lines


def check_new_claim(
    session: Session, text: str, source_id: int, *, force: bool = False
) -> NewClaimCheck:
    """Refuse ``text`` if its source already holds a claim with the same normalised text
    (unless ``force``); otherwise report same text elsewhere and similar claims."""
    found = similar_to_text(session, text)
    check = NewClaimCheck(
        same_source=[s for s in found if s.same_text and s.source_id == source_id],
        same_text=[s for s in found if s.same_text and s.source_id != source_id],
        similar=[s for s in found if not s.same_text],
    )
    if check.same_source and not force:
        first = check.same_source[0].claim_id
        source_key = session.scalar(
            select(tables.sources.c.key).where(tables.sources.c.id == source_id))
        raise ConflictError(
            f"claim {first} from source {source_key!r} already says this",
            "see 'claims show " + str(first) + "', or add it anyway with --force",
        )
    return check


def similar_claims(
    session: Session, claim_id: int, *, min_score: float = SIMILAR_SCORE
) -> list[Record]:
    """Claims like claim ``claim_id``, best first: claim records plus ``score``."""
    from claims.store import get_claim

    claim = get_claim(session, claim_id)
    found = similar_to_text(session, claim.text, exclude_id=claim.id, min_score=min_score)
    records = claim_records(session, [s.claim_id for s in found])
    for record, hit in zip(records, found, strict=True):
        record["score"] = round(hit.score, 1)
        record["same_text"] = hit.same_text
    return records


def similar_to_text(
    session: Session, text: str, *, exclude_id: int | None = None, min_score: float = SIMILAR_SCORE
) -> list[Similar]:
    """Stored claims whose text scores at least ``min_score`` against ``text``, best first.
    Candidates come from the index (claims sharing a rare word or a rare pair of words,
    the same rule from either end, so claim A finds B exactly when B finds A), so this
    stays fast however many claims there are."""
    from rapidfuzz import fuzz

    key = normalise_text(text)
    found = []
    for claim_id, candidate_key, source_id in _candidates(session, key):
        if claim_id == exclude_id:
            continue
        same = candidate_key == key
        score = 100.0 if same else fuzz.token_set_ratio(key, candidate_key)
        if same or score >= min_score:
            found.append(Similar(claim_id, float(score), same, source_id))
    return sorted(found, key=lambda s: (not s.same_text, -s.score, s.claim_id))


@dataclass(frozen=True)
class CandidateKeys:
    """What near-duplicates of a text are looked up by: its rare words, and the pairs of
    its common words that are rare together (see RARITY_CAP)."""

    words: list[str]
    pairs: list[tuple[str, str]]

    def __bool__(self) -> bool:
        return bool(self.words or self.pairs)


def candidate_words(session: Reader, key: str, *, cap: int | None = None) -> CandidateKeys:
    """The rare words and rare pairs of common words of a normalised text (``cap``:
    RARITY_CAP). Words no claim holds are no use and left out."""
    cap = RARITY_CAP if cap is None else cap
    index = _index_for(session)
    held = {word: _held(session, index, [word], cap) for word in sorted(set(key.split()))}
    rare = [word for word, count in held.items() if 0 < count < cap]
    common = sorted((w for w, count in held.items() if count >= cap),
                    key=lambda w: (held[w], w))[:PAIRED_WORDS]
    pairs = [pair for pair in combinations(sorted(common), 2)
             if _held(session, index, list(pair), cap) < cap]
    return CandidateKeys(rare, pairs)


def _held(session: Reader, index: _SqliteIndex | _PostgresIndex, words: list[str],
          cap: int) -> int:
    """How many claims hold all of ``words``, counting no further than ``cap``."""
    match = index.match(words, "AND")
    capped = index.matching(match, with_claims=False).limit(cap).subquery()  # type: ignore[arg-type]
    return session.scalar(select(func.count()).select_from(capped)) or 0


def _candidates(session: Session, key: str) -> list[tuple[int, str, int]]:
    """``(id, normalised text, source id)`` of the claims with this very normalised text
    (by ``text_hash``, however many others share its words), then of every claim holding
    one of its rare words or rare pairs (``candidate_words``)."""
    rows = {
        claim_id: (claim_id, same_key, source_id)
        for claim_id, source_id, same_key in same_text_claims(session, [key])
    }
    index = _index_for(session)
    keys = candidate_words(session, key)
    found: set[int] = set()
    for terms in [[word] for word in keys.words] + [list(pair) for pair in keys.pairs]:
        match = index.match(terms, "AND")
        found.update(session.scalars(index.matching(match, with_claims=False)))  # type: ignore[arg-type]
    wanted = sorted(found - set(rows))
    for chunk in chunks(wanted):
        texts = session.execute(select(CLAIMS.c.id, CLAIMS.c.text, CLAIMS.c.source_id)
                                .where(CLAIMS.c.id.in_(chunk)))
        for claim_id, text, source_id in texts:
            rows[claim_id] = (claim_id, normalise_text(text), source_id)
    return list(rows.values())
