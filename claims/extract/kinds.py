"""What kind of checkable content a sentence holds: figures, plans and predictions,
denials; and the clause a denial or a quoted label holds when it is not the sentence's."""

from __future__ import annotations

import re

FIGURE = re.compile(
    r"\d[\d,.]*\s?(?:%|percent\b|per cent\b|percentage points?\b)"
    r"|[$€£¥₽]\s?\d|\b\d[\d,.]*\s?(?:million|billion|trillion|bn|mn|tonnes|tons|kg|"
    r"kilograms|km|kilometres|kilometers|miles|barrels|bpd|mw|gw|megawatts|gigawatts|"
    r"degrees|°c|°f|dollars|euros|pounds|rubles|roubles|people|troops|soldiers|casualties|"
    r"deaths|cases|units|jobs|votes|seats|times|fold)\b"
    r"|\b\d{1,3}(?:,\d{3})+\b|\b\d+\.\d+\b",
    re.IGNORECASE,
)
PREDICTION = re.compile(
    r"\b(?:will|shall|won['’]t|is (?:expected|set|due|likely) to|are (?:expected|set|due|"
    r"likely) to|expects?|expected|plans? to|planned|intends? to|forecasts?|projected|"
    r"predicts?|aims? to|by (?:the end of )?20\d\d|next (?:year|month|week|decade)|"
    r"in the coming (?:days|weeks|months|years))\b",
    re.IGNORECASE,
)
DENIAL_PHRASE = re.compile(
    r"\b(?:den(?:y|ies|ied|ying)|denial|reject(?:s|ed)?|dismiss(?:es|ed)?|refut(?:e|es|ed)|"
    r"rebuff(?:s|ed)?|baseless|unfounded|no truth|not true|false claims?|fabricat\w+)\b",
    re.IGNORECASE,
)
# A clause that carries a denial of what the sentence reports: "—an accusation Tehran
# firmly denies", ", a claim the Kremlin rejected", ", which Moscow denies".
DENIAL_CLAUSE = re.compile(
    r"(?:[—–]\s*|,\s+|\s-\s)(?=(?:(?:an?|the)\s+(?:accusation|allegation|claim|charge|"
    r"assertion|report|suggestion)s?\s+(?:that\s+)?|which\s+)"
    r"[^,;—–]*?\b(?:den(?:y|ies|ied)|reject(?:s|ed)?|dismiss(?:es|ed)?|refutes?|refuted)\b)",
    re.IGNORECASE,
)
# "..., labeling it a “disaster”": a quoted word or two that someone called something.
LABEL_CLAUSE = re.compile(
    r",\s+(?:label(?:l)?ing|calling|describing|dubbing|branding|terming|deriding|hailing)\b",
    re.IGNORECASE,
)
_YEAR_ONLY = re.compile(r"^(?:1[89]|20)\d\d$")


def has_figure(text: str) -> bool:
    return any(not _YEAR_ONLY.match(m.group().strip()) for m in FIGURE.finditer(text))


def has_prediction(text: str) -> bool:
    return bool(PREDICTION.search(text))


def has_denial(text: str) -> bool:
    return bool(DENIAL_PHRASE.search(text))


def clause_end(text: str, start: int, end: int) -> int:
    """Where the clause from ``start`` ends: the next comma, dash, semicolon or the end."""
    match = re.compile(r"[,;—–]|\s-\s").search(text, start + 1, end)
    stop = match.start() if match else end
    return stop if stop > start else end
