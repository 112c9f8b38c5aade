"""Writing fact-checks read from pages, JSON-LD and data sets: claims matched by text,
reviews by claim, publisher and URL, all inside the caller's transaction.

A claim is matched to a stored one with the same text as ``claims add`` compares texts
(``parse.normalise_text``), from any source: the same claim checked by two publishers is
one claim with two reviews. Re-reading the same input changes nothing.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from claims.errors import ClaimsError, InvalidError
from claims.parse import clean_tag, clean_text, normalise_text
from claims.reads.duplicates import same_text_claims
from claims.reads.lookup import get_source
from claims.reviews import store as reviews
from claims.reviews.records import Appearance, ReviewRecord, host_of
from claims.reviews.verdicts import read_label, scaled
from claims.schema.models import Claim, ClaimTag
from claims.schema.tables import sources, utcnow
from claims.vocab import DEFAULT_STATUS, SourceKind, Status
from claims.writes import store


@dataclass
class ReviewImportOptions:
    label: str = "<stdin>"
    status_map: Mapping[str, Status] = field(default_factory=dict)  # label_key -> status
    strict: bool = False  # an unmapped label is a rejection
    skip_invalid: bool = False
    default_source: str | None = None  # --source: overrides where the claim appeared


@dataclass
class ReviewImportSummary:
    reviews_created: int = 0
    reviews_updated: int = 0
    reviews_unchanged: int = 0
    rejected: int = 0
    claims_created: int = 0
    claims_matched: int = 0
    entities_created: int = 0
    sources_created: int = 0
    unmapped: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)



Source = tuple[int, str, object]  # (line or position, raw text, ReviewRecord or error)


def verdict(record: ReviewRecord, status_map: Mapping[str, Status]
            ) -> tuple[str | None, Status | None, str | None]:
    """(label kept, our status or None when unmapped, explanation from a sentence label)."""
    label, status, explanation = (read_label(record.label, status_map) if record.label
                                  else (None, None, None))
    if status is None and record.rating_value is not None:
        best = 5.0 if record.best_rating is None else record.best_rating
        worst = 1.0 if record.worst_rating is None else record.worst_rating
        status = scaled(record.rating_value, best, worst)
    return label, status, explanation


class ReviewImporter:
    def __init__(self, session: Session, options: ReviewImportOptions,
                 on_reject: Callable[[int, str, str], None] | None = None) -> None:
        self.session = session
        self.options = options
        self.on_reject = on_reject
        self.summary = ReviewImportSummary()

    def run(self, entries: Iterable[Source]) -> ReviewImportSummary:
        for line, raw, record in entries:
            if isinstance(record, str):
                self._reject(line, raw, record)
                continue
            assert isinstance(record, ReviewRecord)
            try:
                with self.session.begin_nested():
                    self._write(record)
            except ClaimsError as exc:
                self._reject(line, raw, str(exc))
        return self.summary

    def _reject(self, line: int, raw: str, reason: str) -> None:
        if not self.options.skip_invalid:
            raise InvalidError(f"{self.options.label}:{line}: {reason}",
                               "nothing was imported; fix it, or pass --skip-invalid")
        self.summary.rejected += 1
        if self.on_reject is not None:
            self.on_reject(line, reason, raw)

    def _write(self, record: ReviewRecord) -> None:
        label, status, explanation = verdict(record, self.options.status_map)
        if status is None and record.label and self.options.strict:
            raise InvalidError(f"verdict label {record.label!r} is not mapped",
                               "map it with --status-map LABEL=STATUS, or drop --strict")
        claim_id = self._claim(record)
        result = reviews.add_review(self.session, claim_id, reviews.ReviewInput(
            rating=status or DEFAULT_STATUS, publisher=record.publisher, label=label,
            url=record.url, published=record.published,
            explanation=record.explanation or explanation, author=record.author,
            author_kind=record.author_kind, language=record.language,
            rating_value=record.rating_value, best_rating=record.best_rating,
            worst_rating=record.worst_rating))
        if status is None and record.label:
            self.summary.unmapped[record.label] += 1
        self.summary.entities_created += len(result.created_entities)
        self.summary.notes.extend(record.notes)
        if result.created:
            self.summary.reviews_created += 1
        elif result.changed:
            self.summary.reviews_updated += 1
        else:
            self.summary.reviews_unchanged += 1

    def _claim(self, record: ReviewRecord) -> int:
        found = same_text_claims(self.session, [normalise_text(record.text)])
        if found:
            self.summary.claims_matched += 1
            return found[0][0]
        created: list[str] = []
        claim_id = self._new_claim(record, created)
        self.summary.entities_created += len(created)
        self.summary.claims_created += 1
        return claim_id

    def _new_claim(self, record: ReviewRecord, created: list[str]) -> int:
        """The claim as ``claims add --force`` records it, without its search for similar
        claims (an import has already matched by text, and the search grows with the
        database)."""
        speaker = (reviews.entity_for(self.session, record.speaker, record.speaker_kind,
                                      created) if record.speaker else None)
        now = utcnow()
        claim = Claim(text=clean_text(record.text, "claim text", required=True),
                      source=get_source(self.session, self._source(record)),
                      said_on=record.said_on, speaker_id=speaker, created_at=now,
                      updated_at=now)
        claim.tag_rows = [ClaimTag(tag=t) for t in sorted({clean_tag(t) for t in record.tags})]
        self.session.add(claim)
        self.session.flush()
        store.set_status(self.session, claim.id, DEFAULT_STATUS)
        return claim.id

    def _source(self, record: ReviewRecord) -> str:
        """Where the claim appeared: --source, else its first appearance, else the review
        page itself; a URL already stored is that source."""
        if self.options.default_source:
            return self.options.default_source
        place = (record.appearances[0] if record.appearances
                 else Appearance(record.url, f"Fact check by {record.publisher}",
                                 record.publisher, record.published))
        if place.key and self.session.scalar(
                select(sources.c.id).where(sources.c.key == place.key)) is not None:
            return place.key
        if place.url:
            stored: str | None = self.session.scalar(
                select(sources.c.key).where(sources.c.url == place.url))
            if stored is not None:
                return stored
        # Nothing says where: one source per publisher stands for "its fact checks".
        key = place.key or (source_key(place.url) if place.url
                            else _slug(record.publisher) + "-fact-checks")
        if self.session.scalar(select(sources.c.id).where(sources.c.key == key)) is None:
            store.add_source(self.session, key,
                             title=place.title or place.url or f"Fact checks by {record.publisher}",
                             outlet=place.outlet or host_of(place.url) or record.publisher,
                             url=place.url, published=place.published,
                             kind=SourceKind.ARTICLE)
            self.summary.sources_created += 1
        return key


def source_key(basis: str) -> str:
    """A stable key for a URL: its host as a slug and a short hash of the whole."""
    digest = hashlib.sha1(basis.encode()).hexdigest()[:10]
    return f"{_slug(host_of(basis) or basis)}-{digest}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "work"
