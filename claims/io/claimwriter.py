"""Claim records written in bulk: matched to the stored claims they name, new ones
inserted, stored ones updated, their entities created, their links handed back.

Per batch: every source key and entity name the batch mentions is resolved with one query
each (through the ``IdCache``), the claims the records name are found with one query per
kind of identity, then the new claims, their history, entities and tags go in with one
``executemany`` per table. A record that names a claim already stored updates it: a field
the input leaves out is left alone, lists only grow, and a status change becomes a new
history row, never an overwrite. A source a claim record describes inline (CSV,
ClaimReview) is written by the ``DefinitionWriter``, as a source record would be.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from claims.audit.changesets import log_inserted, quietly
from claims.errors import ClaimsError, InvalidError
from claims.io.batching import ImportOptions, ImportSummary, RecordError, new_ids
from claims.io.definitions import DefinitionWriter
from claims.io.figures import write_claim_figures
from claims.io.ids import IdCache
from claims.io.items import ClaimInput, EventInput, Item, parse_status
from claims.io.linking import PendingLink
from claims.names import clean_name, name_key
from claims.parse import key_hash, normalise_text
from claims.reads.duplicates import claims_by_text
from claims.reads.lookup import no_source
from claims.schema.bulk import insert_rows, references_checked_after
from claims.schema.sql import chunks
from claims.schema.tables import (
    claim_entities,
    claim_tags,
    claims,
    entities,
    entity_names,
    status_history,
    utcnow,
)
from claims.schema.uniqueness import next_copies
from claims.vocab import DEFAULT_STATUS, EntityKind, Status
from claims.writes.statuses import NewStatus, chained_rows, point_at

CLAIMS: Any = claims
HISTORY: Any = status_history
ABOUT: Any = claim_entities
TAGS: Any = claim_tags
ENTITIES: Any = entities
NAMES: Any = entity_names


@dataclass
class _Prepared:
    """A claim record with its keys worked out, ready to be matched and written."""

    item: Item
    claim: ClaimInput
    source_key: str
    status: Status | None
    source_id: int = 0
    existing_id: int | None = None

    @cached_property
    def text_key(self) -> str:
        # Worked out once per record: normalising is a large share of an import's time.
        return normalise_text(self.claim.text)

    @property
    def text_hash(self) -> int:
        return key_hash(self.text_key)

    @property
    def identity(self) -> tuple[str, ...]:
        if self.claim.external_id:
            return ("external", self.claim.external_id)
        return ("text", self.source_key, self.text_key)


class ClaimWriter:
    """Writes batches of claim records. ``definitions`` writes the sources they describe."""

    def __init__(self, session: Session, options: ImportOptions, ids: IdCache,
                 definitions: DefinitionWriter) -> None:
        self.session = session
        self.options = options
        self.ids = ids
        self.definitions = definitions

    def write(self, batch: list[Item]) -> tuple[ImportSummary, list[PendingLink]]:
        """Writes a batch of claim records; returns what it did and the links they give,
        for the driver to keep once the batch's savepoint holds."""
        delta = ImportSummary()
        links: list[PendingLink] = []
        prepared = [self._prepare(item) for item in batch]
        self._resolve_sources(prepared, delta)
        for group in _without_repeats(prepared):
            self._match(group)
            self._resolve_entities(group, delta)
            stored = [p for p in group if p.existing_id is not None]
            new = [p for p in group if p.existing_id is None]
            self._insert(new)
            delta.created += len(new)
            changed = self._update_stored(stored)
            delta.updated += changed
            delta.unchanged += len(stored) - changed
            links += self._links(group)
            write_claim_figures(self.session, ((p.item, p.existing_id, p.claim) for p in group))
        return delta, links

    def _prepare(self, item: Item) -> _Prepared:
        claim = item.payload
        assert isinstance(claim, ClaimInput)
        try:
            status = self._status(claim)
            for name in [claim.speaker or "", *claim.about]:
                if name:
                    clean_name(name)
        except ClaimsError as exc:
            raise RecordError(item, str(exc)) from None
        source_key = claim.source or self.options.default_source
        if source_key is None:
            raise RecordError(item, "the record names no source "
                                    "(map a source column, or give --source KEY)")
        return _Prepared(item, claim, source_key, status)

    def _status(self, claim: ClaimInput) -> Status | None:
        if claim.status is None:
            return None
        try:
            return parse_status(claim.status, self.options.status_map)
        except InvalidError:
            if claim.status_fallback is None:
                raise
            return Status(claim.status_fallback)

    def _resolve_sources(self, prepared: list[_Prepared], delta: ImportSummary) -> None:
        keys = {p.source_key for p in prepared}
        keys |= {e.evidence for p in prepared for e in p.claim.history if e.evidence}
        self.ids.source_ids(keys)
        for record in prepared:
            if self.ids.source_id(record.source_key) is None:
                spec = record.claim.source_spec
                if spec is None or spec.key != record.source_key:
                    raise RecordError(record.item, str(no_source(record.source_key)))
                delta.sources_created += self.definitions.write_sources(
                    [Item(record.item.line, record.item.raw, spec)])
            for event in record.claim.history:
                if event.evidence and self.ids.source_id(event.evidence) is None:
                    raise RecordError(record.item, str(no_source(event.evidence)))
            source_id = self.ids.source_id(record.source_key)
            assert source_id is not None
            record.source_id = source_id

    def _resolve_entities(self, group: list[_Prepared], delta: ImportSummary) -> None:
        """Every name the group mentions gets an id; unknown names become new entities."""
        kinds: dict[str, tuple[str, str]] = {}  # key -> (display name, kind)
        for record in group:
            claim = record.claim
            if claim.speaker:
                kinds.setdefault(name_key(claim.speaker),
                                 (clean_name(claim.speaker), claim.speaker_kind or "other"))
            for name in claim.about:
                kinds.setdefault(name_key(name), (clean_name(name), EntityKind.OTHER.value))
        known = self.ids.entity_ids(name for name, _ in kinds.values())
        new = [(key, name, kind) for key, (name, kind) in kinds.items() if key not in known]
        if not new:
            return
        now = utcnow()
        ids = new_ids(self.session, ENTITIES, len(new))
        self.session.execute(insert(ENTITIES), [
            {"id": entity_id, "name": name, "kind": kind, "description": None, "created_at": now}
            for entity_id, (_, name, kind) in zip(ids, new, strict=True)
        ])
        self.session.execute(insert(NAMES), [
            {"entity_id": entity_id, "name": name, "key": key}
            for entity_id, (key, name, _) in zip(ids, new, strict=True)
        ])
        self.ids.add_names({key: entity_id for entity_id, (key, _, _)
                            in zip(ids, new, strict=True)})
        delta.entities_created += len(new)

    def _match(self, group: list[_Prepared]) -> None:
        """Find the stored claim each record names: by external id, else by source and text."""
        by_external = {p.claim.external_id: p for p in group if p.claim.external_id}
        for chunk in chunks(list(by_external)):
            rows = self.session.execute(
                select(CLAIMS.c.external_id, CLAIMS.c.id).where(CLAIMS.c.external_id.in_(chunk)))
            for external_id, claim_id in rows:
                by_external[external_id].existing_id = claim_id
        by_text = {(p.source_id, p.text_key): p for p in group if not p.claim.external_id}
        for (source_id, key), claim_id in claims_by_text(self.session, by_text).items():
            by_text[source_id, key].existing_id = claim_id

    # --- inserting new claims -------------------------------------------------------------

    def _insert(self, new: list[_Prepared]) -> None:
        """The batch's new claims with their history, entities and tags. Every row here is
        new in this change set, so the audit log gets ranges of ids rather than a row per
        row (``claims.audit.changesets.log_inserted``): most of what the log would cost an
        import."""
        if not new:
            return
        with quietly(self.session):
            ids, events, about = self._insert_quietly(new)
        log_inserted(self.session, "claims", ids)
        log_inserted(self.session, "status_history", events)
        for kind, pairs in (("claim_entities", about),
                            ("claim_tags", {(claim_id, t) for claim_id, p
                                            in zip(ids, new, strict=True)
                                            for t in p.claim.tags})):
            per_claim: dict[int, int] = defaultdict(int)
            for claim_id, _ in pairs:
                per_claim[claim_id] += 1
            log_inserted(self.session, kind, list(per_claim), list(per_claim.values()))

    def _insert_quietly(self, new: list[_Prepared]
                        ) -> tuple[list[int], list[int], set[tuple[int, int]]]:
        now = utcnow()
        ids = new_ids(self.session, CLAIMS, len(new))
        # A record without an external id was looked for by its text (``_match``).
        copies = next_copies(self.session, [(p.source_id, p.text_hash) for p in new],
                             [not p.claim.external_id for p in new])
        rows = [{"id": claim_id, **self._claim_row(p, now), "text_copy": copy}
                for claim_id, p, copy in zip(ids, new, copies, strict=True)]
        events: list[dict[str, Any]] = []
        newest: list[int] = []  # for each claim, the index of its last event in ``events``
        for claim_id, record, row in zip(ids, new, rows, strict=True):
            record.existing_id = claim_id
            events.extend(self._event_rows(claim_id, None,
                                           _first_events(record, row["created_at"])))
            newest.append(len(events) - 1)
        event_ids = new_ids(self.session, HISTORY, len(events))
        for row, index in zip(rows, newest, strict=True):
            row["status_event_id"] = event_ids[index]
        # Each claim is written once, already pointing at the event added after it (a
        # second pass setting the pointers wrote every claim row twice).
        with references_checked_after(self.session, CLAIMS.c.status_event_id):
            insert_rows(self.session, CLAIMS, rows)
            insert_rows(self.session, HISTORY, [{"id": event_id, **event} for event_id, event
                                                in zip(event_ids, events, strict=True)])
        about = {(claim_id, self.ids.entity_id(n))
                 for claim_id, p in zip(ids, new, strict=True) for n in p.claim.about}
        if about:
            insert_rows(self.session, ABOUT, [{"claim_id": c, "entity_id": e}
                                              for c, e in sorted(about)])
        tags = [{"claim_id": p.existing_id, "tag": t} for p in new for t in p.claim.tags]
        insert_rows(self.session, TAGS, tags)
        return ids, event_ids, about

    def _claim_row(self, record: _Prepared, now: datetime) -> dict[str, Any]:
        claim = record.claim
        created = claim.created_at or now
        return {
            "text": claim.text,
            "text_hash": record.text_hash,
            "quote": claim.quote,
            "speaker_id": self.ids.entity_id(claim.speaker) if claim.speaker else None,
            "source_id": record.source_id,
            "said_on": claim.said_on,
            "external_id": claim.external_id,
            "created_at": created,
            "updated_at": claim.updated_at or created,
        }

    def _insert_events(self, claim_id: int, events: list[dict[str, Any]]) -> None:
        """Adds a stored claim's new history rows, then points the claim at the newest."""
        event_ids = new_ids(self.session, HISTORY, len(events))
        insert_rows(self.session, HISTORY, [{"id": event_id, **event} for event_id, event
                                            in zip(event_ids, events, strict=True)])
        point_at(self.session, claim_id, event_ids[-1])

    def _event_rows(self, claim_id: int, current: str | None,
                    events: Sequence[EventInput]) -> list[dict[str, Any]]:
        """History rows, each ``from`` the status before it (``claims.writes.statuses``)."""
        return chained_rows(claim_id, current, [
            NewStatus(event.to_status, event.note,
                      self.ids.source_id(event.evidence) if event.evidence else None, event.at)
            for event in events])

    # --- updating stored claims -----------------------------------------------------------

    def _update_stored(self, records: list[_Prepared]) -> int:
        """Brings stored claims up to what their records say; returns how many changed.
        What is stored is read with one query per table for the whole group."""
        if not records:
            return 0
        ids = [r.existing_id for r in records]
        stored = {row.id: row for row in self.session.execute(
            select(CLAIMS, HISTORY.c.to_status)
            .outerjoin(HISTORY, HISTORY.c.id == CLAIMS.c.status_event_id)
            .where(CLAIMS.c.id.in_(ids)))}
        about = _pairs(self.session, select(ABOUT.c.claim_id, ABOUT.c.entity_id)
                       .where(ABOUT.c.claim_id.in_(ids)))
        tags = _pairs(self.session, select(TAGS.c.claim_id, TAGS.c.tag)
                      .where(TAGS.c.claim_id.in_(ids)))
        with_history = [r.existing_id for r in records if r.claim.history]
        history = _history(self.session, with_history)
        changed = 0
        for record in records:
            assert record.existing_id is not None
            row = stored[record.existing_id]
            changes = self._scalar_changes(record, row)
            added = self._add_missing(record, about.get(record.existing_id, set()),
                                      tags.get(record.existing_id, set()))
            events = self._new_events(record, row.to_status, history.get(record.existing_id, []))
            if events:
                rows = self._event_rows(record.existing_id, row.to_status, events)
                self._insert_events(record.existing_id, rows)
            if changes or added or events:
                changes["updated_at"] = record.claim.updated_at or utcnow()
                self.session.execute(
                    update(CLAIMS).where(CLAIMS.c.id == record.existing_id).values(**changes))
                changed += 1
        return changed

    def _scalar_changes(self, record: _Prepared, stored: Any) -> dict[str, Any]:
        claim = record.claim
        wanted = {
            "text": claim.text,
            "quote": claim.quote,
            "speaker_id": self.ids.entity_id(claim.speaker) if claim.speaker else None,
            "said_on": claim.said_on,
            "source_id": record.source_id if claim.source else None,
        }
        if normalise_text(stored.text) == record.text_key:
            del wanted["text"]  # the same text up to white space: keep the stored spelling
        changes = {name: value for name, value in wanted.items()
                   if value is not None and getattr(stored, name) != value}
        if "text" in changes:
            changes["text_hash"] = record.text_hash
        return changes

    def _add_missing(self, record: _Prepared, about: set[Any], tags: set[Any]) -> bool:
        """Adds the entities and tags the record names that the claim lacks; never removes."""
        claim_id = record.existing_id
        entities = {self.ids.entity_id(n) for n in record.claim.about} - about
        if entities:
            self.session.execute(insert(ABOUT), [{"claim_id": claim_id, "entity_id": e}
                                                 for e in sorted(entities)])
        new_tags = [t for t in record.claim.tags if t not in tags]
        if new_tags:
            self.session.execute(insert(TAGS), [{"claim_id": claim_id, "tag": t}
                                                for t in new_tags])
        return bool(entities or new_tags)

    def _new_events(self, record: _Prepared, current: str | None,
                    stored: list[tuple[str, datetime]]) -> list[EventInput]:
        """History given: the entries newer than every stored one. A bare status: one entry
        when it differs from the current status. Stored entries are never touched."""
        claim = record.claim
        if claim.history:
            seen = set(stored)
            last_at = stored[-1][1] if stored else None
            return [e for e in claim.history if (e.to_status, e.at) not in seen
                    and (last_at is None or e.at > last_at)]
        if record.status is not None and record.status.value != current:
            return [EventInput(record.status.value, claim.status_at or utcnow(),
                               note=claim.status_note)]
        return []

    # --- links ----------------------------------------------------------------------------

    @staticmethod
    def _links(group: list[_Prepared]) -> list[PendingLink]:
        links: list[PendingLink] = []
        for record in group:
            assert record.existing_id is not None
            if not record.claim.links:
                continue
            # Kept until the end of the input: keep the line and its text, not the parse.
            item = Item(record.item.line, record.item.raw)
            links += [PendingLink(item, record.existing_id, link) for link in record.claim.links]
        return links


