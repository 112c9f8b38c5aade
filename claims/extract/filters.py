"""Sentences that are not claims: headlines, datelines, captions, bylines, questions,
site boilerplate, and sentences with nothing in them to check."""

from __future__ import annotations

import re

from claims.extract.sentences import Sentence

# "MOSCOW, April 21 (Reuters) - ", "(MENAFN) ", "WASHINGTON — ", "Tehran, 3 May (AFP): "
DATELINE = re.compile(
    r"^(?:\((?:[A-Z][\w.&' -]{1,30})\)\s*[-—–:]?\s*"
    r"|[A-Z][A-Z.'’ -]{2,40}(?:,\s*[\w .]{2,30}?)?(?:\s*\([\w.&' -]{1,30}\))?\s*[-—–:]\s+"
    r"|[A-Z][a-z]+(?: [A-Z][a-z]+)?,\s*(?:\d{1,2} [A-Z][a-z]+|[A-Z][a-z]+\.? \d{1,2})"
    r"(?:\s*\([\w.&' -]{1,30}\))?\s*[-—–:]\s+)"
)
CAPTION = re.compile(
    r"^(?:photo|photograph|image|picture|pictured|caption|file photo|illustration|video|"
    r"watch|graphic|credit|source)\b\s*[:|(-]?|"
    r"(?:/\s?(?:reuters|afp|ap|getty images|epa)|(?:getty images|via reuters|ap photo|"
    r"afp photo|file photo)\)?)\s*\.?$",
    re.IGNORECASE,
)
BYLINE = re.compile(
    r"^(?:by\s+[A-Z][\w.’'-]+(?:\s+(?:and\s+)?[A-Z][\w.’'-]+){0,5}\s*[,.]?$|"
    r"(?:additional\s+)?(?:reporting|writing|editing|compiled|edited|written|produced)\s+by\b"
    r"|updated\b.{0,40}\d{4}|published\b.{0,40}\d{4}|[\w.+-]+@[\w-]+\.[\w.]+)",
    re.IGNORECASE,
)
BOILERPLATE = re.compile(
    r"\b(?:subscribe|subscription|newsletter|sign up|sign in|log in|cookies?|privacy policy|"
    r"terms of (?:use|service)|all rights reserved|copyright|read more|related (?:stories|"
    r"articles|coverage)|advertisement|share this|follow us|click here|enable javascript|"
    r"your browser|download (?:our|the) app|trust principles|our standards|"
    r"most (?:read|popular)|recommended for you|skip to (?:main )?content|"
    r"contact us|about us|sponsored|inbox)\b|©",
    re.IGNORECASE,
)
_TERMINAL = re.compile(r"[.!…。！।]['\"”’»)\]]*$")
_QUESTION = re.compile(r"[?？؟]['\"”’»)\]]*$|\?['\"”’»]*,?\s+(?:he|she|they|\w+)\s+asked\b",
                       re.IGNORECASE)
MIN_WORDS = 5


def dateline_length(sentence: Sentence) -> int:
    """How many leading characters of a paragraph's first sentence are its dateline."""
    if not sentence.first:
        return 0
    match = DATELINE.match(sentence.text)
    if match is None:
        return 0
    rest = sentence.text[match.end():]
    return match.end() if rest[:1].isupper() or rest[:1] in "“\"«„‘" else 0


def rejection(sentence: Sentence, text: str, paragraph_sentences: int) -> str | None:
    """Why ``text`` (the sentence, dateline removed) is no claim, or None if it may be."""
    stripped = text.strip()
    if _QUESTION.search(stripped):
        return "question"
    if CAPTION.search(stripped):
        return "caption"
    if BYLINE.search(stripped):
        return "byline"
    if BOILERPLATE.search(stripped):
        return "boilerplate"
    if paragraph_sentences == 1 and not _TERMINAL.search(stripped):
        return "headline"
    if stripped.isupper() and len(stripped) > 3:
        return "headline"
    if len(stripped.split()) < MIN_WORDS:
        return "too short"
    return None
