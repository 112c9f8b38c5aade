"""Splitting a story into paragraphs and sentences, keeping each one's offsets.

A hand-written splitter rather than a library: news prose needs only a few rules (titles
and initialisms such as "Mr." and "U.S." do not end a sentence, a sentence does not end
inside a quotation), and every offset must index the input exactly, which general
tokenisers that normalise white space do not promise.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from claims.extract.quotes import CLOSERS, find_quotes

# Words with a full stop that are not the end of a sentence when a capital follows.
ABBREVIATIONS = frozenset(
    [
        "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "capt", "cmdr", "adm",
        "gov", "sen", "rep", "rev", "st", "mt", "sr", "jr", "jan", "feb", "mar", "apr", "jun",
        "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no", "nos", "vol", "fig", "approx",
        "est", "inc", "corp", "ltd", "co", "bros", "dept", "univ", "assn", "av", "ave", "blvd",
        "vs"
    ]
)
_INITIALISM = re.compile(r"(?:\b\w\.){2,}$|\b[A-Z]\.$")
_END = re.compile(r"[.!?…。！？।؟]+")
# Stops of scripts written without spaces between sentences (Chinese, Japanese).
_UNSPACED = frozenset("。！？")
_WORD_BEFORE = re.compile(r"(\w+)\.$")
# A sentence may end with closing quotes or brackets after its stop.
_TRAIL = (*tuple(CLOSERS), ")", "]", '"', "'")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int  # index of the paragraph (input line block) it belongs to
    first: bool  # first sentence of its paragraph


def paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each non-blank line: news text puts one paragraph per line."""
    for match in re.finditer(r"[^\n]+", text):
        line = match.group()
        stripped = line.strip()
        if not stripped:
            continue
        lead = len(line) - len(line.lstrip())
        yield match.start() + lead, match.start() + lead + len(stripped)


def split_sentences(text: str) -> list[Sentence]:
    """Every sentence of ``text`` with offsets into it, paragraph by paragraph."""
    found: list[Sentence] = []
    for number, (start, end) in enumerate(paragraphs(text)):
        first = True
        for s_start, s_end in _split_paragraph(text, start, end):
            found.append(Sentence(s_start, s_end, text[s_start:s_end], number, first))
            first = False
    return found


def _split_paragraph(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    inside = _quoted_regions(text, start, end)
    sentence_start = start
    for stop in _END.finditer(text, start, end):
        i, j = stop.start(), stop.end()
        if i < sentence_start or any(q_start < i < q_end - 1 for q_start, q_end in inside):
            continue
        while j < end and text[j] in _TRAIL:
            j += 1
        if _ends_here(text, sentence_start, i, j, end):
            yield sentence_start, j
            while j < end and text[j].isspace():
                j += 1
            sentence_start = j
    if sentence_start < end:
        yield sentence_start, end


def _quoted_regions(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Closed quotations: a sentence does not end inside one (“A. B,” she said)."""
    return [(q.start, q.end) for q in find_quotes(text, start, end) if q.closed]


def _ends_here(text: str, sentence_start: int, stop: int, after: int, end: int) -> bool:
    """Whether the stop at ``text[stop]`` ends the sentence: something follows that starts
    a new one (a capital, a digit, a quote), and the word before is no abbreviation."""
    if after >= end or text[stop] in _UNSPACED:
        return True
    if not text[after].isspace():
        return False
    k = after
    while k < end and text[k].isspace():
        k += 1
    if k >= end:
        return True
    if text[k].islower():  # "e.g. this", "a 3.5 p.m. meeting": no new sentence
        return False
    if text[stop] != ".":
        return True
    head = text[max(sentence_start, stop - 12):stop + 1]
    if _INITIALISM.search(head):
        return False
    word = _WORD_BEFORE.search(head)
    return not (word and word.group(1).casefold() in ABBREVIATIONS)
