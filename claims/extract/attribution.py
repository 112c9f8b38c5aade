"""Who a sentence attributes its content to: the subject of a reporting verb ("Lavrov
said", "the ministry's spokesman told reporters"), the name after an inverted verb
("..., said Lavrov"), or "according to X"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from claims.extract.lexicon import TOKEN
from claims.extract.quotes import Quote
from claims.extract.speakers import (
    BODY_ROLES,
    CONNECTORS,
    DEMONYMS,
    PERSON_ROLES,
    PRONOUNS,
    ROLE_WORDS,
)

_STEMS = """say|said|tell|told|write|wrote|written|warn|deny|denie|denied|claim|insist|
confirm|announce|accuse|add|state|note|argue|assert|declare|explain|highlight|stress|
emphasi[sz]e|threaten|pledge|promise|vow|predict|estimate|propose|demand|urge|acknowledge|
admit|admitt|reject|dismiss|allege|suggest|caution|reiterate|repeat|conclude|report|
maintain|contend|charge|concede|recall|describe|complain|criticise|criticize|condemn|
forecast|expect|signal|indicate|reveal|disclose|accept|agree|call|blame"""
REPORTING = re.compile(
    r"\b(?:" + _STEMS.replace("\n", "") + r")(?:s|es|d|ed|ing|ied|ies)?\b", re.IGNORECASE)
DENIAL_VERB = re.compile(
    r"\b(?:den(?:y|ies|ied|ying)|reject(?:s|ed|ing)?|dismiss(?:es|ed|ing)?|refut(?:e|es|ed)|"
    r"rebuff(?:s|ed)?|disput(?:e|es|ed))\b", re.IGNORECASE)
# Verbs that may come before their speaker: "..., said Lavrov." / "“...,” added the minister."
INVERTIBLE = frozenset(
    [
        "said", "says", "added", "wrote", "noted", "explained", "insisted", "stressed",
        "continued", "warned", "argued", "told", "asked", "declared"
    ])
ACCORDING = re.compile(r"\baccording to\s+", re.IGNORECASE)
SKIPPED = frozenset(
    [
        "has", "have", "had", "is", "was", "were", "are", "will", "would", "could", "may",
        "might", "did", "does", "do", "be", "been", "also", "again", "later", "previously",
        "recently", "firmly", "repeatedly", "flatly", "strongly", "publicly", "privately",
        "once", "often", "then", "still", "already", "just", "not", "never", "further",
        "separately", "earlier", "quickly", "reportedly", "always", "consistently", "long",
        "swiftly", "immediately", "angrily", "openly", "categorically"
    ]
)
_PASSIVE_BEFORE = frozenset([
    "is", "was", "were", "are", "be", "been", "being", "now", "reportedly", "widely"
])
_AUXILIARIES = frozenset(["was", "were", "is", "are", "have", "had", "has"])
_PARTICIPLES = frozenset(["said", "told", "written"])
# Stems that are nouns as often as verbs ("a state agency", "the report"): uninflected,
# they report nothing.
_NOUNLIKE = frozenset(
    [
        "state", "report", "claim", "demand", "note", "charge", "call", "forecast", "estimate",
        "promise", "pledge", "vow", "repeat", "signal", "accept", "agree", "highlight",
        "stress", "threaten", "add", "recall", "describe"
    ])
_DETERMINERS = frozenset([
    "the", "a", "an", "its", "his", "her", "their", "our", "this", "that", "these", "those"
])


@dataclass(frozen=True)
class Attribution:
    """A reporting verb (``verb_start``..``verb_end``) and the phrase naming its speaker."""

    verb_start: int
    verb_end: int
    phrase_start: int
    phrase_end: int
    verb: str
    denial: bool

    @property
    def phrase_slice(self) -> slice:
        return slice(self.phrase_start, self.phrase_end)


def attributions(text: str, start: int, end: int, quotes: list[Quote]) -> list[Attribution]:
    """Reporting verbs outside quotations, each with a speaker phrase, in text order."""
    found: list[Attribution] = []
    for verb in REPORTING.finditer(text, start, end):
        if (_inside(verb.start(), quotes) or not _verb_like(text, start, verb)
                or _passive(text, start, verb)):
            continue
        phrase = _subject(text, start, verb.start(), quotes)
        if phrase is None and found and _coordinated(text, start, verb.start()):
            phrase = (found[-1].phrase_start, found[-1].phrase_end)  # "X called ... and said"
        if phrase is None and verb.group().casefold() in INVERTIBLE and _inverted(
                text, start, verb.start()):
            phrase = _after(text, verb.end(), end, quotes)
        if phrase is None:
            continue
        denial = bool(DENIAL_VERB.fullmatch(verb.group()))
        found.append(Attribution(verb.start(), verb.end(), *phrase, verb.group(), denial))
    for match in ACCORDING.finditer(text, start, end):
        if _inside(match.start(), quotes):
            continue
        phrase_end = _phrase_end(text, match.end(), end)
        if phrase_end > match.end():
            found.append(Attribution(match.start(), match.end(), match.end(), phrase_end,
                                     "according to", False))
    return sorted(found, key=lambda a: a.verb_start)


def _inside(position: int, quotes: list[Quote]) -> bool:
    return any(q.start <= position < q.end for q in quotes)


def _coordinated(text: str, start: int, verb_start: int) -> bool:
    before = TOKEN.findall(text, start, verb_start)[-1:]
    return bool(before) and before[0].casefold() in ("and", "but")


def _inverted(text: str, start: int, verb_start: int) -> bool:
    """ "..., said Lavrov" and "“...,” said Lavrov": a comma or a closing quote first."""
    before = text[start:verb_start].rstrip()
    return before.endswith((",", "”", '"', "»", "“", "’"))


def _verb_like(text: str, start: int, verb: re.Match[str]) -> bool:
    """Lower-case ("United States" holds no verb), not after a determiner or possessive
    ("Russia’s state agency"), and not a bare noun-like stem."""
    word = verb.group()
    if not word[:1].islower() or word.casefold() in _NOUNLIKE:
        return False
    before = TOKEN.findall(text, start, verb.start())[-1:]
    after = TOKEN.findall(text, verb.end(), min(len(text), verb.end() + 20))[:1]
    if after and after[0].casefold() in _AUXILIARIES | {"of"}:
        return False  # "the claims were repeated", "member states of": a noun
    return not (before and (before[0].casefold() in _DETERMINERS or
                            before[0].endswith(("’s", "'s"))))


def _passive(text: str, start: int, verb: re.Match[str]) -> bool:
    """ "reported to be", "is expected", "was told": no speaker before the verb."""
    word = verb.group().casefold()
    if not (word.endswith("ed") or word in _PARTICIPLES):
        return False
    before = TOKEN.findall(text, start, verb.start())[-1:]
    return bool(before) and before[0].casefold() in _PASSIVE_BEFORE


def _subject(text: str, start: int, verb_start: int,
             quotes: list[Quote]) -> tuple[int, int] | None:
    """The noun phrase right before the verb: names, titles, possessives, a pronoun, and an
    appositive between commas ("Lavrov, Russia's foreign minister,")."""
    tokens = list(re.finditer(r"\w+(?:[.'’\-]\w+)*\.?|[,“”\"«»„]", text[start:verb_start]))
    phrase: list[re.Match[str]] = []
    commas = 0
    index = len(tokens) - 1
    while index >= 0 and tokens[index].group().casefold().rstrip(".") in SKIPPED and not phrase:
        index -= 1
    while index >= 0:
        word = tokens[index].group()
        folded = word.casefold().rstrip(".")
        if word == ",":
            if commas >= 2:
                break
            commas += 1  # "Lavrov, Russia's foreign minister, said"
        elif word in "“”\"«»„":
            break
        elif folded in PRONOUNS and not phrase:
            phrase.append(tokens[index])
            break
        elif _nominal(word, folded) or (not phrase and _plural_noun(word)):
            phrase.append(tokens[index])
        else:
            break
        index -= 1
    while phrase and phrase[-1].group() == ",":
        phrase.pop()
    if not phrase:
        return None
    first, last = phrase[-1], phrase[0]
    return start + first.start(), start + last.end()


def _plural_noun(word: str) -> bool:
    """ "advocates said", "critics warned": a plain plural right before the verb."""
    return word.islower() and len(word) > 3 and word.endswith("s") and not word.endswith("ss")


def _nominal(word: str, folded: str) -> bool:
    bare = re.sub(r"['’]s?$", "", folded)
    if "-" in bare and any(_nominal(part, part) for part in bare.split("-")):
        return True  # "vice-president", "director-general"
    if bare.endswith("s") and bare[:-1] in ROLE_WORDS:
        return True  # "diplomats", "officials"
    uncased = word[:1].isalpha() and not word[:1].islower() and not word[:1].isupper()
    return (word[:1].isupper() or uncased or bare in ROLE_WORDS or bare in PERSON_ROLES or
            bare in BODY_ROLES or folded in CONNECTORS or folded in ("the", "its", "his",
            "her", "their") or bare in DEMONYMS or bare.endswith(("men", "women")))


def _after(text: str, verb_end: int, end: int, quotes: list[Quote]) -> tuple[int, int] | None:
    """The speaker phrase after an inverted verb, up to a comma or the sentence's end."""
    stop = _phrase_end(text, verb_end, end)
    segment = text[verb_end:stop].strip()
    if not segment or _inside(verb_end + 1, quotes):
        return None
    words = segment.split()
    if not (words[0][:1].isupper() or words[0].casefold() == "the") or len(words) > 6:
        return None
    if not all(_nominal(w, w.casefold()) for w in words):
        return None
    lead = len(text[verb_end:stop]) - len(text[verb_end:stop].lstrip())
    return verb_end + lead, verb_end + lead + len(segment)


def _phrase_end(text: str, start: int, end: int) -> int:
    match = re.compile(r"[,;:.!?“”\"«»„()—–]|\s-\s|\bwho\b|\bwhich\b|\bthat\b").search(
        text, start, end)
    stop = match.start() if match else end
    # A stop inside an initialism ("U.S.") or a title ("Mr.") does not end the phrase.
    while match and text[match.start()] == "." and _abbreviated(text, match.start(), end):
        match = re.compile(r"[,;:!?“”\"«»„()—–]|\.(?=\s|$)").search(text, match.end(), end)
        stop = match.start() if match else end
    return stop


def _abbreviated(text: str, dot: int, end: int) -> bool:
    after = text[dot + 1:dot + 2]
    return (bool(after) and not after.isspace()) or bool(re.search(r"\b[A-Z]$", text[:dot]))
