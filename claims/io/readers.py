"""Opening an input and turning it into ``Item``s, one per record, lazily.

Format comes from the caller or the file name's extension. JSON Lines and CSV/TSV stream;
a JSON array (our ``json`` export, or a ClaimReview array) is read whole, since it is one
value, then decoded element by element so errors still name their line.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from functools import partial

from claims.errors import ClaimsError, InvalidError
from claims.io.bounded import StrictDecoder
from claims.io.claimreview import claim_from_review, is_claim_review
from claims.io.formats import ImportFormat
from claims.io.items import Item, Payload
from claims.io.native import payload_from_object
from claims.io.tabular import ColumnMap, read_tabular

# Duplicate keys, NaN, 1e999, huge integers and deep nesting are decoding errors too.
_DECODER = StrictDecoder()


class CountingLines:
    """Iterates a text stream's lines, keeping count of the characters read (for progress)."""

    def __init__(self, stream: Iterable[str]) -> None:
        self.stream = stream
        self.consumed = 0

    def __iter__(self) -> Iterator[str]:
        for line in self.stream:
            self.consumed += len(line)
            yield line


def read_items(lines: CountingLines, fmt: ImportFormat, *, column_map: ColumnMap | None = None,
               header: bool = True, list_sep: str = ",") -> Iterator[Item]:
    reviews_only = fmt is ImportFormat.CLAIMREVIEW
    if fmt is ImportFormat.JSONL:
        return _json_lines(lines, reviews_only)
    if fmt in (ImportFormat.JSON, ImportFormat.CLAIMREVIEW):
        return _json_document(lines, reviews_only)
    delimiter = "\t" if fmt is ImportFormat.TSV else ","
    return read_tabular(lines, delimiter=delimiter, header=header,
                        column_map=column_map or ColumnMap(()), list_sep=list_sep)


def _payload(obj: object, reviews_only: bool) -> Payload:
    if is_claim_review(obj):
        return claim_from_review(obj)
    if reviews_only:
        raise InvalidError("not a ClaimReview object", 'each object needs "@type": "ClaimReview"')
    return payload_from_object(obj)


def _item(line: int, raw: str, make: Callable[[], Payload]) -> Item:
    try:
        return Item(line, raw, make())
    except ClaimsError as exc:
        return Item(line, raw, error=str(exc))


def _json_lines(lines: Iterable[str], reviews_only: bool) -> Iterator[Item]:
    for number, line in enumerate(lines, 1):
        raw = line.rstrip("\r\n")
        if not raw.strip():
            continue
        try:
            obj = _DECODER.decode(raw)
        except json.JSONDecodeError as exc:
            yield Item(number, raw, error=f"not valid JSON ({exc.msg}, column {exc.colno})")
            continue
        yield _item(number, raw, partial(_payload, obj, reviews_only))


def _json_document(lines: Iterable[str], reviews_only: bool) -> Iterator[Item]:
    """One JSON value: an object, or an array of them. Falls back to JSON Lines when the text
    holds several values one after another (ClaimReview one per line, say)."""
    text = "".join(lines)
    decoder = _DECODER
    position = _skip_space(text, 0)
    if text.startswith("[", position):
        yield from _array_items(text, position + 1, decoder, reviews_only)
        return
    try:
        obj, end = decoder.raw_decode(text, position)
    except json.JSONDecodeError as exc:
        yield Item(exc.lineno, "", error=f"not valid JSON ({exc.msg}, column {exc.colno})")
        return
    if _skip_space(text, end) < len(text):
        yield from _json_lines(text.splitlines(), reviews_only)
        return
    yield _item(text.count("\n", 0, position) + 1, text[position:end].strip(),
                partial(_payload, obj, reviews_only))


def _array_items(text: str, position: int, decoder: json.JSONDecoder,
                 reviews_only: bool) -> Iterator[Item]:
    line = text.count("\n", 0, position) + 1
    while True:
        start = _skip_space(text, position)
        if text.startswith("]", start):
            return
        line += text.count("\n", position, start)
        try:
            obj, end = decoder.raw_decode(text, start)
        except json.JSONDecodeError as exc:
            yield Item(exc.lineno, "", error=f"not valid JSON ({exc.msg}, column {exc.colno})")
            return
        raw = text[start:end]
        yield _item(line, raw, partial(_payload, obj, reviews_only))
        line += raw.count("\n")
        position = _skip_space(text, end)
        if text.startswith(",", position):
            position += 1
        elif not text.startswith("]", position):
            yield Item(text.count("\n", 0, position) + 1, "",
                       error="expected ',' or ']' between array elements")
            return


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    return position
