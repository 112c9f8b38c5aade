"""Known names found in text: every entity name and alias of the database, in any script.

Text is cut into word tokens and every run of up to ``longest`` tokens is looked up by
``claims.names.name_key``, the key the database stores, so case and compatibility forms
are folded exactly as ``claims add`` folds them. A possessive ("Netanyahu’s") matches its
name. A lower-case word never matches a name written with capitals, so the alias "US"
does not turn up in "told us".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from claims.names import name_key

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

TOKEN = re.compile(r"\w+(?:[.'’\-–\u200c]\w+)*[.+]?")
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
MAX_NAME_TOKENS = 8


@dataclass(frozen=True)
class Entry:
    name: str  # the entity's own name, however it was written in the text
    kind: str  # person, organization, country ... (claims.vocab.EntityKind values)
    cased: bool  # the stored spelling holds a capital letter


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    entry: Entry
    possessive: bool


class Lexicon:
    """Name keys of known entities, looked up in text."""

    def __init__(self, names: Iterable[tuple[str, str, str]] = ()) -> None:
        """``names``: (name or alias as written, the entity's name, its kind) triples."""
        self.entries: dict[str, Entry] = {}
        # First word of every name -> the lengths (in words) of the names it starts, so
        # that most words of a text cost one dictionary lookup.
        self.starts: dict[str, set[int]] = {}
        for written, canonical, kind in names:
            self.add(written, canonical, kind)

    def add(self, written: str, canonical: str, kind: str) -> None:
        key = name_key(written)
        if not key:
            return
        cased = any(ch.isupper() for ch in written)
        self.entries[key] = Entry(canonical, kind, cased)
        words = key.split()
        if len(words) <= MAX_NAME_TOKENS:
            self.starts.setdefault(_word_key(words[0]), set()).add(len(words))

    @classmethod
    def from_database(cls, reader: Session | Connection) -> Lexicon:
        """Every name and alias the database holds (one read)."""
        from sqlalchemy import select

        from claims.schema.tables import entities, entity_names

        rows = reader.execute(
            select(entity_names.c.name, entities.c.name, entities.c.kind)
            .join(entities, entities.c.id == entity_names.c.entity_id)
        ).all()
        return cls((written, name, kind) for written, name, kind in rows)

    def lookup(self, phrase: str) -> Entry | None:
        key = name_key(_POSSESSIVE.sub("", phrase.strip().rstrip(".,;:")))
        return self.entries.get(key) or self.entries.get(name_key(phrase))

    def mentions(self, text: str, start: int = 0, end: int | None = None) -> list[Mention]:
        """Known names in ``text[start:end]``, longest match first, left to right."""
        tokens = list(TOKEN.finditer(text, start, len(text) if end is None else end))
        found: list[Mention] = []
        i = 0
        while i < len(tokens):
            match = self._longest_at(text, tokens, i)
            if match is None:
                i += 1
                continue
            found.append(match[0])
            i = match[1]
        return found

    def _longest_at(self, text: str, tokens: list[re.Match[str]],
                    i: int) -> tuple[Mention, int] | None:
        sizes = self.starts.get(_word_key(tokens[i].group()))
        if not sizes:
            return None
        for size in sorted((n for n in sizes if i + n <= len(tokens)), reverse=True):
            first, last = tokens[i], tokens[i + size - 1]
            surface = text[first.start():last.end()]
            if "\n" in surface:
                continue
            for candidate in _spellings(surface):
                entry = self.entries.get(name_key(candidate))
                if entry is None or (entry.cased and surface.islower()):
                    continue
                possessive = bool(_POSSESSIVE.search(surface.rstrip(".")))
                end = first.start() + len(candidate)
                return Mention(first.start(), end, entry, possessive), i + size
        return None


def _word_key(word: str) -> str:
    return name_key(_POSSESSIVE.sub("", word.rstrip(".")) or word)


def _spellings(surface: str) -> list[str]:
    """The surface as written, then without a final stop and without a possessive."""
    forms = [surface]
    if surface.endswith("."):
        forms.append(surface[:-1])
    bare = _POSSESSIVE.sub("", forms[-1])
    if bare != forms[-1] and bare:
        forms.append(bare)
    return forms
