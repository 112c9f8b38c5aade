"""Who a phrase names: a known entity, an unknown proper name, a country through its
demonym, or (for "he", "she", "the minister") the earlier speaker it refers back to."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from claims.extract.lexicon import TOKEN, Lexicon, Mention

PERSON = "person"
PRONOUNS = {"he": PERSON, "she": PERSON, "they": "group", "it": "body", "we": "group"}
# Role nouns: "the minister" refers to the last speaker called a minister, else the last
# person; "the agency" to the last body.
PERSON_ROLES = frozenset(
    [
        "minister", "president", "spokesman", "spokeswoman", "spokesperson", "official",
        "chief", "head", "director", "secretary", "governor", "ambassador", "envoy",
        "chancellor", "premier", "leader", "senator", "commissioner", "chairman", "chairwoman",
        "chair", "general", "commander", "mayor", "judge", "prosecutor", "analyst", "executive",
        "ceo", "economist", "researcher", "scientist", "diplomat", "adviser", "advisor",
        "expert"
    ]
)
BODY_ROLES = frozenset(
    [
        "ministry", "agency", "company", "government", "department", "office",
        "watchdog", "regulator", "group", "organisation", "organization", "council", "court",
        "bank", "committee", "commission", "firm", "union", "alliance", "authority",
        "authorities", "military", "army", "police", "intelligence", "forces",
        "services", "management", "analysts", "parliament", "report", "study",
        "statement", "survey"
    ]
)
ROLE_WORDS = PERSON_ROLES | BODY_ROLES | frozenset(
    [
        "foreign", "prime", "deputy", "vice", "state", "defence", "defense", "interior",
        "energy", "finance", "nuclear", "atomic", "energy", "press", "senior", "top", "former",
        "acting", "general", "director-general", "officials", "spokesmen", "executives",
        "minister's"
    ]
)
# English demonyms of countries, for "American officials" and "Iranian President ...".
DEMONYMS = {
    "american": "United States",
    "russian": "Russia", "iranian": "Iran", "israeli": "Israel", "german": "Germany",
    "italian": "Italy", "omani": "Oman", "ukrainian": "Ukraine", "chinese": "China",
    "french": "France", "british": "United Kingdom", "saudi": "Saudi Arabia",
    "japanese": "Japan", "indian": "India", "turkish": "Turkey", "european": "European Union",
    "qatari": "Qatar", "egyptian": "Egypt", "syrian": "Syria", "iraqi": "Iraq",
    "pakistani": "Pakistan", "canadian": "Canada", "mexican": "Mexico", "polish": "Poland",
    "spanish": "Spain", "brazilian": "Brazil", "korean": "South Korea", "emirati":
    "United Arab Emirates", "palestinian": "Palestine", "lebanese": "Lebanon",
}
# Capitalised words that start sentences or clauses but are not names.
NOT_NAMES = frozenset(
    [
        "the", "a", "an", "this", "that", "these", "those", "it", "its", "he", "she", "they",
        "we", "i", "his", "her", "their", "our", "in", "on", "at", "for", "but", "and", "or",
        "as", "after", "before", "when", "while", "if", "since", "though", "although",
        "however", "meanwhile", "initially", "also", "yet", "so", "still", "now", "then",
        "there", "here", "last", "next", "on", "monday", "tuesday", "wednesday", "thursday",
        "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june",
        "july", "august", "september", "october", "november", "december", "speaking", "asked",
        "according", "both", "some", "many", "most", "several", "other", "such", "what", "why",
        "how", "who", "where", "which", "mr", "mrs", "ms", "dr", "western", "eastern",
        "northern", "southern", "senior", "unnamed", "anonymous", "local", "regional"
    ]
)
CONNECTORS = frozenset([
    "of", "al", "el", "bin", "ibn", "de", "da", "di", "du", "von", "van", "der", "la", "le"
])
_POSSESSIVE = re.compile(r"['’]s?$")


@dataclass(frozen=True)
class Named:
    """A name found in a phrase: ``name`` is the entity's name when ``known``."""

    start: int
    end: int
    name: str
    kind: str | None
    known: bool
    possessive: bool


def names_in(text: str, start: int, end: int, lexicon: Lexicon,
             *, phrase: bool = False) -> list[Named]:
    """Known names, and runs of capitalised words no entity answers to, in text order.
    In a sentence a lone capitalised first word is no name ("Initially"); in a speaker
    ``phrase`` it is one ("Baghaei")."""
    known = lexicon.mentions(text, start, end)
    found = [_from_mention(m) for m in known]
    taken = [(m.start, m.end) for m in known]
    for run_start, run_end in _capitalised_runs(text, start, end, taken):
        named = _unknown(text, run_start, run_end, lexicon,
                         sentence_start=-1 if phrase else start)
        if named is not None:
            found.append(named)
    return sorted(found, key=lambda n: n.start)


def _from_mention(mention: Mention) -> Named:
    entry = mention.entry
    return Named(mention.start, mention.end, entry.name, entry.kind, True, mention.possessive)


