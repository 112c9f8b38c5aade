"""Turning one input (a page, a JSON-LD file, a data set) into review records, and the
one-call import of several inputs: ``import_reviews``.

    from claims.reviews.importing import import_reviews, ReviewReadOptions
    with db.write() as session:
        summaries = import_reviews(session, [("page.html", data)], ReviewReadOptions())
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from claims.errors import ClaimsError, InvalidError, NotFoundError
from claims.reviews import jsonld, presets
from claims.reviews.records import from_claim_review
from claims.reviews.verdicts import label_key
from claims.reviews.writer import ReviewImporter, ReviewImportOptions, ReviewImportSummary
from claims.vocab import Status, parse_choice

Entry = tuple[int, str, Any]


@dataclass
class ReviewReadOptions:
    preset: str | None = None
    field_map: dict[str, str] = field(default_factory=dict)  # field -> path
    date_format: str | None = None
    publisher: str | None = None  # --by: for records that name no publisher
    header: bool = True
    import_options: ReviewImportOptions = field(default_factory=ReviewImportOptions)


def is_review_input(data: bytes, suffix: str, options: ReviewReadOptions) -> bool:
    """Whether an input goes through the review importer: a preset or a review field map,
    an HTML page, or JSON-LD holding ClaimReview (and none of our own records)."""
    if options.preset or options.field_map:
        return True
    if suffix in (".html", ".htm"):
        return True
    head = data[:4096].decode("utf-8", "replace")
    if jsonld.looks_like_html(head):
        return True
    return suffix in (".json", ".jsonld", ".jsonl", ".ndjson", "") and b"ClaimReview" in data \
        and b'"type": "claim"' not in data and b'"type":"claim"' not in data


def read_entries(data: bytes, label: str, options: ReviewReadOptions) -> Iterator[Entry]:
    if options.preset or options.field_map:
        yield from _mapped(data, label, options)
        return
    reviews, page = jsonld.find_reviews(jsonld.documents(data, label))
    if not reviews:
        raise InvalidError(f"{label} holds no ClaimReview (no JSON-LD block or record "
                           "of @type ClaimReview)", "nothing was imported")
    for number, node in enumerate(reviews, 1):
        try:
            yield number, str(node)[:2000], from_claim_review(node, page)
        except ClaimsError as exc:
            yield number, str(node)[:2000], str(exc)


def _mapped(data: bytes, label: str, options: ReviewReadOptions) -> Iterator[Entry]:
    spec = presets.preset(options.preset) if options.preset else presets.Preset(fields={})
    spec = presets.Preset(**{**spec.__dict__, "fields": {**spec.fields, **options.field_map},
                             "publisher": options.publisher or spec.publisher,
                             "header": spec.header and options.header})
    text = jsonld.decode(data, label)
    suffix = Path(label).suffix.lower()
    if spec.delimiter or suffix in (".csv", ".tsv", ".tab"):
        delimiter = spec.delimiter or ("," if suffix == ".csv" else "\t")
        rows = presets.tabular_values(text, spec, delimiter)
    else:
        rows = presets.json_values(_records(jsonld.parse_json(text, label)), spec)
    for number, raw, values in rows:
        try:
            yield number, raw, presets.record_from(values, spec, options.date_format)
        except ClaimsError as exc:
            yield number, raw, str(exc)


def _records(values: list[Any]) -> list[Any]:
    if len(values) == 1 and isinstance(values[0], list):
        return values[0]
    return values


def parse_label_map(specs: list[str], file: str | None = None) -> dict[str, Status]:
    """``LABEL=STATUS`` pairs (and a file of them, one a line, ``#`` comments) keyed by the
    one label normalisation (``verdicts.label_key``)."""
    lines = list(specs)
    if file:
        try:
            lines += [line for line in Path(file).read_text(encoding="utf-8").splitlines()
                      if line.strip() and not line.lstrip().startswith("#")]
        except OSError as exc:
            raise NotFoundError(f"cannot read {file!r}: {exc.strerror}", "check the path") \
                from None
    mapping: dict[str, Status] = {}
    for spec in lines:
        label, sep, status = spec.rpartition("=")
        if not sep or not label_key(label):
            raise InvalidError(f"cannot read status map {spec!r}",
                               "write LABEL=STATUS, e.g. pants-fire=false")
        mapping[label_key(label)] = parse_choice(Status, status, "status")
    return mapping


def import_reviews(session: Session, inputs: list[tuple[str, bytes]],
                   options: ReviewReadOptions,
                   on_reject: Callable[[int, str, str], None] | None = None,
                   ) -> list[tuple[str, ReviewImportSummary]]:
    """Import each input in turn inside the caller's transaction; a summary for each."""
    results = []
    for label, data in inputs:
        base = options.import_options
        importer = ReviewImporter(session, ReviewImportOptions(
            label=label, status_map=base.status_map, strict=base.strict,
            skip_invalid=base.skip_invalid, default_source=base.default_source), on_reject)
        results.append((label, importer.run(read_entries(data, label, options))))
    return results
