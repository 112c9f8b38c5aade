"""Reads. A ``ClaimFilter`` becomes one ``select()`` of claim ids; records are plain dicts
with the documented, stable JSON field names (docs: "JSON records").

Written against the Core tables of ``claims.schema.tables``, not the ORM classes: every function
takes an ORM ``Session`` (``Database.read()``) or a Core ``Connection``
(``Database.connect()``), and ``claims list`` uses the latter so that a process that only
lists claims never imports or configures the ORM (issue 5's start-up budget). The few
functions that load ORM objects import what they need when called.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, func, literal_column, select, union

from claims.names import entity_id_for
from claims.parse import clean_tag, parse_date
from claims.reads import records
from claims.reads.lookup import get_source, require_claim, source_id_for
from claims.reads.records import Record, claim_links, claim_records, history_records
from claims.schema.sql import Reader
from claims.schema.tables import (
    claim_entities,
    claim_tags,
    claims,
    entities,
    sources,
    status_history,
)
from claims.vocab import EntityKind, Status, parse_choice

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from claims.schema.models import Entity, Source



@dataclass
class ClaimFilter:
    """What ``claims list`` (and search, export) narrow claims down by. All parts combine."""

    entity: str | None = None  # about it or spoken by it
    about: Sequence[str] = ()  # about every one of these
    speaker: str | None = None
    source: str | None = None
    statuses: Sequence[str | Status] = ()
    tag: str | None = None
    tags: Sequence[str] = ()  # every one of these, as ``about``
    since: str | date | None = None
    until: str | date | None = None
    limit: int | None = None
    offset: int = 0
    extra: list[Any] = field(default_factory=list)  # further WHERE clauses from callers
    sort: str | None = None  # a claims.reads.sorting.SortKey; None: id (a search: score)
    reverse: bool = False

    def selects_all(self) -> bool:
        """Whether it leaves every claim in (the order aside)."""
        return not any((self.entity, self.about, self.speaker, self.source, self.statuses,
                        self.tag, self.tags, self.since, self.until, self.limit, self.offset,
                        self.extra))

    def where(self, session: Reader, *, entity_first: int | None = None) -> list[Any]:
        """The WHERE clauses on ``claims``; resolves names, so unknown ones fail here.
        ``entity_first``: only the lowest that many ids about or by ``entity`` are needed."""
        clauses: list[Any] = list(self.extra)
        if self.entity:
            entity_id = entity_id_for(session, self.entity)
            clauses.append(claims.c.id.in_(_about_or_by(entity_id, entity_first)))
        for name in self.about:
            about_id = entity_id_for(session, name)
            clauses.append(claims.c.id.in_(
                select(claim_entities.c.claim_id).where(claim_entities.c.entity_id == about_id)))
        if self.speaker:
            clauses.append(claims.c.speaker_id == entity_id_for(session, self.speaker))
        if self.source:
            clauses.append(claims.c.source_id == source_id_for(session, self.source))
        if self.statuses:
            wanted = [parse_choice(Status, s, "status").value for s in self.statuses]
            clauses.append(claims.c.status_event_id.in_(
                select(status_history.c.id).where(status_history.c.to_status.in_(wanted))))
        for tag in [self.tag, *self.tags] if self.tag else self.tags:
            clauses.append(claims.c.id.in_(
                select(claim_tags.c.claim_id).where(claim_tags.c.tag == clean_tag(tag))))
        clauses.extend(self._date_clauses())
        return clauses

    def _date_clauses(self) -> list[Any]:
        since = parse_date(self.since, "--since date")
        until = parse_date(self.until, "--until date")
        if since is None and until is None:
            return []
        # The date a claim was said, else the date its source was published.
        published = select(sources.c.published).where(sources.c.id == claims.c.source_id)
        when = func.coalesce(claims.c.said_on, published.scalar_subquery())
        bounds = []
        if since is not None:
            bounds.append(when >= since)
        if until is not None:
            bounds.append(when <= until)
        return bounds

    def entity_alone(self) -> bool:
        """Whether ``entity`` is the only thing the claims are narrowed by."""
        return bool(self.entity) and not (
            self.extra or self.about or self.speaker or self.source or self.statuses
            or self.tag or self.tags or self.since or self.until)

    def select_ids(self, session: Reader) -> Select[int]:
        from claims.reads.sorting import order_by

        by_id = self.sort in (None, "id") and not self.reverse
        only_entity = by_id and self.entity_alone()
        first = self.limit + self.offset if only_entity and self.limit is not None else None
        query = select(claims.c.id).where(*self.where(session, entity_first=first))
        query = query.order_by(*order_by(self.sort or "id", self.reverse))
        if self.offset:
            query = query.offset(self.offset)
        if self.limit is not None:
            query = query.limit(self.limit)
        return query


def _about_or_by(entity_id: int, first: int | None) -> Any:
    """Ids of the claims about or by an entity, in order. Ordered, SQLite merges the two
    index reads instead of collecting every id in a temporary B-tree; with ``first``, it
    stops after that many, so ``list --entity Iran --limit 50`` reads 50 index entries, not
    the 100k claims about Iran in a million (bench/, issue 5: 420 ms -> 0.4 ms)."""
    about = select(claim_entities.c.claim_id.label("id")).where(
        claim_entities.c.entity_id == entity_id)
    by = select(claims.c.id).where(claims.c.speaker_id == entity_id)
    if first is not None:
        # The first N of the union are among the first N of each side: with each side cut
        # there, PostgreSQL reads 2N index entries instead of collecting every id about the
        # entity to sort them (at a million claims, 104k for Iran). Each side is a subquery
        # because SQLite refuses ORDER BY inside a compound SELECT.
        about, by = (select(side.order_by(side.selected_columns[0]).limit(first)
                            .subquery().c.id) for side in (about, by))
    ids = union(about, by).order_by(literal_column("1"))
    return ids if first is None else ids.limit(first)


def list_claims(session: Reader, claim_filter: ClaimFilter | None = None) -> list[Record]:
    ids = list(session.scalars((claim_filter or ClaimFilter()).select_ids(session)))
    return claim_records(session, ids)


def count_claims(session: Reader, claim_filter: ClaimFilter | None = None) -> int:
    claim_filter = claim_filter or ClaimFilter()
    if claim_filter.entity_alone():
        # Every id about or by an entity is a claim's (foreign keys): counted as they are,
        # not looked up in claims one by one (the 104k about Iran in 1M: 127 -> 10 ms).
        ids = _about_or_by(entity_id_for(session, claim_filter.entity or ""), None)
        return session.scalar(select(func.count()).select_from(ids.subquery())) or 0
    where = claim_filter.where(session)
    return session.scalar(select(func.count()).select_from(claims).where(*where)) or 0


def show_claim(session: Reader, claim_id: int) -> Record:
    """Everything about one claim: the list record plus via chain, links and history.
    Core only, so ``claims show`` never loads the ORM."""
    require_claim(session, claim_id)
    record = claim_records(session, [claim_id])[0]
    source_id = session.scalar(select(claims.c.source_id).where(claims.c.id == claim_id))
    record["source_via"] = via_keys(session, source_id)[1:]
    record["links"] = claim_links(session, claim_id)
    record["history"] = claim_history(session, claim_id)
    return record


def via_keys(session: Reader, source_id: int | None) -> list[str]:
    """The source's key, then the key of the source it came through, and so on (stopping
    at any loop)."""
    keys: list[str] = []
    seen: set[int] = set()
    current = source_id
    while current is not None and current not in seen:
        row = session.execute(select(sources.c.key, sources.c.via_id)
                              .where(sources.c.id == current)).first()
        if row is None:
            break
        seen.add(current)
        keys.append(row.key)
        current = row.via_id
    return keys


def claim_history(session: Reader, claim_id: int) -> list[Record]:
    """Every status change of the claim, oldest first."""
    require_claim(session, claim_id)
    return history_records(session, [claim_id]).get(claim_id, [])


# --- entities -----------------------------------------------------------------------------


def entity_record(entity: Entity) -> Record:
    return records.entity_record(entity, entity.aliases)


def list_entities(session: Reader, kind: str | EntityKind | None = None) -> list[Record]:
    query = select(entities).order_by(func.lower(entities.c.name), entities.c.id)
    if kind is not None:
        query = query.where(
            entities.c.kind == parse_choice(EntityKind, kind, "entity kind").value)
    rows = session.execute(query).all()
    aliases = records.entity_aliases(session)  # every name in one query, not one per entity
    return [records.entity_record(e, aliases.get(e.id, [])) for e in rows]


def show_entity(session: Session, name: str) -> Record:
    """The entity, its aliases, the claims it made and those about it, and its record."""
    from claims.names import resolve_entity

    entity = resolve_entity(session, name)
    spoken = list_claims(session, ClaimFilter(speaker=entity.name))
    about = list_claims(session, ClaimFilter(about=[entity.name]))
    record: dict[str, int] = {}
    for claim in spoken:
        record[claim["status"]] = record.get(claim["status"], 0) + 1
    ordered = {s.value: record[s.value] for s in Status if s.value in record}
    return {**entity_record(entity), "record": ordered, "claims_by": spoken, "claims_about": about}


# --- sources ------------------------------------------------------------------------------


def source_record(source: Source) -> Record:
    return records.source_record(source, source.via.key if source.via else None)


def list_sources(session: Session, outlet: str | None = None) -> list[Record]:
    from claims.schema.models import Source

    query = select(Source).order_by(Source.key)
    if outlet:
        query = query.where(func.lower(Source.outlet) == outlet.strip().lower())
    return [source_record(s) for s in session.scalars(query)]


def show_source(session: Session, key: str) -> Record:
    source = get_source(session, key)
    reported_through = session.scalars(
        select(sources.c.key).where(sources.c.via_id == source.id).order_by(sources.c.key)
    ).all()
    return {
        **source_record(source),
        "via_chain": via_keys(session, source.id)[1:],
        "reports": list(reported_through),
        "claims": list_claims(session, ClaimFilter(source=source.key)),
    }
