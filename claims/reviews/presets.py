"""Research data sets of fact-checked claims as reviews: ``--preset claimskg``,
``--preset liar``, and the generic field map (``--map PATH=FIELD``) for JSON/JSONL records
(dotted paths, ``claim.author.name``) and CSV/TSV columns (a header name or a 1-based
position).

Fields: text, text_fallback, speaker, speaker_kind, said_on, label, rating_value,
best_rating, worst_rating, publisher, url, published, author, byline_url, explanation,
language, source_url, tag.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from claims.errors import InvalidError
from claims.reviews.records import (
    Appearance,
    ReviewRecord,
    day_of,
    full_url,
    number_of,
    text_of,
)
from claims.vocab import EntityKind

FIELDS = ("text", "text_fallback", "speaker", "speaker_kind", "said_on", "label",
          "rating_value", "best_rating", "worst_rating", "publisher", "url", "published",
          "author", "byline_url", "explanation", "language", "source_url", "tag")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)+$")


@dataclass
class Preset:
    fields: dict[str, str]  # field -> path (column name, position, dotted path)
    publisher: str | None = None  # when no field names one
    publisher_names: dict[str, str] = field(default_factory=dict)  # data set id -> name
    slug_speakers: bool = False
    header: bool = True
    delimiter: str | None = None


# ClaimsKG (data.gesis.org/claimskg) CSV exports: ClaimReview flattened into columns.
# ``creativeWork_author_name`` is the claim's author in the schema, but several of the
# extractors put the fact-checker's byline there; the byline is recognised by the author
# page URL beside it (``claimReview_author_url``) or by being the publisher itself.
CLAIMSKG = Preset(
    fields={"text": "claimReview_claimReviewed", "text_fallback": "extra_title",
            "label": "rating_alternateName", "rating_value": "rating_ratingValue",
            "best_rating": "rating_bestRating", "worst_rating": "rating_worstRating",
            "speaker": "creativeWork_author_name", "said_on": "creativeWork_datePublished",
            "publisher": "claimReview_author_name", "url": "claimReview_url",
            "published": "claimReview_datePublished", "author": "claimReview_author",
            "byline_url": "claimReview_author_url", "tag": "extra_tags"},
    publisher_names={"factcheck_aap": "AAP FactCheck", "factcheck_afp": "AFP Fact Check",
                     "africacheck": "Africa Check", "checkyourfact": "Check Your Fact",
                     "fatabyyano": "Fatabyyano Platform", "fullfact": "Full Fact",
                     "politifact": "PolitiFact", "snopes": "Snopes",
                     "truthorfiction": "TruthOrFiction", "vishvanews": "Vishvas News"},
)
# LIAR (Wang 2017): PolitiFact statements, TSV without a header: id, label, statement,
# subjects, speaker (a slug), job, state, party, five counts, context.
LIAR = Preset(fields={"label": "2", "text": "3", "tag": "4", "speaker": "5"},
              publisher="PolitiFact", slug_speakers=True, header=False, delimiter="\t")
PRESETS = {"claimskg": CLAIMSKG, "liar": LIAR}


def preset(name: str) -> Preset:
    try:
        return PRESETS[name.strip().lower()]
    except KeyError:
        raise InvalidError(f"unknown preset {name!r}",
                           f"choose one of: {', '.join(PRESETS)}") from None


def parse_field_map(specs: list[str]) -> dict[str, str]:
    """``PATH=FIELD`` pairs, as ``--map`` takes them."""
    found: dict[str, str] = {}
    for spec in specs:
        path, sep, name = spec.rpartition("=")
        name = name.strip()
        if not sep or not path.strip() or name not in FIELDS:
            raise InvalidError(f"cannot read field map {spec!r}",
                               f"write PATH=FIELD; fields: {', '.join(FIELDS)}")
        found[name] = path.strip()
    return found


def readable(slug: str) -> str:
    """``donald-trump`` -> ``Donald Trump``: a data set's slug as the name it spells."""
    text = text_of(slug) or ""
    if not SLUG.match(text):
        return text
    return " ".join(part.capitalize() for part in text.split("-"))


def lookup(record: Any, path: str) -> Any:
    """A dotted path into a JSON record (``claim.author.name``; list items by number)."""
    current = record
    for part in path.split("."):
        if isinstance(current, list):
            current = current[int(part)] if part.isdigit() and int(part) < len(current) else None
        elif isinstance(current, dict):
            current = current.get(part)
        else:
            return None
    return current


