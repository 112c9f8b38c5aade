"""Chinese, Japanese and Korean found by their characters.

These scripts write no spaces between words, so both engines' word splitters take a whole
run of characters for one word: 伊朗核计划 ("Iran's nuclear programme") is one token, and a
search for 核计划 or 伊朗 would find nothing. Each engine is taught differently:

- PostgreSQL (revision 0011): ``claims_fold()`` puts a space around every such character, so
  the index holds one token per character with its position, and a query (folded the same
  way) becomes a phrase of characters: 核计划 is '核' <-> '计' <-> '划', found wherever those
  characters stand together.
- SQLite: the FTS5 tokenizer cannot be changed without code of our own inside SQLite, so the
  query goes to the index's vocabulary instead (an ``fts5vocab`` table in the connection's
  ``temp`` schema, nothing stored): the indexed tokens that contain the characters typed,
  OR-ed together. Tokens are looked for among those that begin with one of these scripts,
  which is where such a run starts unless digits or Latin letters are glued to it.

A quoted phrase keeps its words in order except across such characters, which each
engine matches as above.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import text

# Han (with radicals, extensions A and B-F, compatibility ideographs), kana, bopomofo, Hangul;
# revision 0011 writes the same ranges as a PostgreSQL character class.
CJK_RANGES = ((0x2E80, 0x2FDF), (0x3040, 0x30FF), (0x3100, 0x312F), (0x3190, 0x31FF),
              (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF),
              (0x20000, 0x2FA1F))
_TOKEN = re.compile(r"[^\W_]+")
FIRST_CJK = "\u2e80"  # tokens of these scripts sort from here on
MAX_TOKENS = 500  # a character in more distinct tokens than this finds the first ones only


def has_cjk(term: str) -> bool:
    # A loop, not a compiled pattern: compiling these ranges costs every search ~8 ms.
    return any(low <= ord(ch) <= high for ch in term if ord(ch) >= 0x2E80
               for low, high in CJK_RANGES)


def sqlite_match(session: Any, fts_table: str, term: str) -> str:
    """The FTS5 expression for a term holding CJK characters: each of its words that holds
    them as the OR of the indexed tokens containing it, the others as phrases, all AND-ed.
    A word in no token stays a phrase of itself, which finds nothing, as before."""
    parts = []
    for word in _TOKEN.findall(term.casefold()):
        if not has_cjk(word):
            parts.append('"' + word + '"')
            continue
        tokens = _tokens_containing(session, fts_table, word) or [word]
        parts.append("(" + " OR ".join('"' + t.replace('"', '""') + '"' for t in tokens) + ")")
    return "(" + " AND ".join(parts) + ")" if parts else '""'


def _tokens_containing(session: Any, fts_table: str, word: str) -> list[str]:
    vocab = f"{fts_table}_terms"
    # A per-connection table over the index's own vocabulary: temp, so nothing is written
    # to the database file, and created once per connection.
    session.execute(text(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{vocab} "
                         f"USING fts5vocab(main, {fts_table}, row)"))
    rows = session.execute(
        text(f"SELECT term FROM temp.{vocab} WHERE term >= :first AND instr(term, :word) > 0 "
             "LIMIT :most"),
        {"first": FIRST_CJK, "word": word, "most": MAX_TOKENS})
    return [row[0] for row in rows]
