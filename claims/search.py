"""Full-text search over claims, and finding claims that say (nearly) the same thing.

The index (revision 0002) differs by engine; this module hides the difference:

- SQLite: FTS5 table ``claims_fts`` (text, quote), ranked by ``bm25`` with the text column
  weighted ``TEXT_WEIGHT`` times the quote, snippets from ``snippet()``.
- PostgreSQL: ``claims.search_vector`` (text weighted A, quote B), ranked by ``ts_rank``
  with ``PG_RANK_WEIGHTS``, snippets from ``ts_headline``.

What users type is never handed to either engine's query language as is: ``query_terms``
splits it into words and quoted phrases, and each becomes a quoted phrase of the engine's
syntax, so ``US-Iran``, ``17%``, ``AND`` or a stray ``(`` are words, never syntax. Only
``raw=True`` passes an FTS5 expression through (translated for PostgreSQL by
``_RawTranslator``), and a malformed one is an ``InvalidError``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
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
from claims.query import ClaimFilter, Reader, Record, claim_records, same_text_claims
from claims.sorting import SortKey, order_by

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

CLAIMS = tables.claims

TEXT_WEIGHT = 10.0  # bm25 weight of the text column; the quote counts 1
PG_RANK_WEIGHTS = "{0, 0, 0.1, 1}"  # ts_rank weights for D, C, B (quote), A (text)
SNIPPET_TOKENS = 16
DEFAULT_MARKS = ("[", "]")
# token_set_ratio (0-100) at or above which an existing claim is "similar" to a new one.
SIMILAR_SCORE = 80.0
# Near-duplicate candidates come from the text's rare words: the ranking reads every claim
# holding any of them, so one common word ("Tehran" is in a tenth of the benchmark's
# million claims) would make it rank a hundred thousand rows. Rarity is probed for the
# longest words (short ones are seldom rare), each count stopping at RARITY_CAP claims;
# a text with no rare word looks for claims holding its two least common words together.
PROBED_WORDS = 8
CANDIDATE_WORDS = 4
RARITY_CAP = 5000
CANDIDATE_LIMIT = 50

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
    index = _index_for(session)
    match = index.raw_match(query) if raw else index.match(query_terms(query), "AND")
    if match is None:
        return []
    narrowing = claim_filter.where(session)
    sort = claim_filter.sort or SortKey.SCORE
    by_score = sort == SortKey.SCORE
    ranked = (
        # Sorting by a claim's column needs ``claims`` joined.
        index.matching(match, with_claims=bool(narrowing) or not by_score)  # type: ignore[arg-type]
        .add_columns(index.score(match), index.snippet(match, marks).label("snippet"))  # type: ignore[arg-type]
        .where(*narrowing)
    )
    if by_score and not claim_filter.reverse:
        ranked = ranked.order_by(literal_column("score").desc(), literal_column("id"))
    else:
        ranked = ranked.order_by(*order_by(sort, claim_filter.reverse,
                                           score=literal_column("score")))
    if claim_filter.offset:
        ranked = ranked.offset(claim_filter.offset)
    if claim_filter.limit is not None:
        ranked = ranked.limit(claim_filter.limit)
    rows = _run_checked(session, ranked) if raw else session.execute(ranked).all()
    records = claim_records(session, [row.id for row in rows])
    for record, row in zip(records, rows, strict=True):
        record["score"] = round(float(row.score), 6)
        record["snippet"] = row.snippet
    return records


def count_matches(session: Reader, query: str, claim_filter: ClaimFilter | None = None,
                  *, raw: bool = False) -> int:
    """How many claims ``search_claims`` would find with no limit (for "20 of 32 shown")."""
    claim_filter = claim_filter or ClaimFilter()
    index = _index_for(session)
    match = index.raw_match(query) if raw else index.match(query_terms(query), "AND")
    if match is None:
        return 0
    narrowing = claim_filter.where(session)
    ids = index.matching(match, with_claims=bool(narrowing)).where(*narrowing)  # type: ignore[arg-type]
    counted = select(func.count()).select_from(ids.subquery())
    rows = _run_checked(session, counted) if raw else session.execute(counted).all()
    return int(rows[0][0])


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


def _index_for(session: Reader) -> _SqliteIndex | _PostgresIndex:
    dialect = session.dialect if isinstance(session, Connection) else session.get_bind().dialect
    if dialect.name == "sqlite":
        return _SqliteIndex()
    return _PostgresIndex()


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
    Candidates come from the index (any of the longest words), so this stays fast however
    many claims there are; a text with no words at all is compared by exact equality."""
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


def candidate_words(session: Reader, key: str, *, cap: int = RARITY_CAP) -> tuple[list[str], str]:
    """The words of a normalised text that near-duplicates are looked up by, and how they
    combine: up to CANDIDATE_WORDS of its longest words that fewer than ``cap`` claims
    hold, any of them ("OR"); else its two least common words together ("AND"). Words no
    claim holds are no use and left out."""
    index = _index_for(session)
    longest = sorted(set(key.split()), key=lambda w: (-len(w), w))[:PROBED_WORDS]
    held: dict[str, int] = {}
    for word in longest:
        match = index.match([word], "AND")
        capped = index.matching(match, with_claims=False).limit(cap).subquery()  # type: ignore[arg-type]
        held[word] = session.scalar(select(func.count()).select_from(capped)) or 0
    present = sorted((w for w in longest if held[w]), key=lambda w: (held[w], -len(w), w))
    rare = [word for word in present if held[word] < cap]
    if rare:
        return rare[:CANDIDATE_WORDS], "OR"
    return present[:2], "AND"


def _candidates(session: Session, key: str) -> list[tuple[int, str, int]]:
    """``(id, normalised text, source id)`` of the claims with this very normalised text
    (by ``text_hash``, however many others share its words), then of the best-ranked
    claims sharing any of its rarest words."""
    rows = {
        claim_id: (claim_id, same_key, source_id)
        for claim_id, source_id, same_key in same_text_claims(session, [key])
    }
    index = _index_for(session)
    words, operator = candidate_words(session, key)
    if words:
        match = index.match(words, operator)
        assert match is not None
        ranked = (
            index.matching(match, with_claims=False)  # type: ignore[arg-type]
            .add_columns(index.score(match))  # type: ignore[arg-type]
            .order_by(literal_column("score").desc(), literal_column("id"))
            .limit(CANDIDATE_LIMIT)
        )
        best = [row.id for row in session.execute(ranked) if row.id not in rows]
        texts = session.execute(select(CLAIMS.c.id, CLAIMS.c.text, CLAIMS.c.source_id)
                                .where(CLAIMS.c.id.in_(best))).all()
        for claim_id, text, source_id in texts:
            rows[claim_id] = (claim_id, normalise_text(text), source_id)
    return list(rows.values())
