"""The templates' filters for text the database holds, whoever wrote it: Markdown shows it
as written on one line; a URL becomes a link only when it is http(s) (a ``javascript:``
URL stays text). HTML escaping is Jinja2's autoescape.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, urlsplit

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&$#!])")


def md_escape(value: Any) -> str:
    """Text that Markdown (GitHub's) shows as written, on one line: whitespace (newlines
    included) folded to single spaces, so a table row stays one row, and every character
    that could start markup backslash-escaped (``|`` would end a cell, ``$`` start math,
    ``&`` an entity)."""
    if value is None:
        return ""
    text = " ".join(str(value).split())
    return _MD_SPECIAL.sub(r"\\\1", text)


# Printable ASCII but for < and >; quote() encodes the rest (spaces, other scripts).
_URL_SAFE = "".join(chr(c) for c in range(33, 127) if chr(c) not in "<>")


def web_url(value: str | None) -> str | None:
    """An http(s) URL with a host, spaces, ``<``, ``>`` and non-ASCII percent-encoded (as a
    link and an autolink may hold them); None for anything else, shown as text instead."""
    if not value:
        return None
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return quote(value.strip(), safe=_URL_SAFE)


def md_url(value: str | None) -> str:
    """A Markdown autolink for an http(s) URL; anything else as escaped text."""
    url = web_url(value)
    return md_escape(value) if url is None else f"<{url}>"


def percent(value: float | None) -> str:
    return "" if value is None else f"{round(value * 100)}%"


def number(value: float | None) -> str:
    """A figure's value as a person writes it: 17, not 17.0; 0.25 as it is."""
    if value is None:
        return ""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"
