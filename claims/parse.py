"""Every parser of a user value, once: what a command line option or an imported
record gives, as the library stores it."""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import UTC, date, datetime, time
from typing import Literal, overload

from claims.errors import InvalidError

# Moments typed by users (``--as-of``, ``log --since/--until``): a date means the end of
# that day in UTC (its start, for a lower bound); a time must carry ``Z`` or an offset, and
# is then exact.


HINT = "give a date (2026-12-01) or a time with Z or an offset (2026-12-01T14:30:00Z)"


def parse_moment(value: str | None, label: str = "--as-of", *,
                 end_of_day: bool = True) -> datetime | None:
    if value is None:
        return None
    raw = value.strip()
    try:
        if len(raw) == 10:
            day = date.fromisoformat(raw)
            if end_of_day:
                return datetime.combine(day, time.max, UTC)
            return datetime.combine(day, time.min, UTC)
        moment = datetime.fromisoformat(raw.replace("z", "Z"))
    except ValueError:
        raise InvalidError(f"{label} {value!r} is not a date or a time", HINT) from None
    if moment.tzinfo is None:
        raise InvalidError(f"{label} {value!r} has no time zone", HINT)
    return moment.astimezone(UTC)


def parse_date(value: str | date | None, what: str = "date") -> date | None:
    """An ISO date (YYYY-MM-DD, or YYYY-MM / YYYY meaning the first day); None passes through."""
    if value is None or isinstance(value, date):
        return value
    text = value.strip()
    if not text:
        return None
    padded = {4: f"{text}-01-01", 7: f"{text}-01"}.get(len(text), text)
    try:
        return date.fromisoformat(padded)
    except ValueError:
        raise InvalidError(
            f"cannot read {what} {value!r}", "write it as YYYY-MM-DD, e.g. 2025-04-21"
        ) from None


# ``required=True`` raises instead of returning None, so its callers hold a plain str.
@overload
def clean_text(value: str | None, what: str, *, required: Literal[True]) -> str: ...
@overload
def clean_text(value: str | None, what: str, *, required: bool = False) -> str | None: ...
def clean_text(value: str | None, what: str, *, required: bool = False) -> str | None:
    """Trimmed text; empty means absent (an error when required). NUL bytes are refused."""
    if value is None:
        if required:
            raise InvalidError(f"empty {what}", f"give the {what}")
        return None
    if "\x00" in value:
        raise InvalidError(f"{what} contains a NUL character", "remove it")
    cleaned = value.strip()
    if not cleaned:
        if required:
            raise InvalidError(f"empty {what}", f"give the {what}")
        return None
    return cleaned


def clean_tag(tag: str) -> str:
    cleaned = clean_text(tag, "tag", required=True)
    return " ".join(cleaned.lower().split())


def parse_timestamp(value: object, what: str) -> datetime | None:
    """An ISO 8601 timestamp (a bare date means midnight UTC); naive times are taken as UTC."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InvalidError(f"{what} must be a string, not {type(value).__name__}", "use ISO 8601")
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InvalidError(f"cannot read {what} {value!r}",
                           "write it as ISO 8601, e.g. 2025-04-21T10:00:00Z") from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def parse_day(value: object, what: str) -> date | None:
    """A date; a full timestamp is cut to its day (ClaimReview often carries times)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidError(f"{what} must be a string", "write it as YYYY-MM-DD")
    text = value.strip()
    if len(text) > 10 and text[4:5] == "-" and text[10:11] in ("T", " "):
        text = text[:10]
    return parse_date(text, what)


def optional_text(value: object, what: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        else:
            raise InvalidError(f"{what} must be text, not {type(value).__name__}", "quote it")
    return clean_text(value, what)


def required_text(value: object, what: str) -> str:
    cleaned = optional_text(value, what)
    if cleaned is None:
        raise InvalidError(f"empty {what}", f"every record needs its {what}")
    return cleaned


def text_list(value: object, what: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise InvalidError(f"{what} must be a list of text", "write a JSON array")
    cleaned = (optional_text(item, what) for item in value)
    return [item for item in cleaned if item]


def tag_list(values: list[str]) -> list[str]:
    return sorted({clean_tag(v) for v in values})



def normalise_text(text: str) -> str:
    """Claim text as compared for sameness: NFKC, casefolded, punctuation and symbols as
    spaces, white space collapsed. Shared by ``claims add``'s duplicate check and by import,
    which matches records without an external id on source plus this."""
    if text.isascii():  # the common case
        return " ".join(text.lower().translate(_ASCII_SEPARATORS).split())
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(folded.translate(_SEPARATORS).split())


class _SeparatorTable(dict[int, str]):
    """A ``str.translate`` table: punctuation, symbols and separators (Unicode categories
    P, S, Z) to a space, anything else to itself. Filled as characters are met, so the
    translation runs in C instead of a Python loop over every character."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        mapped = " " if unicodedata.category(char)[0] in "PSZ" else char
        self[code] = mapped
        return mapped


_SEPARATORS = _SeparatorTable()


def text_hash(text: str) -> int:
    """A signed 64-bit hash of ``normalise_text(text)``, stored in ``claims.text_hash`` and
    indexed, so "a claim with this text" is one index lookup; candidates are then compared
    by their normalised text, so a collision costs a row read, never a wrong match.
    Changing ``normalise_text`` needs a revision that recomputes every stored hash."""
    return key_hash(normalise_text(text))


def key_hash(key: str) -> int:
    """``text_hash`` of a text whose ``normalise_text`` is ``key``."""
    digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


# ASCII punctuation and symbols (categories P and S) become spaces, as in the general path.
_ASCII_SEPARATORS = str.maketrans(
    {chr(c): " " for c in range(128) if unicodedata.category(chr(c))[0] in "PSZ"}
)
