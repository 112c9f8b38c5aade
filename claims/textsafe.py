"""Stored text is data: what it may not do when shown, in one place.

``visible`` is applied to every piece of user data on its way to a terminal or a line-based
format (tables, tab-separated output, messages): characters that act instead of showing
(control characters such as ESC, BEL and carriage return; format characters such as the
bidi overrides U+202A-U+202E and U+2066-U+2069, zero-width spaces and joiners; line and
paragraph separators; lone surrogates) are written as the Python escape that names them,
``\\x1b``, ``\\u202e``. Everything else, every script and emoji, passes unchanged. JSON
output needs none of this: it escapes control characters itself.

``csv_cell`` neutralises spreadsheet formulas (OWASP's advice on CSV injection): a text cell
starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
apostrophe, which spreadsheets show as text instead of evaluating.
"""

from __future__ import annotations

import unicodedata
from typing import Any

# Unicode general categories that act rather than show: Cc control, Cf format (bidi
# overrides, zero-width), Cs surrogates (undecodable bytes), Zl/Zp line/paragraph breaks.
ACTING_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_GUARD = "'"


def _escape(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def visible(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with every acting character escaped (see the module docstring); newlines
    kept when ``keep_newlines`` (messages of several lines)."""
    if text.isprintable():  # the common case, at C speed
        return text
    out = []
    for char in text:
        if char == "\n" and keep_newlines:
            out.append(char)
        elif (char < " " or "\x7f" <= char <= "\x9f"
              or (char > "\x9f" and unicodedata.category(char) in ACTING_CATEGORIES)):
            out.append(_escape(char))
        else:
            out.append(char)
    return "".join(out)


def is_inert(text: str) -> bool:
    """True when ``text`` holds no acting character (what ``visible`` leaves behind)."""
    return visible(text) == text


def csv_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will not evaluate: text starting like a formula gets a
    leading apostrophe. Other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return FORMULA_GUARD + value
    return value


def csv_row(row: dict[str, Any]) -> dict[str, Any]:
    return {key: csv_cell(value) for key, value in row.items()}