def _capitalised_runs(text: str, start: int, end: int,
                      taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Runs of capitalised words, cut where a known name stands ("WMO | Secretary-General
    Celeste Saulo")."""
    runs: list[tuple[int, int]] = []
    run: list[re.Match[str]] = []
    for token in TOKEN.finditer(text, start, end):
        word = token.group()
        if any(s <= token.start() < e for s, e in taken):
            _close(run, runs)
            run = []
            continue
        gap = text[run[-1].end():token.start()] if run else " "
        joined = gap.strip() == "" and "\n" not in gap
        if (word[:1].isupper() and joined) or (word.casefold() in CONNECTORS and run and joined):
            run.append(token)
        else:
            _close(run, runs)
            run = [token] if word[:1].isupper() else []
    _close(run, runs)
    return runs


def _close(run: list[re.Match[str]], runs: list[tuple[int, int]]) -> None:
    while run and run[-1].group().casefold() in CONNECTORS:
        run.pop()
    if run:
        runs.append((run[0].start(), run[-1].end()))


def _unknown(text: str, start: int, end: int, lexicon: Lexicon,
             sentence_start: int) -> Named | None:
    """A capitalised run as a name, titles and demonyms dropped ("Foreign Minister Abbas
    Araghchi" is "Abbas Araghchi"); None when nothing name-like is left."""
    words = list(TOKEN.finditer(text, start, end))
    titles = [i for i, w in enumerate(words) if _is_role(w.group())]
    if titles and titles[-1] < len(words) - 1:
        words = words[titles[-1] + 1:]  # "UN Secretary-General Antonio Guterres"
        if words[0].group().casefold() in CONNECTORS:
            words = words[-2:]  # "Chief of Mortality Statistics Bob Anderson"
    while words and _is_title(words[0].group()):
        words.pop(0)
    if not words:
        return None
    first = words[0].group()
    if len(words) == 1 and (words[0].start() == sentence_start or
                            first.casefold().rstrip(".") in NOT_NAMES):
        return None
    if all(w.group().casefold().rstrip(".") in NOT_NAMES | ROLE_WORDS for w in words):
        return None
    surface = text[words[0].start():words[-1].end()].rstrip(".")
    possessive = bool(_POSSESSIVE.search(surface))
    name = _POSSESSIVE.sub("", surface) if possessive else surface
    return Named(words[0].start(), words[0].start() + len(surface), name, None, False,
                 possessive)


def _is_role(word: str) -> bool:
    parts = word.casefold().rstrip(".").split("-")
    return any(p in PERSON_ROLES for p in parts)


def _is_title(word: str) -> bool:
    folded = word.casefold().rstrip(".")
    return folded in ROLE_WORDS or folded in DEMONYMS or folded in NOT_NAMES


@dataclass
class Tracker:
    """The story's speakers so far, for resolving "he", "she" and "the minister"."""

    lexicon: Lexicon
    last_person: str | None = None
    last_body: str | None = None
    last_any: str | None = None
    roles: dict[str, str] = field(default_factory=dict)
    mentioned_person: str | None = None
    mentioned_body: str | None = None

    def remember(self, name: str, kind: str | None, phrase: str) -> None:
        person = kind == PERSON or (kind is None and len(name.split()) >= 2)
        if person:
            self.last_person = self.mentioned_person = name
        else:
            self.last_body = name
        self.last_any = name
        for word in _words(phrase):
            if word in PERSON_ROLES or word in BODY_ROLES:
                self.roles[word] = name

    def mentioned(self, names: list[Named]) -> None:
        """Names a sentence mentions: "the group" may refer to one of them later."""
        for named in names:
            if named.kind == PERSON or (named.kind is None and _person_like(named.name)):
                self.mentioned_person = named.name
            elif named.kind == "organization":
                self.mentioned_body = named.name

    def back_reference(self, phrase: str) -> str | None:
        """The speaker a pronoun or "the <role>" phrase refers to, or None."""
        words = [w for w in _words(phrase) if w not in ("the", "a", "an", "its", "his", "her")]
        if len(words) == 1 and words[0] in PRONOUNS:
            kind = PRONOUNS[words[0]]
            if kind == PERSON:  # the person named last, speaking or not
                return self.mentioned_person or self.last_person
            return self.last_body or self.mentioned_body or self.last_any
        head = next((w for w in reversed(words) if w in PERSON_ROLES or w in BODY_ROLES), None)
        if head is None or not phrase.casefold().lstrip().startswith(("the ", "its ")):
            return None
        if head in self.roles:
            return self.roles[head]
        if head in PERSON_ROLES:
            return self.last_person or self.mentioned_person
        return self.mentioned_body or self.last_body

    def demonym(self, phrase: str) -> str | None:
        """The country a phrase names by its demonym ("Iranian officials"), if known."""
        for word in _words(phrase):
            country = DEMONYMS.get(word)
            if country is not None:
                entry = self.lexicon.lookup(country)
                return entry.name if entry else None
        return None


_INSTITUTION_WORDS = BODY_ROLES | frozenset(
    ["city", "university", "institute", "centre", "center", "party", "news", "times", "post"])


def _person_like(name: str) -> bool:
    """An unknown name of two to four words, none of them an institution's."""
    words = _words(name)
    return 2 <= len(words) <= 4 and not any(w in _INSTITUTION_WORDS for w in words)


def _words(phrase: str) -> list[str]:
    return [w.casefold().rstrip(".") for w in TOKEN.findall(phrase)]
