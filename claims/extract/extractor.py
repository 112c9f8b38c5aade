"""From a story's text to candidate claims: sentence by sentence, rules only."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from claims.extract.attribution import Attribution, attributions
from claims.extract.filters import dateline_length, rejection
from claims.extract.kinds import (
    DENIAL_CLAUSE,
    LABEL_CLAUSE,
    clause_end,
    has_denial,
    has_figure,
    has_prediction,
)
from claims.extract.lexicon import Lexicon
from claims.extract.model import Candidate, Kind, Span
from claims.extract.quotes import Quote, find_quotes
from claims.extract.scoring import score
from claims.extract.sentences import Sentence, split_sentences
from claims.extract.speakers import PERSON, Named, Tracker, names_in

REFERENT_HEADS = frozenset(
    [
        "agreement", "treaty", "deal", "accord", "pact", "plan", "plant", "programme",
        "program", "project", "report", "law", "bill", "decision", "ruling", "fine", "fines",
        "company", "companies", "government", "ministry", "agency", "bank", "court", "board",
        "committee", "commission", "group", "talks", "reactor", "reactors", "site", "facility"
    ]
)
_REFERENT = re.compile(r"(?:The|This|That|Its|Their|These)\s+(\w+)(?:\s+(\w+))?")
# Counting words and records make a sentence checkable without digits or names.
_MEASURE = re.compile(
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
    r"fifty|hundred|thousand|million|billion|dozens?|half|third|quarter|doubled|tripled|"
    r"halved|on record|record|highest|lowest|largest|smallest|biggest|warmest|hottest|"
    r"coldest|deadliest|fastest|slowest)\b", re.IGNORECASE)
# A quotation of fewer words is a label or a scare quote ("a “disaster”"), not a statement.
QUOTE_MIN_WORDS = 4


@dataclass
class _Context:
    text: str
    lexicon: Lexicon
    tracker: Tracker
    said_on: str | None
    surnames: dict[str, str]
    last_speaker: tuple[int, str | None] = (-1, None)  # (paragraph, speaker)


def extract_claims(
    text: str, lexicon: Lexicon | None = None, *, said_on: str | None = None,
    min_score: float = 0.0,
) -> list[Candidate]:
    """Candidate claims of a story, in text order. ``lexicon`` holds the known names
    (``Lexicon.from_database``); without one, speakers are the names as written."""
    from claims.parse import parse_date

    day = parse_date(said_on, "said-on date")
    lexicon = lexicon or Lexicon()
    context = _Context(text, lexicon, Tracker(lexicon), day.isoformat() if day else None, {})
    sentences = split_sentences(text)
    per_paragraph = Counter(s.paragraph for s in sentences)
    found: list[Candidate] = []
    seen: set[str] = set()
    for sentence in sentences:
        for candidate in _sentence(context, sentence, per_paragraph[sentence.paragraph]):
            key = " ".join(candidate.text.casefold().split())
            if candidate.score >= min_score and key not in seen:
                seen.add(key)
                found.append(candidate)
    return found


def _sentence(context: _Context, sentence: Sentence, paragraph_size: int) -> list[Candidate]:
    text = context.text
    start = sentence.start + dateline_length(sentence)
    end = sentence.end
    names = names_in(text, start, end, context.lexicon)
    _learn_names(context, names)
    if rejection(sentence, text[start:end], paragraph_size):
        return []
    found = _candidates(context, sentence, start, end, names)
    context.tracker.mentioned(names)
    return found


def _candidates(context: _Context, sentence: Sentence, start: int, end: int,
                names: list[Named]) -> list[Candidate]:
    text = context.text
    quotes = find_quotes(text, start, end)
    attrs = attributions(text, start, end, quotes)
    found: list[Candidate] = []
    taken: list[tuple[int, int]] = []
    denial = _denial_clause(context, start, end, attrs)
    if denial is not None:
        found.append(denial)
        taken.append((denial.span.start, denial.span.end))
    label = _label_clause(context, start, end, quotes, names)
    if label is not None:
        found.append(label)
        taken.append((label.span.start, label.span.end))
    main_attrs = [a for a in attrs if not any(s <= a.verb_start < e for s, e in taken)]
    main = _main(context, sentence, start, end, quotes, main_attrs, names)
    if main is not None:
        found.insert(0, main)
    return found


def _main(context: _Context, sentence: Sentence, start: int, end: int, quotes: list[Quote],
          attrs: list[Attribution], names: list[Named]) -> Candidate | None:
    text = context.text
    body = text[start:end]
    spoken = [q for q in quotes if q.words >= QUOTE_MIN_WORDS]
    primary = _primary(attrs, spoken)
    speaker = _speaker(context, primary) if primary else None
    if speaker is None:
        speaker = next((s for a in attrs if a.verb == "according to"
                        for s in [_speaker(context, a)] if s), None)
    if spoken and primary is None and context.last_speaker[0] == sentence.paragraph:
        speaker = context.last_speaker[1]  # “A,” he said. “B.”: B is his too
    kind = _kind(body, spoken, primary, speaker)
    if kind is None:
        if not _checkable(body, names):
            return None
        kind = Kind.ASSERTION
    if kind in (Kind.QUOTE, Kind.ATTRIBUTED, Kind.DENIAL):
        context.last_speaker = (sentence.paragraph, speaker)
    return _candidate(context, start, end, kind, speaker, _quote_text(spoken, primary), names)


def _primary(attrs: list[Attribution], spoken: list[Quote]) -> Attribution | None:
    """The reporting verb the sentence's content hangs on: one next to a quotation first."""
    verbs = [a for a in attrs if a.verb != "according to"]
    for attr in verbs:
        if any(abs(attr.verb_start - q.end) < 60 or abs(q.start - attr.verb_end) < 60
               for q in spoken):
            return attr
    return verbs[0] if verbs else (attrs[0] if attrs else None)


