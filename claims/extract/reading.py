"""A story's text from a file, stdin or a URL; an HTML page's main text through
trafilatura (the optional ``claims[extract]`` extra).

Inputs are bounded (``MAX_BYTES``) and URLs fetched with a timeout, so a huge page or a
server that never answers is one clear error, not a hung or exhausted process.
"""

from __future__ import annotations

import re
import socket
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from claims.errors import InvalidError, NotFoundError

MAX_BYTES = 5_000_000  # a long story's HTML is a few hundred kB; 5 MB is generous
TIMEOUT_SECONDS = 15.0
INSTALL_HINT = "install it with: pip install 'claims[extract]'"
_HTML_START = re.compile(rb"^\s*(?:<!doctype\s+html|<html|<head|<body|<meta|<!--)", re.I)
_HTML_TAGS = re.compile(rb"<(?:p|div|article|span|br|h[1-6])[\s>/]", re.I)
_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.I)


@dataclass
class Story:
    """The text to extract from, and what reading it noticed (for the user, on stderr)."""

    text: str
    origin: str
    html: bool = False
    notes: list[str] = field(default_factory=list)


def read_story(location: str, *, stdin: BinaryIO | None = None, max_bytes: int = MAX_BYTES,
               timeout: float = TIMEOUT_SECONDS) -> Story:
    """``location`` is a path, ``-`` for stdin, or an http(s) URL."""
    if re.match(r"^https?://", location, re.I):
        data, charset, html = _fetch(location, max_bytes, timeout)
    elif location == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        data, charset, html = _bounded(stream.read(max_bytes + 1), max_bytes, "stdin"), None, None
    else:
        data, charset, html = _read_file(location, max_bytes), None, None
        if location.lower().endswith((".html", ".htm", ".xhtml")):
            html = True
    return story_from_bytes(data, location, charset=charset, html=html)


def story_from_bytes(data: bytes, origin: str, *, charset: str | None = None,
                     html: bool | None = None) -> Story:
    """Decoded text; HTML (told, or recognised by its first tags) reduced to its main text."""
    _refuse_binary(data, origin)
    is_html = html if html is not None else looks_like_html(data)
    notes: list[str] = []
    text = _decode(data, charset or _meta_charset(data, is_html), notes, origin)
    if is_html:
        text = main_text(text)
        if not text.strip():
            notes.append(f"{origin}: found no article text in the page")
    return Story(text, origin, is_html, notes)


def looks_like_html(data: bytes) -> bool:
    head = data[:4096]
    return bool(_HTML_START.match(head)) or len(_HTML_TAGS.findall(head)) >= 3


def main_text(html: str) -> str:
    """The page's article text, paragraphs one a line (navigation, ads and footers gone)."""
    try:
        import trafilatura
    except ImportError as exc:
        raise InvalidError("reading HTML needs the 'extract' extra", INSTALL_HINT) from exc
    # No deduplicate: trafilatura's cache of seen paragraphs lives as long as the process.
    found = trafilatura.extract(html, include_comments=False, include_tables=False)
    return found or ""


def _fetch(url: str, max_bytes: int, timeout: float) -> tuple[bytes, str | None, bool | None]:
    request = urllib.request.Request(url, headers={"User-Agent": "claims-extract/0.1"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise _too_big(url, max_bytes)
            data = _bounded(response.read(max_bytes + 1), max_bytes, url)
            content_type = response.headers.get_content_type()
            charset = response.headers.get_content_charset()
    except urllib.error.HTTPError as exc:
        raise NotFoundError(f"could not fetch {url}: HTTP {exc.code} {exc.reason}",
                            "check the address") from None
    except TimeoutError:
        raise InvalidError(f"could not fetch {url}: no answer within {timeout:g} s",
                           "try again later, or save the page and give the file") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError | socket.timeout):
            raise InvalidError(f"could not fetch {url}: no answer within {timeout:g} s",
                               "try again later, or save the page and give the file") from None
        raise InvalidError(f"could not fetch {url}: {_reason(reason)}",
                           "check the address and your connection") from None
    except (OSError, ValueError) as exc:
        raise InvalidError(f"could not fetch {url}: {exc}", "check the address") from None
    html = True if content_type in ("text/html", "application/xhtml+xml") else None
    if content_type == "text/plain":
        html = False
    return data, charset, html


def _reason(reason: object) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    text = str(getattr(reason, "strerror", None) or reason)
    return text.splitlines()[0] if text else "network error"


def _read_file(location: str, max_bytes: int) -> bytes:
    path = Path(location)
    try:
        with path.open("rb") as handle:
            return _bounded(handle.read(max_bytes + 1), max_bytes, location)
    except FileNotFoundError:
        raise NotFoundError(f"no file {location}", "give a path, - for stdin, or a URL") from None
    except IsADirectoryError:
        raise InvalidError(f"{location} is a directory", "give a file") from None
    except OSError as exc:
        raise InvalidError(f"cannot read {location}: {exc.strerror}", "check the file") from None


def _bounded(data: bytes, max_bytes: int, origin: str) -> bytes:
    if len(data) > max_bytes:
        raise _too_big(origin, max_bytes)
    return data


def _too_big(origin: str, max_bytes: int) -> InvalidError:
    return InvalidError(f"{origin} is larger than {max_bytes // 1_000_000} MB",
                        "give the story alone, not a whole archive")


def _refuse_binary(data: bytes, origin: str) -> None:
    sample = data[:8192]
    if b"\x00" in sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InvalidError(f"{origin} is binary, not text or HTML", "give a story's text")
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    if sample and controls / len(sample) > 0.1:
        raise InvalidError(f"{origin} is binary, not text or HTML", "give a story's text")


def _meta_charset(data: bytes, is_html: bool) -> str | None:
    match = _CHARSET.search(data[:4096]) if is_html else None
    return match.group(1).decode("ascii", "replace") if match else None


def _decode(data: bytes, charset: str | None, notes: list[str], origin: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    for encoding in (charset, "utf-8-sig"):
        if not encoding:
            continue
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    notes.append(f"{origin} is not valid UTF-8: undecodable bytes were replaced with U+FFFD")
    return data.decode("utf-8", errors="replace")
