"""The full-text index over claims (revision 0002), whatever the engine:

- SQLite: FTS5 table ``claims_fts`` (text, quote), ranked by ``bm25`` with the text column
  weighted ``TEXT_WEIGHT`` times the quote, snippets from ``snippet()``.
- PostgreSQL: ``claims.search_vector`` (text weighted A, quote B), ranked by ``ts_rank``
  with ``PG_RANK_WEIGHTS``, snippets from ``ts_headline``.

Word forms (revision 0008): a second, stemmed index beside each (``claims_fts_stem``;
``claims.search_vector_stem``), ``index_for(..., forms=True)``.

What users type is never handed to either engine's query language as is: ``query_terms``
splits it into words and quoted phrases, and each becomes a quoted phrase of the engine's
syntax, so ``US-Iran``, ``17%``, ``AND`` or a stray ``(`` are words, never syntax. Only
``raw=True`` passes an FTS5 expression through (translated for PostgreSQL by
``_RawTranslator``), and a malformed one is an ``InvalidError``.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import (
    ColumnClause,
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

from claims.errors import InvalidError
from claims.schema import tables
from claims.schema.cjk import has_cjk, sqlite_match
from claims.schema.sql import Reader

CLAIMS = tables.claims

TEXT_WEIGHT = 10.0  # bm25 weight of the text column; the quote counts 1
PG_RANK_WEIGHTS = "{0, 0, 0.1, 1}"  # ts_rank weights for D, C, B (quote), A (text)
SNIPPET_TOKENS = 16
DEFAULT_MARKS = ("[", "]")

# What an index's ``match`` gives and its other methods take: FTS5 query text on SQLite, a
# tsquery expression on PostgreSQL. Both index classes accept either, so code holding an
# ``Index`` (one or the other) can hand one's match back to it.
Match = str | ColumnElement[Any]

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



def run_checked(session: Reader, query: Select[Any]) -> list[Any]:
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
    name = "claims_fts"
    fts: ColumnClause[Any] = literal_column("claims_fts")
    fts_table = table("claims_fts", column("rowid"))

    def __init__(self, session: Reader) -> None:
        self.session = session

    def match(self, terms: list[str], operator: str) -> str | None:
        return f" {operator} ".join(
            sqlite_match(self.session, self.name, t) if has_cjk(t) else fts5_phrase(t)
            for t in terms) or None

    def raw_match(self, query: str) -> str | None:
        return query if query.strip() else None

    def matching(self, match: Match, *, with_claims: bool = True) -> Select[Any]:
        """Ids (``id``) of the claims matching. ``with_claims=False`` leaves ``claims`` out
        of the query, for callers with nothing to filter on: ranking then reads the index
        alone, and only the rows kept are read from ``claims`` afterwards (at a million
        claims, joining ten thousand matches before ranking tripled a search's time)."""
        ids = select(self.fts_table.c.rowid.label("id")).where(self.fts.op("MATCH")(match))
        if with_claims:
            ids = ids.join(CLAIMS, CLAIMS.c.id == self.fts_table.c.rowid)
        return ids

    def id_column(self) -> ColumnElement[int]:
        return self.fts_table.c.rowid

    def score(self, match: Match) -> ColumnElement[Any]:
        return (-func.bm25(self.fts, TEXT_WEIGHT, 1.0)).label("score")

    def snippet(self, match: Match, marks: tuple[str, str]) -> ColumnElement[Any]:
        return func.snippet(self.fts, -1, marks[0], marks[1], "…", SNIPPET_TOKENS)


class _PostgresIndex:
    vector: ColumnClause[Any] = literal_column("claims.search_vector")
    config: ColumnClause[Any] = literal_column("'claims_search'::regconfig")

    def match(self, terms: list[str], operator: str) -> ColumnElement[Any] | None:
        if not terms:
            return None
        joiner = "&&" if operator == "AND" else "||"
        parts = [func.phraseto_tsquery(self.config, func.claims_fold(t)) for t in terms]
        combined: ColumnElement[Any] = parts[0]
        for part in parts[1:]:
            combined = combined.op(joiner)(part)
        return combined

    def raw_match(self, query: str) -> ColumnElement[Any] | None:
        return _RawTranslator(query).translate()

    def matching(self, match: Match, *, with_claims: bool = True) -> Select[Any]:
        # The index is a column of claims here: there is no cheaper query without it.
        return select(CLAIMS.c.id).where(self.vector.op("@@")(match))

    def id_column(self) -> ColumnElement[int]:
        return CLAIMS.c.id

    def score(self, match: Match) -> ColumnElement[Any]:
        weights: ColumnClause[Any] = literal_column(f"'{PG_RANK_WEIGHTS}'::float4[]")
        return func.ts_rank(weights, self.vector, match).label("score")

    def snippet(self, match: Match, marks: tuple[str, str]) -> ColumnElement[Any]:
        options = (
            f'StartSel="{marks[0]}", StopSel="{marks[1]}", MaxFragments=2, '
            f'FragmentDelimiter=" … ", MaxWords={SNIPPET_TOKENS}, MinWords=5'
        )
        shown = func.concat_ws(" — ", CLAIMS.c.text, CLAIMS.c.quote)
        return func.ts_headline(self.config, shown, match, options)


class _SqliteFormsIndex(_SqliteIndex):
    """Word forms (revision 0008): the Porter-stemmed ``claims_fts_stem``."""

    name = "claims_fts_stem"
    fts: ColumnClause[Any] = literal_column("claims_fts_stem")
    fts_table = table("claims_fts_stem", column("rowid"))


class _PostgresFormsIndex(_PostgresIndex):
    """Word forms (revision 0008): ``claims.search_vector_stem``, Snowball English stems."""

    vector: ColumnClause[Any] = literal_column("claims.search_vector_stem")
    config: ColumnClause[Any] = literal_column("'claims_search_stem'::regconfig")


Index = _SqliteIndex | _PostgresIndex


def index_for(session: Reader, *, forms: bool = False) -> Index:
    """The exact index, or with ``forms`` the one that finds other forms of a word too."""
    dialect = session.dialect if isinstance(session, Connection) else session.get_bind().dialect
    if dialect.name == "sqlite":
        return _SqliteFormsIndex(session) if forms else _SqliteIndex(session)
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