def record_from(values: Mapping[str, Any], spec: Preset,
                date_format: str | None = None) -> ReviewRecord:
    def get(name: str) -> Any:
        return values.get(name)

    text = text_of(get("text"))
    notes = []
    if text is None and text_of(get("text_fallback")):
        text = text_of(get("text_fallback"))
        notes.append("the claim text is the fact-check's title")
    if text is None:
        raise InvalidError("the record has no claim text", "map a column to text")
    publisher = text_of(get("publisher"))
    publisher = spec.publisher_names.get((publisher or "").lower(), publisher) or spec.publisher
    if publisher is None:
        raise InvalidError("the record names no publisher",
                           "map a column to publisher, or give --by NAME")
    speaker = _unquoted(text_of(get("speaker")))
    author = text_of(get("author"))
    if speaker and _is_byline(speaker, text_of(get("byline_url")), publisher,
                              text_of(values.get("_publisher_id"))):
        author, speaker = author or speaker, None
    if speaker and spec.slug_speakers:
        speaker = readable(speaker)
    source_url = full_url(get("source_url"))
    tags = [t.strip() for t in (text_of(get("tag")) or "").split(",") if t.strip()]
    return ReviewRecord(
        text=text, publisher=publisher, url=full_url(get("url")),
        published=day_of(get("published"), date_format), label=text_of(get("label")),
        rating_value=number_of(get("rating_value")), best_rating=number_of(get("best_rating")),
        worst_rating=number_of(get("worst_rating")), explanation=text_of(get("explanation")),
        language=text_of(get("language")), author=author.split(",")[0].strip() if author
        else None, speaker=speaker,
        speaker_kind=text_of(get("speaker_kind")) or EntityKind.OTHER.value,
        said_on=day_of(get("said_on"), date_format),
        appearances=[Appearance(source_url)] if source_url else [],
        tags=[t for t in tags if len(t) <= 100][:20], notes=notes)


def _unquoted(text: str | None) -> str | None:
    return text.strip('"\u201c\u201d ') or None if text else None


def _is_byline(name: str, byline_url: str | None, publisher: str, publisher_id: str | None
               ) -> bool:
    squashed = re.sub(r"[^a-z0-9]", "", name.lower())
    if squashed in {re.sub(r"[^a-z0-9]", "", p.lower()) for p in (publisher, publisher_id or "")}:
        return True
    if byline_url:
        tail = re.sub(r"[^a-z0-9]", "", byline_url.lower().rstrip("/").rsplit("/", 1)[-1])
        return bool(tail) and (tail in squashed or squashed.startswith(tail))
    return False


def tabular_values(text: str, spec: Preset, delimiter: str) -> Iterator[tuple[int, str, Any]]:
    """(line, raw, values by field) for each row of CSV/TSV text. Research data sets hold
    cells longer than the csv module's default limit; the limit is raised for this read
    alone (it is the process's, and other readers keep theirs)."""
    previous = csv.field_size_limit(1 << 26)
    try:
        lines = text.splitlines(keepends=True)
        rows = csv.reader(lines, delimiter=delimiter) if delimiter != "\t" else (
            line.rstrip("\r\n").split("\t") for line in lines)
        header: list[str] | None = None
        for number, row in enumerate(rows, 1):
            if spec.header and header is None:
                header = row
                continue
            if not any(cell.strip() for cell in row):
                continue
            by_column = dict(zip(header, row, strict=False)) if header else {}
            values: dict[str, Any] = {}
            for name, path in spec.fields.items():
                if path.isdigit() and (header is None or path not in by_column):
                    index = int(path) - 1
                    values[name] = row[index] if 0 <= index < len(row) else None
                else:
                    values[name] = by_column.get(path)
            values["_publisher_id"] = by_column.get(spec.fields.get("publisher", ""), None)
            yield number, delimiter.join(row)[:2000], values

    finally:
        csv.field_size_limit(previous)

def json_values(records: list[Any], spec: Preset) -> Iterator[tuple[int, str, Any]]:
    for number, record in enumerate(records, 1):
        values = {name: lookup(record, path) for name, path in spec.fields.items()}
        yield number, str(record)[:2000], values
