"""Writing imported records: in batches, with Core bulk statements, inside the caller's
transaction (``Database.write()``), so an import that stops half-way writes nothing.

Per batch the importer resolves every source key and entity name the batch mentions with
one query each (remembering the answers for the rest of the import), finds the claims the
records name with one query per kind of identity, then inserts the new claims, their
history, entities and tags with one ``executemany`` per table. Records that name a claim
already stored update it: a field the input leaves out is left alone, lists only grow, and
a status change becomes a new history row, never an overwrite.

Sources and entities given as records of their own are written in batches too
(``claims.io.definitions``), and links in bulk after each batch of claims, as soon as the
claims they join exist; a link to a claim further down the input waits for the end
(``claims.io.linking``). So memory stays flat however long the input.

Each batch runs in a savepoint. When a write fails there (a constraint the checks before it
did not foresee), the batch is rolled back and replayed one record at a time to find the
culprit, which is then rejected (``skip_invalid``) or reported as ``FILE:LINE: problem``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any, TypeVar

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from claims import store
from claims.duplicates import claims_by_text
from claims.errors import ClaimsError, InvalidError
from claims.io.batching import RecordError, new_ids
from claims.io.definitions import DefinitionWriter
from claims.io.linking import LinkWriter, PendingLink
from claims.io.records import (
    ClaimInput,
    EventInput,
    Item,
    SourceInput,
    parse_status,
    text_key,
)
from claims.lookup import no_source
from claims.models import (
    Claim,
    ClaimEntity,
    ClaimTag,
    Entity,
    EntityName,
    Source,
    StatusEvent,
    utcnow,
)
from claims.names import clean_name, name_key
from claims.parse import key_hash
from claims.sql import chunks
from claims.vocab import DEFAULT_STATUS, EntityKind, Status

__all__ = ["ImportOptions", "ImportSummary", "Importer", "RecordError", "Rejection"]

BATCH_SIZE = 1000
CLAIMS = Claim.__table__
HISTORY = StatusEvent.__table__
ABOUT = ClaimEntity.__table__
TAGS = ClaimTag.__table__
ENTITIES = Entity.__table__
NAMES = EntityName.__table__
T = TypeVar("T")


@dataclass
class ImportOptions:
    label: str = "<stdin>"  # the file name in FILE:LINE messages
    status_map: dict[str, Status] = field(default_factory=dict)  # label key -> status
    default_source: str | None = None  # --source: for records that name none
    skip_invalid: bool = False
    batch_size: int = BATCH_SIZE


@dataclass
class Rejection:
    line: int
    reason: str
    raw: str


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    entities_created: int = 0
    sources_created: int = 0
    links_created: int = 0

    def add(self, other: ImportSummary) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def records(self) -> int:
        return self.created + self.updated + self.unchanged + self.rejected


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
        return text_key(self.claim.text)

    @property
    def text_hash(self) -> int:
        return key_hash(self.text_key)

    @property
    def identity(self) -> tuple[str, ...]:
        if self.claim.external_id:
            return ("external", self.claim.external_id)
        return ("text", self.source_key, self.text_key)


class Importer:
    """Imports ``Item``s into the session's database. Use once per input."""

    def __init__(self, session: Session, options: ImportOptions,
                 on_reject: Callable[[Rejection], None] | None = None,
                 on_batch: Callable[[ImportSummary], None] | None = None) -> None:
        self.session = session
        self.options = options
        self.on_reject = on_reject
        self.on_batch = on_batch
        self.summary = ImportSummary()
        self.source_ids: dict[str, int] = {}
        self.entity_ids: dict[str, int] = {}  # name key -> entity id
        self.links: list[PendingLink] = []
        self.attempt_links: list[PendingLink] = []  # queued by the write in progress
        self.definitions = DefinitionWriter(session, self.source_ids, self.entity_ids)
        self.link_writer = LinkWriter(session, self._load_sources)

    # --- driving ----------------------------------------------------------------------

    def run(self, items: Iterable[Item]) -> ImportSummary:
        """Batches hold either claims or definitions (sources, entities), in file order."""
        batch: list[Item] = []
        for item in items:
            if item.error is not None:
                self._reject(item, item.error)
                continue
            if batch and (len(batch) >= self.options.batch_size
                          or _is_claim(item) != _is_claim(batch[0])):
                self._flush(batch)
                batch = []
            batch.append(item)
        self._flush(batch)
        self._write_links()
        return self.summary

    def _reject(self, item: Item, reason: str) -> None:
        if not self.options.skip_invalid:
            raise InvalidError(f"{self.options.label}:{item.line}: {reason}",
                               "nothing was imported; fix it, or pass --skip-invalid")
        self.summary.rejected += 1
        if self.on_reject is not None:
            self.on_reject(Rejection(item.line, reason, item.raw))

    def _flush(self, batch: list[Item]) -> None:
        if not batch:
            return
        if _is_claim(batch[0]):
            self._guarded(batch, self._write_claims, _itself)
            self._write_ready_links()
            if self.on_batch is not None:
                self.on_batch(self.summary)
        else:
            self._guarded(batch, self._write_definitions, _itself)

    def _guarded(self, batch: list[T], write: Callable[[list[T]], ImportSummary],
                 item_of: Callable[[T], Item]) -> None:
        """Writes the batch in a savepoint; on a failure, replays it entry by entry. Links
        the write queues are kept only once it has succeeded: a rolled-back attempt's
        links name claim ids that no longer exist."""
        self.attempt_links = []
        try:
            with self.session.begin_nested():
                delta = write(batch)
        except RecordError as exc:
            self._forget()
            if len(batch) == 1:
                self._reject(exc.item, exc.reason)
                return
            self._replay(batch, write, item_of)
            return
        except (ClaimsError, IntegrityError, DataError) as exc:
            self._forget()
            if len(batch) == 1:
                self._reject(item_of(batch[0]), _reason(exc))
                return
            self._replay(batch, write, item_of)
            return
        self.links.extend(self.attempt_links)
        self.summary.add(delta)

    def _replay(self, batch: list[T], write: Callable[[list[T]], ImportSummary],
                item_of: Callable[[T], Item]) -> None:
        for entry in batch:
            self._guarded([entry], write, item_of)

    def _forget(self) -> None:
        # A rolled-back savepoint may have taken rows these caches point at with it.
        self.source_ids.clear()
        self.entity_ids.clear()
        self.session.expire_all()

    # --- sources and entities given as records ----------------------------------------

    def _write_definitions(self, batch: list[Item]) -> ImportSummary:
        sources, entities = self.definitions.write(batch)
        return ImportSummary(sources_created=sources, entities_created=entities)

    def _create_source(self, spec: SourceInput, delta: ImportSummary) -> int:
        """A source a claim record describes inline (CSV, ClaimReview): rare, one by one."""
        source = store.add_source(
            self.session, spec.key, title=spec.title, outlet=spec.outlet, url=spec.url,
            published=spec.published, kind=spec.kind, via=spec.via, notes=spec.notes)
        delta.sources_created += 1
        self.source_ids[source.key] = source.id
        return source.id

    # --- claims -------------------------------------------------------------------------

    def _write_claims(self, batch: list[Item]) -> ImportSummary:
        delta = ImportSummary()
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
            self._queue_links(group)
        return delta

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
        self._load_sources(keys)
        for record in prepared:
            if record.source_key not in self.source_ids:
                spec = record.claim.source_spec
                if spec is None or spec.key != record.source_key:
                    raise RecordError(record.item, str(no_source(record.source_key)))
                self._create_source(spec, delta)
            for event in record.claim.history:
                if event.evidence and event.evidence not in self.source_ids:
                    raise RecordError(record.item, str(no_source(event.evidence)))
            record.source_id = self.source_ids[record.source_key]

    def _load_sources(self, keys: set[str]) -> dict[str, int]:
        missing = [k for k in keys if k not in self.source_ids]
        for chunk in chunks(missing):
            rows = self.session.execute(select(Source.key, Source.id).where(Source.key.in_(chunk)))
            self.source_ids.update({key: source_id for key, source_id in rows})
        return self.source_ids

    def _known_entities(self, names: Iterable[str]) -> dict[str, int]:
        """Entity ids by name key for these names (through aliases), from cache or one query."""
        keys = {name_key(n) for n in names}
        missing = [k for k in keys if k not in self.entity_ids]
        for chunk in chunks(missing):
            rows = self.session.execute(
                select(EntityName.key, EntityName.entity_id).where(EntityName.key.in_(chunk)))
            self.entity_ids.update({key: entity_id for key, entity_id in rows})
        return {k: self.entity_ids[k] for k in keys if k in self.entity_ids}

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
        known = self._known_entities(name for name, _ in kinds.values())
        new = [(key, name, kind) for key, (name, kind) in kinds.items() if key not in known]
        if not new:
            return
        now = utcnow()
        ids = self._new_ids(ENTITIES, len(new))
        self.session.execute(insert(ENTITIES), [
            {"id": entity_id, "name": name, "kind": kind, "description": None, "created_at": now}
            for entity_id, (_, name, kind) in zip(ids, new, strict=True)
        ])
        self.session.execute(insert(NAMES), [
            {"entity_id": entity_id, "name": name, "key": key}
            for entity_id, (key, name, _) in zip(ids, new, strict=True)
        ])
        self.entity_ids.update({key: entity_id for entity_id, (key, _, _)
                                in zip(ids, new, strict=True)})
        delta.entities_created += len(new)

    def _match(self, group: list[_Prepared]) -> None:
        """Find the stored claim each record names: by external id, else by source and text."""
        by_external = {p.claim.external_id: p for p in group if p.claim.external_id}
        for chunk in chunks(list(by_external)):
            rows = self.session.execute(
                select(Claim.external_id, Claim.id).where(Claim.external_id.in_(chunk)))
            for external_id, claim_id in rows:
                by_external[external_id].existing_id = claim_id
        by_text = {(p.source_id, p.text_key): p for p in group if not p.claim.external_id}
        for (source_id, key), claim_id in claims_by_text(self.session, by_text).items():
            by_text[source_id, key].existing_id = claim_id

    # --- inserting new claims -------------------------------------------------------------

    def _insert(self, new: list[_Prepared]) -> None:
        if not new:
            return
        now = utcnow()
        ids = self._new_ids(CLAIMS, len(new))
        rows = [{"id": claim_id, **self._claim_row(p, now)}
                for claim_id, p in zip(ids, new, strict=True)]
        self.session.execute(insert(CLAIMS), rows)
        events: list[dict[str, Any]] = []
        owners: list[int] = []  # for each claim, the index of its last event in ``events``
        for claim_id, record, row in zip(ids, new, rows, strict=True):
            record.existing_id = claim_id
            events.extend(self._event_rows(claim_id, None,
                                           _first_events(record, row["created_at"])))
            owners.append(len(events) - 1)
        self._insert_events(events, [(ids[i], owners[i]) for i in range(len(ids))])
        about = {(p.existing_id, self.entity_ids[name_key(n)]) for p in new for n in p.claim.about}
        if about:
            self.session.execute(insert(ABOUT), [{"claim_id": c, "entity_id": e}
                                                 for c, e in sorted(about)])
        tags = [{"claim_id": p.existing_id, "tag": t} for p in new for t in p.claim.tags]
        if tags:
            self.session.execute(insert(TAGS), tags)

    def _new_ids(self, table: Any, count: int) -> list[int]:
        return new_ids(self.session, table, count)

    def _claim_row(self, record: _Prepared, now: datetime) -> dict[str, Any]:
        claim = record.claim
        created = claim.created_at or now
        return {
            "text": claim.text,
            "text_hash": record.text_hash,
            "quote": claim.quote,
            "speaker_id": self.entity_ids[name_key(claim.speaker)] if claim.speaker else None,
            "source_id": record.source_id,
            "said_on": claim.said_on,
            "external_id": claim.external_id,
            "created_at": created,
            "updated_at": claim.updated_at or created,
            "status_event_id": None,
        }

    def _insert_events(self, events: list[dict[str, Any]],
                       current: Sequence[tuple[int, int]]) -> None:
        """Adds history rows, then points each claim at its newest one."""
        event_ids = self._new_ids(HISTORY, len(events))
        self.session.execute(insert(HISTORY), [{"id": event_id, **event} for event_id, event
                                               in zip(event_ids, events, strict=True)])
        self.session.execute(
            update(CLAIMS).where(CLAIMS.c.id == bindparam("claim"))
            .values(status_event_id=bindparam("event")),
            [{"claim": claim_id, "event": event_ids[index]} for claim_id, index in current],
        )

    def _event_rows(self, claim_id: int, current: str | None,
                    events: Sequence[EventInput]) -> list[dict[str, Any]]:
        """History rows, each ``from`` the status before it, so the chain is always whole."""
        rows = []
        previous = current
        for event in events:
            evidence = self.source_ids[event.evidence] if event.evidence else None
            rows.append({"claim_id": claim_id, "from_status": previous,
                         "to_status": event.to_status, "note": event.note,
                         "evidence_id": evidence, "at": event.at})
            previous = event.to_status
        return rows

    # --- updating stored claims -----------------------------------------------------------

    def _update_stored(self, records: list[_Prepared]) -> int:
        """Brings stored claims up to what their records say; returns how many changed.
        What is stored is read with one query per table for the whole group."""
        if not records:
            return 0
        ids = [r.existing_id for r in records]
        stored = {row.id: row for row in self.session.execute(
            select(CLAIMS, StatusEvent.to_status)
            .outerjoin(StatusEvent, StatusEvent.id == CLAIMS.c.status_event_id)
            .where(CLAIMS.c.id.in_(ids)))}
        about = _pairs(self.session, select(ClaimEntity.claim_id, ClaimEntity.entity_id)
                       .where(ClaimEntity.claim_id.in_(ids)))
        tags = _pairs(self.session, select(ClaimTag.claim_id, ClaimTag.tag)
                      .where(ClaimTag.claim_id.in_(ids)))
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
                self._insert_events(rows, [(record.existing_id, len(rows) - 1)])
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
            "speaker_id": self.entity_ids[name_key(claim.speaker)] if claim.speaker else None,
            "said_on": claim.said_on,
            "source_id": record.source_id if claim.source else None,
        }
        if text_key(stored.text) == record.text_key:
            del wanted["text"]  # the same text up to white space: keep the stored spelling
        changes = {name: value for name, value in wanted.items()
                   if value is not None and getattr(stored, name) != value}
        if "text" in changes:
            changes["text_hash"] = record.text_hash
        return changes

    def _add_missing(self, record: _Prepared, about: set[Any], tags: set[Any]) -> bool:
        """Adds the entities and tags the record names that the claim lacks; never removes."""
        claim_id = record.existing_id
        entities = {self.entity_ids[name_key(n)] for n in record.claim.about} - about
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

    def _queue_links(self, group: list[_Prepared]) -> None:
        for record in group:
            assert record.existing_id is not None
            if not record.claim.links:
                continue
            # Kept until the end of the input: keep the line and its text, not the parse.
            item = Item(record.item.line, record.item.raw)
            self.attempt_links.extend(PendingLink(item, record.existing_id, link)
                                      for link in record.claim.links)

    def _write_ready_links(self) -> None:
        """Writes the queued links whose target claims exist; the rest (a link to a claim
        further down the input) wait. Links mostly point back, so little is held in memory
        however long the input."""
        ready, self.links = self.link_writer.partition(self.links)
        self._write_link_batches(ready)

    def _write_links(self) -> None:
        """The links still waiting, once every claim of the input exists."""
        pending, self.links = self.links, []
        self._write_link_batches(pending)

    def _write_link_batches(self, pending: list[PendingLink]) -> None:
        for batch in chunks(pending, self.options.batch_size):
            self._guarded(list(batch), self._write_link_batch, _item_of_link)

    def _write_link_batch(self, batch: list[PendingLink]) -> ImportSummary:
        return ImportSummary(links_created=self.link_writer.write(batch))


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
            select(StatusEvent.claim_id, StatusEvent.to_status, StatusEvent.at)
            .where(StatusEvent.claim_id.in_(ids)).order_by(StatusEvent.id))
        for claim_id, to_status, at in rows:
            found[claim_id].append((to_status, at))
    return found


def _is_claim(item: Item) -> bool:
    return isinstance(item.payload, ClaimInput)


def _itself(item: Item) -> Item:
    return item


def _item_of_link(pending: PendingLink) -> Item:
    return pending.item


def _reason(exc: Exception) -> str:
    if isinstance(exc, ClaimsError):
        return str(exc)
    detail = str(getattr(exc, "orig", exc)).strip().splitlines()
    return f"rejected by the database: {detail[0] if detail else type(exc).__name__}"
