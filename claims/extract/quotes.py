"""Direct quotations in the usual marks: “ ” ‘ ’ « » „ “ „ ” ‚ ‘ and straight " ".

Only outermost quotations are returned; a quotation inside another (‘no’ inside “...”)
is part of its text. An apostrophe (Iran’s, don’t) is never taken for a closing mark: a
single closing mark ends a quotation only when no letter follows it.
"""

from __future__ import annotations

from dataclasses import dataclass

# Opening mark -> the marks that may close it.
PAIRS: dict[str, str] = {
    "“": "”",
    "«": "»",
    "„": "“”",
    "‚": "‘’",
    '"': '"',
    "‘": "’",
}
OPENERS = frozenset(PAIRS)
CLOSERS = frozenset("”»“’‘\"")
_SINGLE = frozenset("‘‚")


@dataclass(frozen=True)
class Quote:
    """A quotation: ``start``/``end`` include its marks; ``text`` is what is inside."""

    start: int
    end: int
    text: str
    closed: bool

    @property
    def words(self) -> int:
        return len(self.text.split())


def find_quotes(text: str, start: int = 0, end: int | None = None) -> list[Quote]:
    """Outermost quotations in ``text[start:end]``; one left open runs to ``end`` (news
    style: a quoted paragraph that goes on in the next one has no closing mark)."""
    end = len(text) if end is None else end
    found: list[Quote] = []
    i = start
    while i < end:
        char = text[i]
        if char in OPENERS and _opens(text, i, start):
            close = _closing(text, i, end)
            stop = close + 1 if close is not None else end
            inner = text[i + 1:close if close is not None else end]
            if inner.strip():
                found.append(Quote(i, stop, inner.strip(), close is not None))
            i = stop
            continue
        i += 1
    return found


def _opens(text: str, i: int, start: int) -> bool:
    """An opening mark stands at the start or after a space or opening punctuation."""
    before = text[i - 1] if i > start else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if after.isspace() and text[i] != "«":
        return False
    return before.isspace() or before in "([{—–-:/" or (before in OPENERS and before != text[i])


def _closing(text: str, i: int, end: int) -> int | None:
    """Index of the mark closing the quotation opened at ``text[i]``, skipping nested ones
    and apostrophes."""
    opener = text[i]
    closers = PAIRS[opener]
    j = i + 1
    while j < end:
        char = text[j]
        if char in closers and _closes(text, j, end, opener):
            return j
        if char in OPENERS and char != opener and _opens(text, j, i + 1):
            nested = _closing(text, j, end)
            if nested is not None:
                j = nested + 1
                continue
        j += 1
    return None


def _closes(text: str, j: int, end: int, opener: str) -> bool:
    after = text[j + 1] if j + 1 < end else " "
    if opener in _SINGLE or opener == "‘":
        return not after.isalpha()
    if opener == '"':
        return not after.isalnum()
    return True
