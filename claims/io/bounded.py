"""Reading an import's input so that no file, however hostile, is more than a rejected record.

- Bytes are read, not text: each line is decoded on its own (undecodable bytes kept as lone
  surrogates), so invalid UTF-8 spoils one record, which is rejected with its line number
  (``checked_items``), instead of ending the import with a ``UnicodeDecodeError``.
- A line longer than ``max_record_bytes`` (``DEFAULT_MAX_RECORD_BYTES`` unless overridden:
  ``claims import --max-record-bytes``) ends the import with ``FILE:LINE`` and nothing
  written; it is never held in memory (``/dev/zero`` has no line end at all).
- A UTF-8 byte order mark is dropped from the first line, from a file and from stdin alike.
- A closed stdin (``claims import - <&-``) is one clear error.
- JSON is decoded strictly (``StrictDecoder``): a duplicate key, ``NaN``/``Infinity``, a
  number beyond a float (``1e999``), an integer of more than ``MAX_INT_DIGITS`` digits and
  nesting too deep to decode are each a ``JSONDecodeError`` at the value's position, which
  the readers already turn into a rejected record.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import IO, Any, cast

from claims.errors import InvalidError
from claims.settings import MAX_RECORD_BYTES_VAR, max_record_bytes_from_environment

DEFAULT_MAX_RECORD_BYTES = 16 * 1024 * 1024
MAX_INT_DIGITS = 20  # one more than a signed 64-bit integer may need
BOM = "\ufeff"
_LINE_ENDS = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
READ_CHUNK = 1024 * 1024


class RecordLines:
    """The lines of a binary stream as text, each at most ``max_bytes`` bytes long."""

    def __init__(self, stream: IO[bytes], *, label: str, max_bytes: int) -> None:
        self.stream = stream
        self.label = label
        self.max_bytes = max_bytes

    def __iter__(self) -> Iterator[str]:
        number = 0
        while True:
            chunk = self.stream.readline(self.max_bytes + 1)
            if not chunk:
                return
            number += 1
            if len(chunk) > self.max_bytes and not chunk.endswith(b"\n"):
                raise InvalidError(
                    f"{self.label}:{number}: a record is longer than {self.max_bytes} bytes",
                    "split it, or raise the cap with --max-record-bytes "
                    f"(or {MAX_RECORD_BYTES_VAR})")
            text = chunk.decode("utf-8", "surrogateescape")
            if number == 1 and text.startswith(BOM):
                text = text[1:]
            # A lone CR ends a line too, as in Python's text files (newline=""), which the
            # csv module expects.
            if "\r" not in text:  # the common case
                yield text
                continue
            parts = _LINE_ENDS.findall(text)
            number += len(parts) - 1
            yield from parts


def max_record_bytes(given: int | None = None) -> int:
    if given is not None:
        return given
    raw = max_record_bytes_from_environment()
    if raw is None:
        return DEFAULT_MAX_RECORD_BYTES
    value = raw.strip()
    if not value.isascii() or not value.isdigit() or len(value) > MAX_INT_DIGITS \
            or int(value) < 1:
        raise InvalidError(f"{MAX_RECORD_BYTES_VAR}={raw[:40]!r} is not a number of bytes",
                           "set it to a whole number of at least 1, or unset it")
    return int(value)


@contextmanager
def open_input(file: str, *, max_bytes: int | None = None) -> Iterator[RecordLines]:
    """The lines of ``file``, or of stdin for ``-``."""
    limit = max_record_bytes(max_bytes)
    if file == "-":
        stdin = sys.stdin
        if stdin is None or stdin.closed:
            raise InvalidError("stdin is closed", "pipe the records in, or give a file path")
        # The bytes under sys.stdin; a stdin without ``buffer`` is taken to be a binary stream.
        binary = stdin.buffer if hasattr(stdin, "buffer") else cast("IO[bytes]", stdin)
        yield RecordLines(binary, label="<stdin>", max_bytes=limit)
        return
    try:
        stream = open(file, "rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        from claims.errors import NotFoundError

        raise NotFoundError(f"cannot read {file!r}: {exc.strerror}", "check the path") from None
    with stream:
        yield RecordLines(stream, label=file, max_bytes=limit)


# --- undecodable bytes -----------------------------------------------------------------


def undecodable(raw: str) -> str | None:
    """Why ``raw`` (decoded with surrogateescape) is not UTF-8, or None when it is."""
    try:
        raw.encode("utf-8")  # in C: a clean line (nearly every line) costs no Python loop
        return None
    except UnicodeEncodeError:
        pass
    for column, char in enumerate(raw, 1):
        if "\udc80" <= char <= "\udcff":
            return f"not valid UTF-8 (byte 0x{ord(char) - 0xdc00:02x} at column {column})"
    return None


def as_text(raw: str) -> str:
    """``raw`` with undecodable bytes as U+FFFD, so it can be written out again."""
    return raw.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def checked_items(items: Iterable[Any]) -> Iterator[Any]:
    """Readers' items, with those holding undecodable bytes turned into rejections."""
    for item in items:
        problem = undecodable(item.raw) if item.raw else None
        if problem is None and item.payload is not None and _escapes_surrogate(item.raw) \
                and _has_surrogate(item.payload):
            problem = "not valid UTF-8"
        if problem is not None:
            yield type(item)(item.line, as_text(item.raw), error=problem)
        else:
            yield item


def _escapes_surrogate(raw: str) -> bool:
    # Valid UTF-8 text can only carry a lone surrogate as a JSON escape (\udc80 ...).
    return "\\ud" in raw or "\\uD" in raw


def _has_surrogate(value: Any) -> bool:
    # Only reached for the rare payload whose raw text was clean but whose values are not
    # (a JSON "\udcff" escape): scan its strings.
    try:
        json.dumps(value, default=lambda o: vars(o) if hasattr(o, "__dict__") else str(o),
                   ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


# --- strict JSON ------------------------------------------------------------------------


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise ValueError(f"duplicate key {key!r}")
        found[key] = value
    return found


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"number {text[:40]} is out of range")
    return value


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise ValueError(f"an integer of {len(text.lstrip('-'))} digits is out of range")
    return int(text)


def _constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


class StrictDecoder(json.JSONDecoder):
    """A JSON decoder whose every refusal is a ``JSONDecodeError`` (see the module doc)."""

    def __init__(self) -> None:
        super().__init__(object_pairs_hook=_pairs, parse_float=_float, parse_int=_int,
                         parse_constant=_constant)

    def raw_decode(self, s: str, idx: int = 0) -> tuple[Any, int]:
        try:
            return super().raw_decode(s, idx)
        except json.JSONDecodeError:
            raise
        except RecursionError:
            raise json.JSONDecodeError("nested too deeply", s, idx) from None
        except ValueError as exc:
            raise json.JSONDecodeError(str(exc), s, idx) from None


def check_list_sep(sep: str) -> str:
    if not sep:
        raise InvalidError("the list separator is empty", "give one or more characters, e.g. ,")
    return sep