def _kind(body: str, spoken: list[Quote], primary: Attribution | None,
          speaker: str | None) -> Kind | None:
    if spoken and (primary is not None or speaker is not None):
        return Kind.QUOTE
    if primary is not None and primary.denial:
        return Kind.DENIAL
    if primary is not None:
        return Kind.ATTRIBUTED
    if has_denial(body):
        return Kind.DENIAL
    if has_figure(body):
        return Kind.FIGURE
    if has_prediction(body):
        return Kind.PREDICTION
    return None


def _checkable(body: str, names: list[Named]) -> bool:
    """The outlet's own statement is proposed when it names someone, dates something, or
    refers back to something named ("The agreement outlines ...")."""
    if names or any(ch.isdigit() for ch in body) or _MEASURE.search(body):
        return True
    match = _REFERENT.match(body)
    return match is not None and any(w and w.casefold() in REFERENT_HEADS for w in match.groups())


def _quote_text(spoken: list[Quote], primary: Attribution | None) -> str | None:
    if not spoken:
        return None
    if (len(spoken) >= 2 and primary is not None
            and spoken[0].end <= primary.verb_start < spoken[1].start):
        return " … ".join(q.text.rstrip(",") for q in spoken[:2])  # “A,” she said, “B.”
    return max(spoken, key=lambda q: q.words).text.rstrip(",")  # “A,” he said: no comma


def _denial_clause(context: _Context, start: int, end: int,
                   attrs: list[Attribution]) -> Candidate | None:
    match = DENIAL_CLAUSE.search(context.text, start, end)
    if match is None or match.start() - start < 20:
        return None
    clause_start = match.end()
    stop = clause_end(context.text, clause_start, end)
    attr = next((a for a in attrs if a.denial and clause_start <= a.verb_start < stop), None)
    if attr is None:
        return None
    speaker = _speaker(context, attr)
    names = names_in(context.text, clause_start, stop, context.lexicon)
    return _candidate(context, clause_start, stop, Kind.DENIAL, speaker, None, names)


def _label_clause(context: _Context, start: int, end: int, quotes: list[Quote],
                  names: list[Named]) -> Candidate | None:
    """ "..., labeling it a “disaster”": the label is the nearest earlier person's."""
    for match in LABEL_CLAUSE.finditer(context.text, start, end):
        quote = next((q for q in quotes if q.start > match.end() and
                      q.words < QUOTE_MIN_WORDS and q.start - match.end() < 40), None)
        if quote is None:
            continue
        before = [n for n in names if n.end <= match.start()]
        people = [n for n in before if n.kind == PERSON]
        nearest = people or before
        speaker = _full_name(context, nearest[-1]) if nearest else None
        clause_start = match.start() + 1
        while context.text[clause_start].isspace():
            clause_start += 1
        return _candidate(context, clause_start, quote.end, Kind.QUOTE, speaker, quote.text,
                          [n for n in names if n.start >= clause_start])
    return None


def _speaker(context: _Context, attr: Attribution) -> str | None:
    """The speaker an attribution's phrase names, as an entity name where known."""
    text = context.text
    phrase = text[attr.phrase_slice]
    names = names_in(text, attr.phrase_start, attr.phrase_end, context.lexicon, phrase=True)
    names = [n for n in names if n.known or not _adjective(text, n, attr.phrase_end)]
    own = [n for n in names if not n.possessive]
    comma = phrase.find(",")
    head = [n for n in own if comma > 0 and n.end <= attr.phrase_start + comma]
    # "Masina, mayor of the City of Ekurhuleni, said": the name before the appositive.
    preferred = head or own or names
    if preferred:
        chosen = preferred[-1]
        speaker = _full_name(context, chosen)
        context.tracker.remember(speaker, chosen.kind, phrase)
        return speaker
    return context.tracker.back_reference(phrase) or context.tracker.demonym(phrase)


def _adjective(text: str, named: Named, phrase_end: int) -> bool:
    """ "Business groups", "Western diplomats": one capitalised word before a plural
    group noun describes the speakers and names no one."""
    if len(named.name.split()) > 1:
        return False
    following = text[named.end:phrase_end].split()[:1]
    return bool(following) and following[0].islower() and following[0].endswith("s")


def _full_name(context: _Context, named: Named) -> str:
    """An unknown surname said again ("Grossi") is the full name said first."""
    if named.known:
        return named.name
    return context.surnames.get(named.name.casefold(), named.name)


def _learn_names(context: _Context, names: list[Named]) -> None:
    for named in names:
        if not named.known and len(named.name.split()) >= 2:
            context.surnames.setdefault(named.name.split()[-1].casefold(), named.name)


def _candidate(context: _Context, start: int, end: int, kind: Kind, speaker: str | None,
               quote: str | None, names: list[Named]) -> Candidate:
    text = context.text[start:end].strip().rstrip(",;:—– ")
    if text and text[0].islower():
        text = text[0].upper() + text[1:]
    about = sorted({n.name for n in names if n.known and n.name != speaker})
    unknown = sorted({_full_name(context, n) for n in names if not n.known} - {speaker or ""})
    return Candidate(
        text=text, kind=kind, span=Span(start, end), quote=quote, speaker=speaker,
        about=about, unknown_names=unknown, said_on=context.said_on,
        score=score(kind, speaker, about, text, quote),
    )