# --- helpers ----------------------------------------------------------------------------


def _without_repeats(prepared: list[_Prepared]) -> Iterator[list[_Prepared]]:
    """Splits a batch so no group names one claim twice: the second mention must see the
    first one written, to update it rather than insert a duplicate."""
    group: list[_Prepared] = []
    seen: set[tuple[str, ...]] = set()
    for record in prepared:
        if record.identity in seen:
            yield group
            group, seen = [], set()
        group.append(record)
        seen.add(record.identity)
    if group:
        yield group


def _first_events(record: _Prepared, created_at: datetime) -> list[EventInput]:
    claim = record.claim
    if claim.history:
        return claim.history
    status = record.status or DEFAULT_STATUS
    return [EventInput(status.value, claim.status_at or created_at, note=claim.status_note)]


def _pairs(session: Session, query: Any) -> dict[int, set[Any]]:
    found: dict[int, set[Any]] = defaultdict(set)
    for key, value in session.execute(query):
        found[key].add(value)
    return found


def _history(session: Session, ids: list[Any]) -> dict[int, list[tuple[str, datetime]]]:
    found: dict[int, list[tuple[str, datetime]]] = defaultdict(list)
    if ids:
        rows = session.execute(
            select(HISTORY.c.claim_id, HISTORY.c.to_status, HISTORY.c.at)
            .where(HISTORY.c.claim_id.in_(ids)).order_by(HISTORY.c.id))
        for claim_id, to_status, at in rows:
            found[claim_id].append((to_status, at))
    return found
