"""Sources and entities given as records of their own, written in batches.

A run of such records is cut into groups in which no source key and no entity name or
alias occurs twice; a repeat starts a new group, so it meets the earlier record already
stored and updates it, exactly as when records were written one at a time. Per group:
one query finds the stored sources (or the owners of the names), the checks of
``claims.writes.rules`` run in Python in file order, and the new
rows go in with one ``executemany`` per table. A record that fails a check raises
``RecordError`` before anything of its group is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from claims.errors import ClaimsError, ConflictError
from claims.io.batching import RecordError, new_ids
from claims.io.ids import IdCache
from claims.io.items import EntityInput, Item, SourceInput
from claims.names import clean_name, name_key
from claims.parse import clean_text
from claims.reads.lookup import no_source
from claims.schema.bulk import insert_rows
from claims.schema.models import Entity, EntityName, Source
from claims.schema.sql import chunks
from claims.schema.tables import utcnow
from claims.vocab import EntityKind, parse_choice
from claims.writes import rules

SOURCES: Any = Source.__table__
ENTITIES: Any = Entity.__table__
NAMES: Any = EntityName.__table__
SOURCE_FIELDS = ("title", "outlet", "url", "published", "kind", "notes")


class DefinitionWriter:
    """Writes source and entity records, recording the ids it meets in ``ids``."""

    def __init__(self, session: Session, ids: IdCache) -> None:
        self.session = session
        self.ids = ids

    def write(self, batch: list[Item]) -> tuple[int, int]:
        """Returns how many sources and how many entities were created."""
        sources = entities = 0
        for group in _groups(batch):
            sources += self.write_sources([i for i in group if isinstance(i.payload, SourceInput)])
            entities += self._write_entities(
                [i for i in group if isinstance(i.payload, EntityInput)])
        return sources, entities

    # --- sources ----------------------------------------------------------------------------

    def write_sources(self, items: list[Item]) -> int:
        """Source records (none naming one key twice); returns how many were created."""
        if not items:
            return 0
        specs = [_source_spec(item) for item in items]
        stored = self._stored_sources([s.key for s in specs])
        self.ids.source_ids({s.via for s in specs if s.via})
        new = [(item, spec) for item, spec in zip(items, specs, strict=True)
               if spec.key not in stored]
        taken_urls = self._taken_urls([spec.url for _, spec in new if spec.url])
        ids = iter(new_ids(self.session, SOURCES, len(new)))
        now = utcnow()
        rows: list[dict[str, Any]] = []
        for item, spec in zip(items, specs, strict=True):
            if spec.key in stored:
                self._update_source(item, spec, stored[spec.key])
                continue
            rows.append(self._new_source_row(item, spec, next(ids), taken_urls, now))
        insert_rows(self.session, SOURCES, rows)
        return len(rows)

    def _stored_sources(self, keys: list[str]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for chunk in chunks(keys):
            found.update({row.key: row for row in self.session.execute(
                select(SOURCES).where(SOURCES.c.key.in_(chunk)))})
        for key, row in found.items():
            self.ids.add_source(key, row.id)
        return found

    def _taken_urls(self, urls: list[str]) -> dict[str, str]:
        """URL -> the key of the stored source that has it."""
        taken: dict[str, str] = {}
        for chunk in chunks(urls):
            rows = self.session.execute(
                select(SOURCES.c.url, SOURCES.c.key).where(SOURCES.c.url.in_(chunk)))
            taken.update({url: key for url, key in rows})
        return taken

    def _via_id(self, item: Item, via: str | None) -> int | None:
        if via is None:
            return None
        via_id = self.ids.source_id(via)
        if via_id is None:
            # The exporter writes every source after the one it came via.
            raise _record_error(item, no_source(via))
        return via_id

    def _new_source_row(self, item: Item, spec: SourceInput, source_id: int,
                        taken_urls: dict[str, str], now: datetime) -> dict[str, Any]:
        if spec.url:
            try:
                rules.check_url_free(taken_urls.get(spec.url))
            except ConflictError as exc:
                raise _record_error(item, exc) from None
        via_id = self._via_id(item, spec.via)
        if spec.url:
            taken_urls[spec.url] = spec.key
        self.ids.add_source(spec.key, source_id)
        return {"id": source_id, "key": spec.key, "title": spec.title, "outlet": spec.outlet,
                "url": spec.url, "published": spec.published, "kind": spec.kind,
                "via_id": via_id, "notes": spec.notes, "created_at": now}

    def _update_source(self, item: Item, spec: SourceInput, stored: Any) -> None:
        """A known key: fields the record gives replace the stored ones; none are blanked."""
        changes = {name: getattr(spec, name) for name in SOURCE_FIELDS
                   if getattr(spec, name) is not None
                   and getattr(stored, name) != getattr(spec, name)}
        via_id = self._via_id(item, spec.via)
        if via_id is not None and stored.via_id != via_id:
            changes["via_id"] = via_id
        if changes:
            self.session.execute(update(SOURCES).where(SOURCES.c.id == stored.id)
                                 .values(**changes))

    # --- entities ---------------------------------------------------------------------------

    def _write_entities(self, items: list[Item]) -> int:
        if not items:
            return 0
        specs = [_entity_spec(item) for item in items]
        owners = self._owners({name_key(n) for s in specs for n in [s.name, *s.aliases]})
        new = [spec for spec in specs if name_key(spec.name) not in owners]
        ids = iter(new_ids(self.session, ENTITIES, len(new)))
        stored = self._stored_entities({owners[name_key(s.name)] for s in specs
                                        if name_key(s.name) in owners})
        now = utcnow()
        entity_rows: list[dict[str, Any]] = []
        name_rows: list[dict[str, Any]] = []
        for item, spec in zip(items, specs, strict=True):
            entity_id = owners.get(name_key(spec.name))
            if entity_id is None:
                entity_id = next(ids)
                entity_rows.append({"id": entity_id, "name": spec.name,
                                    "kind": spec.kind or EntityKind.OTHER.value,
                                    "description": spec.description, "created_at": now})
                names = [spec.name, *spec.aliases]
            else:
                self._update_entity(spec, stored[entity_id])
                names = spec.aliases
            name_rows += self._name_rows(item, entity_id, names, owners,
                                         is_new=entity_id not in stored)
        insert_rows(self.session, ENTITIES, entity_rows)
        insert_rows(self.session, NAMES, name_rows)
        self.ids.add_names({row["key"]: row["entity_id"] for row in name_rows})
        return len(entity_rows)

    def _owners(self, keys: set[str]) -> dict[str, int]:
        """The entity each of these name keys belongs to, for those already stored."""
        return self.ids.entity_ids(keys, keyed=True)

    def _stored_entities(self, ids: set[int]) -> dict[int, Any]:
        found: dict[int, Any] = {}
        for chunk in chunks(sorted(ids)):
            found.update({row.id: row for row in self.session.execute(
                select(ENTITIES).where(ENTITIES.c.id.in_(chunk)))})
        return found

    def _update_entity(self, spec: EntityInput, stored: Any) -> None:
        changes = {name: getattr(spec, name) for name in ("kind", "description")
                   if getattr(spec, name) is not None
                   and getattr(stored, name) != getattr(spec, name)}
        if changes:
            self.session.execute(update(ENTITIES).where(ENTITIES.c.id == stored.id)
                                 .values(**changes))

    def _name_rows(self, item: Item, entity_id: int, names: list[str], owners: dict[str, int],
                   *, is_new: bool) -> list[dict[str, Any]]:
        """Rows for the names not yet the entity's. A name that is another entity's, or one
        a new entity is given twice, is the record's error, worded as ``store.add_entity``
        words it; a stored entity's own alias given again is simply there already."""
        rows: list[dict[str, Any]] = []
        for display in names:
            key = name_key(display)
            owner = owners.get(key)
            if owner is None:
                owners[key] = entity_id
                rows.append({"entity_id": entity_id, "name": display, "key": key})
            elif owner != entity_id:
                raise self._taken(item, display, self._entity_name(owner))
            elif is_new:
                raise self._taken(item, display, None)
        return rows

    def _entity_name(self, entity_id: int) -> str:
        name = self.session.scalar(select(ENTITIES.c.name).where(ENTITIES.c.id == entity_id))
        return str(name)

    @staticmethod
    def _taken(item: Item, display: str, owner: str | None) -> RecordError:
        try:
            rules.check_name_free(display, owner, own=owner is None)
        except ConflictError as exc:
            return _record_error(item, exc)
        raise AssertionError("a taken name is always an error")


