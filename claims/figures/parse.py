"""Finding the figures in a sentence: "17% complete", "about $10 billion", "۱۷٪", "1.234,5".

``find_figures(text)`` returns each figure with its span in ``text``, value, unit, qualifier
and bounds. It leaves alone what only looks like a number: years ("in 2019"), dates
("October 2024", "2025-04-21"), spans of time ("10 years"), clock times, ordinals ("2nd"),
ids and names ("Units 2 and 3", "Resolution 2231", "COVID-19", "G7", "F-35").

Pure regular expressions and a little Python per match, no units library: the parser runs
over every claim of an import (bench/figures.py: well above 20,000 sentences a second).
Units it names are the short forms of ``claims.figures.units``: "%", "USD", "MW", "t" ...
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from claims.vocab import Qualifier


@dataclass(frozen=True)
class Figure:
    start: int
    end: int
    text: str
    value: float
    unit: str | None  # None: a plain count
    qualifier: Qualifier | None = None
    lower: float | None = None
    upper: float | None = None
    noun: str | None = None  # what a count counts: "centrifuges"


# Digits of every script count (\d is Unicode); the separators include the Arabic ones.
_DIGITS = r"\d+(?:[.,\u066b\u066c\u00a0\u202f']\d+)*"
_QUALIFIERS = {
    "about": Qualifier.ABOUT, "around": Qualifier.ABOUT, "approximately": Qualifier.ABOUT,
    "roughly": Qualifier.ABOUT, "nearly": Qualifier.ABOUT, "almost": Qualifier.ABOUT,
    "some": Qualifier.ABOUT, "an estimated": Qualifier.ABOUT, "circa": Qualifier.ABOUT,
    "close to": Qualifier.ABOUT, "at least": Qualifier.AT_LEAST,
    "no fewer than": Qualifier.AT_LEAST, "no less than": Qualifier.AT_LEAST,
    "more than": Qualifier.MORE_THAN, "over": Qualifier.MORE_THAN,
    "upwards of": Qualifier.MORE_THAN, "at most": Qualifier.AT_MOST,
    "no more than": Qualifier.AT_MOST, "less than": Qualifier.LESS_THAN,
    "fewer than": Qualifier.LESS_THAN, "under": Qualifier.LESS_THAN,
    "up to": Qualifier.UP_TO, "as many as": Qualifier.UP_TO, "as much as": Qualifier.UP_TO,
}
_QUALIFIER_RE = "|".join(sorted((re.escape(q) for q in _QUALIFIERS), key=len, reverse=True))
_CURRENCY_BEFORE = {"us$": "USD", "$": "USD", "usd": "USD", "€": "EUR", "eur": "EUR",
                    "£": "GBP", "gbp": "GBP", "₽": "RUB", "rub": "RUB", "irr": "IRR"}
_SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "mln": 1e6, "m": 1e6,
           "billion": 1e9, "bn": 1e9, "bln": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12,
           "millionen": 1e6, "mio": 1e6, "milliarden": 1e9, "mrd": 1e9,
           "مليون": 1e6, "میلیون": 1e6, "مليار": 1e9, "میلیارد": 1e9, "هزار": 1e3}
# Written after the number, as the parser names them.
_UNITS_AFTER = {
    "%": "%", "٪": "%", "percent": "%", "per cent": "%", "percentage points": "%",
    "درصد": "%", "بالمئة": "%", "في المئة": "%",
    "dollars": "USD", "dollar": "USD", "usd": "USD", "euros": "EUR", "euro": "EUR",
    "eur": "EUR", "pounds sterling": "GBP", "rials": "IRR", "rial": "IRR", "ریال": "IRR",
    "roubles": "RUB", "rubles": "RUB", "rouble": "RUB", "ruble": "RUB",
    "mwe": "MW", "mw": "MW", "megawatts": "MW", "megawatt": "MW", "gw": "GW",
    "gigawatts": "GW", "gigawatt": "GW", "kw": "kW", "kilowatts": "kW", "twh": "TWh",
    "gwh": "GWh", "mwh": "MWh", "tonnes": "t", "tonne": "t", "metric tons": "t", "tons": "t",
    "ton": "t", "kg": "kg", "kilograms": "kg", "kilogram": "kg", "kilos": "kg", "g": "g",
    "grams": "g", "km": "km", "kilometres": "km", "kilometers": "km", "miles": "mi",
    "barrels": "bbl", "swu": "SWU",
}


def _alternatives(words: Iterable[object]) -> str:
    return "|".join(sorted((re.escape(str(w)) for w in words), key=len, reverse=True))


# The number and what is attached to it; a qualifier ("about", "up to") is looked for
# behind the match, which keeps this pattern anchored on a digit or a currency sign.
_FIGURE = re.compile(
    rf"(?P<num>{_DIGITS})"
    rf"(?:\s*(?:-|–|to|and)\s*(?:US\$|\$|€|£)?(?P<num2>{_DIGITS}))?"
    rf"(?:\s?(?P<scale>{_alternatives(_SCALES)})(?![^\W\d_]))?"
    rf"(?:\s?(?P<unit>{_alternatives(_UNITS_AFTER)})(?![^\W\d_]))?",
    re.IGNORECASE,
)
_FRACTION = re.compile(
    r"\b(?:(?P<qual>" + _QUALIFIER_RE + r")\s+)?"
    r"(?P<frac>a quarter|one quarter|three quarters|a third|one third|two thirds|half)"
    r"(?=\s+of\b|\s+(?:complete|completed|finished|built|done|ready)\b|\s*[.,;:!?)]|\s*$)",
    re.IGNORECASE,
)
_FRACTIONS = {"a quarter": 25.0, "one quarter": 25.0, "three quarters": 75.0,
              "a third": 100 / 3, "one third": 100 / 3, "two thirds": 200 / 3, "half": 50.0}
_MONTHS = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
           r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
# Spans that are dates or times; numbers inside them are no figures.
_DATES = re.compile(
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}(?:,?\s+\d{{4}})?"
    rf"|\b{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?\b"
    rf"|\b{_MONTHS},?\s+\d{{4}}\b"
    r"|\b\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b|\b\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b"
    r"|\b\d{1,2}:\d{2}(?::\d{2})?\b|\b\d{1,2}\s?[ap]\.?m\b\.?"
    r"|\b\d{4}\s?[-–/]\s?\d{2,4}\b(?!\s?%)",
    re.IGNORECASE,
)
# A word before a number that makes it a name or an id: "Units 2 and 3", "Resolution 2231".
_ID_WORDS = frozenset({
    "unit", "units", "reactor", "reactors", "block", "blocks", "phase", "phases", "article",
    "articles", "section", "sections", "chapter", "chapters", "resolution", "resolutions",
    "flight", "flights", "no", "no.", "nos", "number", "room", "page", "pages", "item", "items",
    "paragraph", "paragraphs", "line", "route", "version", "model", "level", "stage", "stages",
    "table", "figure", "fig.", "annex", "clause", "rule", "act", "series", "part", "parts",
    "grade", "tier", "plan", "class", "lot", "site", "vol.", "volume", "issue", "episode",
    "season", "round", "case", "code", "واحد", "واحدهای", "واحدها", "رآکتور", "شماره", "قطعنامه",
    "الوحدة", "الوحدتين", "الوحدات", "المفاعل", "رقم", "القرار",
})
_TIME_WORDS = frozenset({
    "second", "seconds", "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks",
    "month", "months", "year", "years", "decade", "decades", "century", "centuries", "yr", "yrs",
    "am", "pm", "o'clock",
})
_NEXT_WORD = re.compile(r"[\s-]*([^\W\d_][\w'-]*)")
_WORD_BEFORE = re.compile(r"([^\W\d_][\w.]*)[\s,]*$")
_ID_JOINERS = frozenset({"", ",", "and", "or", "&", "to", "و", "-", "–", ", and"})
_ANY_DIGIT = re.compile(r"\d")
_DATE_MARKS = re.compile(rf"\d\s?[-/.:–]\s?\d|\d\s?[ap]\.?m\b|\b{_MONTHS}(?![^\W\d_])",
                         re.IGNORECASE)
_FRACTION_WORDS = ("quarter", "third", "half")


@dataclass(frozen=True)
class _Before:
    """A word written just before a number: a currency sign or a qualifier."""

    start: int
    word: str


_SIGN_CHARS = frozenset("$€£₽")
_SIGN_CODES = frozenset({"usd", "eur", "gbp", "rub", "irr"})
_QUALIFIER_WORDS = max(len(q.split()) for q in _QUALIFIERS)


def _sign_before(text: str, start: int) -> _Before | None:
    """A currency sign or code just before a number: "$10", "US$1", "USD 5", "€2m"."""
    if not start:
        return None
    if text[start - 1] in _SIGN_CHARS:
        if text[max(0, start - 3):start].casefold() == "us$":
            return _Before(start - 3, "us$")
        return _Before(start - 1, text[start - 1])
    end = start - 1 if text[start - 1] == " " else start
    code = text[max(0, end - 3):end].casefold()
    if code in _SIGN_CODES and (end < 4 or not text[end - 4].isalnum()):
        return _Before(end - 3, code)
    return None


def _qualifier_before(text: str, head: int) -> tuple[_Before | None, int]:
    """The qualifier before a number (or before its sign), and where the figure starts:
    the last one to three words before it, looked up whole (longest first)."""
    end = head
    while end > 0 and text[end - 1] == " ":
        end -= 1
    if end == head or not text[end - 1].isalpha():
        return None, head
    start = head
    words = text[max(0, end - 24):end].split()
    if words and words[-1].casefold() == "between":
        start = end - 7
        words.pop()
    if end - 24 > 0 and words:
        words.pop(0)  # may be cut in the middle
    for count in range(min(_QUALIFIER_WORDS, len(words)), 0, -1):
        phrase = " ".join(words[-count:]).casefold()
        if phrase in _QUALIFIERS:
            qual_end = text.rindex(words[-1], 0, end) + len(words[-1])
            qual_start = qual_end - len(" ".join(words[-count:]))
            if text[qual_start:qual_end].casefold() != phrase:
                return None, start  # words joined by other white space: not ours to read
            return _Before(qual_start, phrase), qual_start
    return None, start


def find_figures(text: str) -> list[Figure]:
    """Every figure in ``text``, in order; spans index ``text`` itself."""
    lowered = text.casefold() if not text.isascii() else text.lower()
    has_fraction = any(word in lowered for word in _FRACTION_WORDS)
    if not has_fraction and not _ANY_DIGIT.search(text):
        return []
    found: list[Figure] = []
    last_id_end = -10
    for match in _FIGURE.finditer(text):
        start = match.start()
        if _in_date(text, start, match.end()):
            continue
        sign = _sign_before(text, start)
        qualifier, head = _qualifier_before(text, sign.start if sign is not None else start)
        if _is_name_or_id(text, match, sign, qualifier, last_id_end):
            last_id_end = match.end()
            continue
        figure = _figure(text, match, sign, qualifier, head)
        if figure is not None:
            found.append(figure)
    if has_fraction:
        found.extend(_fractions(text, found))
    return sorted(found, key=lambda f: f.start)


def _in_date(text: str, start: int, end: int) -> bool:
    """Whether the number at ``start`` is part of a date or a clock time. The date patterns
    are tried on a window around it, and only when the window has a date's marks (a month
    name, a separator between digits, am/pm): far cheaper than on every sentence."""
    low, high = max(0, start - 16), min(len(text), end + 16)
    if not _DATE_MARKS.search(text, low, high):
        return False
    return any(a <= start < b for a, b in (m.span() for m in _DATES.finditer(text, low, high)))


def _is_name_or_id(text: str, match: re.Match[str], sign: _Before | None,
                   qualifier: _Before | None, last_id_end: int) -> bool:
    """Whether the number names or numbers something rather than counting it."""
    start = match.start("num")
    if sign is None and qualifier is None:
        before = text[start - 1] if start else " "
        if before.isalpha() or before in "#№+.," or (
                before == "-" and start >= 2 and text[start - 2].isalpha()):
            return True  # G7, COVID-19, F-35, #12, P5+1, the tail of 1.2.3
        if last_id_end >= 0 and text[last_id_end:start].strip().casefold() in _ID_JOINERS:
            return True  # "Units 2 and 3": the 3 continues the ids just before it
        previous = _WORD_BEFORE.search(text, max(0, start - 30), start)
        if previous is not None and previous.group(1).casefold() in _ID_WORDS:
            return True
    if match.group("unit") is None and match.group("scale") is None:
        after = text[match.end()] if match.end() < len(text) else " "
        if after.isalpha() or after == "+":
            return True  # 2nd, 3G, 5th, 10am, 5+1
    return False


def _next_word(text: str, at: int) -> str:
    found = _NEXT_WORD.match(text, at)
    return found.group(1).casefold() if found else ""


def _is_time_word(word: str) -> bool:
    return word in _TIME_WORDS or word.split("-")[0] in _TIME_WORDS


def _figure(text: str, match: re.Match[str], sign: _Before | None, before: _Before | None,
            start: int) -> Figure | None:
    value = read_number(match.group("num"))
    second = read_number(match.group("num2")) if match.group("num2") else None
    if value is None or (match.group("num2") and second is None):
        return None
    unit, scale = _unit_and_scale(match, sign.word if sign is not None else None)
    if unit is _NOT_A_FIGURE:
        return None
    noun = None
    if unit is None and scale == 1.0:
        noun = _next_word(text, match.end()) or None
        if _is_time_word(noun or "") or _looks_like_year(match, value, before):
            return None  # "10 years", "six-month", "in 2019"
    qual_word = before.word if before is not None else None
    qualifier = _QUALIFIERS[qual_word.casefold()] if qual_word else None
    value *= scale
    if not math.isfinite(value) or (second is not None and not math.isfinite(second * scale)):
        return None
    lower = upper = None
    if second is not None:
        lower, upper = value, second * scale
        if upper < lower:
            return None  # "5-3": a score, not a range
        value = (lower + upper) / 2
    else:
        lower, upper = _bounds(value, qualifier)
    end = match.end()
    while end > start and text[end - 1].isspace():
        end -= 1
    return Figure(start, end, text[start:end], value, unit, qualifier, lower, upper, noun)


_NOT_A_FIGURE = "not a figure"


def _unit_and_scale(match: re.Match[str], cur: str | None) -> tuple[str | None, float]:
    scale_word, unit_word = match.group("scale"), match.group("unit")
    unit = _CURRENCY_BEFORE[cur.strip().casefold()] if cur else None
    if unit_word and unit is None:
        unit = _UNITS_AFTER[unit_word.casefold()]
    if scale_word and len(scale_word) == 1 and cur is None:
        # "$2m" is two million dollars, but "10 m" is ten metres and "5 b" nobody knows.
        return (_NOT_A_FIGURE, 1.0) if unit is None else (unit, 1.0)
    return unit, _SCALES[scale_word.casefold()] if scale_word else 1.0


def _bounds(value: float, qualifier: Qualifier | None) -> tuple[float | None, float | None]:
    if qualifier in (Qualifier.AT_LEAST, Qualifier.MORE_THAN):
        return value, None
    if qualifier in (Qualifier.AT_MOST, Qualifier.LESS_THAN, Qualifier.UP_TO):
        return None, value
    return None, None


def _looks_like_year(match: re.Match[str], value: float, before: _Before | None) -> bool:
    """A bare 1800-2100 is a year unless a qualifier says it is a count ("some 2000 ...")."""
    raw = match.group("num")
    if not (raw.isdigit() and len(raw) == 4 and 1800 <= value <= 2100):
        return False
    qual = before.word if before is not None else None
    return qual is None or qual.casefold() in ("around", "circa", "by", "under", "over")


def _fractions(text: str, found: list[Figure]) -> list[Figure]:
    figures = []
    for match in _FRACTION.finditer(text):
        after = text[match.end():match.end() + 20].casefold()
        if re.match(r"\s+of\s+(?:a|an|the)?\s*(?:century|hour|year|decade|mile)", after):
            continue
        if any(f.start <= match.start() < f.end for f in found):
            continue
        qual = match.group("qual")
        qualifier = _QUALIFIERS[qual.casefold()] if qual else None
        value = _FRACTIONS[match.group("frac").casefold()]
        figures.append(Figure(match.start(), match.end(), match.group(0), value, "%", qualifier,
                              value if qualifier in (Qualifier.AT_LEAST, Qualifier.MORE_THAN)
                              else None,
                              value if qualifier in (Qualifier.AT_MOST, Qualifier.LESS_THAN,
                                                     Qualifier.UP_TO) else None))
    return figures


_PLAIN_NUMBER = re.compile(r"[0-9]+(?:[., ][0-9]+)*")
_ARABIC_SEPARATORS = str.maketrans({"\u066b": ".", "\u066c": ",", "\u00a0": " ",
                                    "\u202f": " ", "'": " "})


def read_number(raw: str) -> float | None:
    """A number as written in any script and either convention: "3,000", "1.5",
    "1.234,5", "17,5", "۱۷", "٧٠٠", "1 234"; None for shapes like "1.2.3", and for
    numbers too long to be a finite float."""
    try:
        value = _read_number(raw)
    except ValueError:  # not digits and separators at all
        return None
    return value if value is not None and math.isfinite(value) else None


def _read_number(raw: str) -> float | None:
    ascii_digits = "".join(str(unicodedata.digit(ch)) if ch.isdigit() else ch for ch in raw) \
        if not raw.isascii() else raw
    cleaned = ascii_digits.translate(_ARABIC_SEPARATORS)
    if not _PLAIN_NUMBER.fullmatch(cleaned):
        return None  # float() would take "1e5", "inf" and "1_000"; a figure is none of them
    if " " in cleaned:
        groups = cleaned.split(" ")
        if not all(len(g) == 3 for g in groups[1:]):
            return None
        cleaned = "".join(groups)
    last_dot, last_comma = cleaned.rfind("."), cleaned.rfind(",")
    if last_dot >= 0 and last_comma >= 0:
        decimal = "." if last_dot > last_comma else ","
        thousands = "," if decimal == "." else "."
        whole, _, fraction = cleaned.rpartition(decimal)
        if decimal in whole or not _grouped(whole, thousands):
            return None
        return float(whole.replace(thousands, "") + "." + fraction)
    for sep in ",.":
        if sep in cleaned:
            parts = cleaned.split(sep)
            if len(parts) > 2 or (sep == "," and len(parts[1]) == 3):
                return float("".join(parts)) if _grouped(cleaned, sep) else None
            return float(parts[0] + "." + parts[1])
    return float(cleaned)


def _grouped(number: str, sep: str) -> bool:
    groups = number.split(sep)
    return 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]) if len(groups) > 1 \
        else True