# --- helpers ----------------------------------------------------------------------------


def _groups(batch: list[Item]) -> Iterator[list[Item]]:
    """Splits a run of definitions so that no group names one source or one name twice."""
    group: list[Item] = []
    seen: set[tuple[str, str]] = set()
    for item in batch:
        keys = _keys(item.payload)
        if keys & seen:
            yield group
            group, seen = [], set()
        group.append(item)
        seen |= keys
    if group:
        yield group


def _keys(payload: object) -> set[tuple[str, str]]:
    if isinstance(payload, SourceInput):
        return {("source", payload.key)}
    if isinstance(payload, EntityInput):
        return {("name", name_key(n)) for n in [payload.name, *payload.aliases]}
    return set()


def _source_spec(item: Item) -> SourceInput:
    """The record with the checks of every new source made (``rules.source_fields``)."""
    spec = item.payload
    assert isinstance(spec, SourceInput)
    try:
        fields = rules.source_fields(spec.key, title=spec.title, outlet=spec.outlet,
                                     url=spec.url, published=spec.published, kind=spec.kind,
                                     via=spec.via, notes=spec.notes)
    except ClaimsError as exc:
        raise _record_error(item, exc) from None
    return SourceInput(**vars(fields))


def _entity_spec(item: Item) -> EntityInput:
    """The record with the checks of ``store.add_entity`` made."""
    spec = item.payload
    assert isinstance(spec, EntityInput)
    try:
        return EntityInput(
            name=clean_name(spec.name),
            kind=parse_choice(EntityKind, spec.kind, "entity kind").value if spec.kind else None,
            description=clean_text(spec.description, "description"),
            aliases=[clean_name(alias, "alias") for alias in spec.aliases],
        )
    except ClaimsError as exc:
        raise _record_error(item, exc) from None


def _record_error(item: Item, exc: ClaimsError) -> RecordError:
    return RecordError(item, str(exc))
