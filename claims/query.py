"""Reads. A ``ClaimFilter`` becomes one ``select()`` of claim ids; records are plain dicts
with the documented, stable JSON field names (see README, "JSON fields").

Written against the Core tables of ``claims.tables``, not the ORM classes: every function
takes an ORM ``Session`` (``Database.read()``) or a Core ``Connection``
(``Database.connect()``), and ``claims list`` uses the latter so that a process that only
lists claims never imports or configures the ORM (issue 5's start-up budget). The few
functions that load ORM objects import what they need when called.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from sqlalchemy import Connection, Select, func, literal_column, select, union

from claims.errors import NotFoundError
from claims.names import entity_id_for
from claims.parse import clean_tag, key_hash, normalise_text, parse_date
from claims.tables import (
    claim_entities,
    claim_tags,
    claims,
    entities,
    entity_names,
    links,
    sources,
    status_history,
)
from claims.vocab import EntityKind, LinkKind, Status, parse_choice

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from claims.models import Entity, Source

Reader: TypeAlias = "Session | Connection"
T = TypeVar("T")
Record = dict[str, Any]
# Values per ``IN (...)``: far below SQLite's and PostgreSQL's bound-parameter limits.
IN_CHUNK = 500


@dataclass
class ClaimFilter:
    """What ``claims list`` (and search, export) narrow claims down by. All parts combine."""

    entity: str | None = None  # about it or spoken by it
    about: Sequence[str] = ()  # about every one of these
    speaker: str | None = None
    source: str | None = None
    statuses: Sequence[str | Status] = ()
    tag: str | None = None
    since: str | date | None = None
    until: str | date | None = None
    limit: int | None = None
    offset: int = 0
    extra: list[Any] = field(default_factory=list)  # further WHERE clauses from callers

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
        if self.tag:
            clauses.append(claims.c.id.in_(
                select(claim_tags.c.claim_id).where(claim_tags.c.tag == clean_tag(self.tag))))
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

    def select_ids(self, session: Reader) -> Select[tuple[int]]:
        only_entity = self.entity and not (self.extra or self.about or self.speaker
                                           or self.source or self.statuses or self.tag
                                           or self.since or self.until)
        first = self.limit + self.offset if only_entity and self.limit is not None else None
        query = select(claims.c.id).where(*self.where(session, entity_first=first))
        query = query.order_by(claims.c.id)
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
    ids = union(
        select(claim_entities.c.claim_id).where(claim_entities.c.entity_id == entity_id),
        select(claims.c.id).where(claims.c.speaker_id == entity_id),
    ).order_by(literal_column("1"))
    return ids if first is None else ids.limit(first)


def source_id_for(session: Reader, key: str) -> int:
    """The id of the source with this key; an unknown key is an error."""
    found = session.scalar(select(sources.c.id).where(sources.c.key == key.strip()))
    if found is None:
        raise no_source(key)
    return found


def no_source(key: str) -> NotFoundError:
    return NotFoundError(f"no source with key {key!r}", "see 'claims source list'")


def chunks(values: Sequence[T], size: int = IN_CHUNK) -> Iterator[Sequence[T]]:
    """``values`` in slices short enough for one ``IN (...)`` list."""
    for start in range(0, len(values), size):
        yield values[start:start + size]


def list_claims(session: Reader, claim_filter: ClaimFilter | None = None) -> list[Record]:
    ids = list(session.scalars((claim_filter or ClaimFilter()).select_ids(session)))
    return claim_records(session, ids)


def count_claims(session: Reader, claim_filter: ClaimFilter | None = None) -> int:
    where = (claim_filter or ClaimFilter()).where(session)
    return session.scalar(select(func.count()).select_from(claims).where(*where)) or 0


def same_text_claims(session: Reader, keys: Iterable[str]) -> list[tuple[int, int, str]]:
    """``(claim id, source id, key)`` of the stored claims whose normalised text
    (``parse.normalise_text``) is one of ``keys``, oldest first: looked up by
    ``claims.text_hash``, then compared in full, so a hash collision never matches."""
    wanted = {key_hash(key): key for key in set(keys)}
    found: list[tuple[int, int, str]] = []
    for chunk in chunks(list(wanted)):
        rows = session.execute(
            select(claims.c.id, claims.c.source_id, claims.c.text, claims.c.text_hash)
            .where(claims.c.text_hash.in_(chunk))
        )
        for claim_id, source_id, text, stored_hash in rows:
            key = wanted[stored_hash]
            if normalise_text(text) == key:
                found.append((claim_id, source_id, key))
    return sorted(found)


def claims_by_text(
    session: Reader, wanted: Collection[tuple[int, str]]
) -> dict[tuple[int, str], int]:
    """For each ``(source id, normalised text)``, the oldest claim of that source with that
    text; pairs without one are left out."""
    found: dict[tuple[int, str], int] = {}
    for claim_id, source_id, key in same_text_claims(session, (key for _, key in wanted)):
        if (source_id, key) in wanted:
            found.setdefault((source_id, key), claim_id)
    return found


def claim_records(session: Reader, ids: Sequence[int]) -> list[Record]:
    """Records for these claims, in the order given: three queries whatever the count."""
    if not ids:
        return []
    speaker = entities.alias("speaker")
    rows = session.execute(
        select(claims, sources.c.key.label("source_key"), speaker.c.name.label("speaker_name"),
               status_history.c.to_status)
        .join(sources, sources.c.id == claims.c.source_id)
        .outerjoin(speaker, speaker.c.id == claims.c.speaker_id)
        .outerjoin(status_history, status_history.c.id == claims.c.status_event_id)
        .where(claims.c.id.in_(ids))
    ).all()
    about = _grouped(
        session,
        select(claim_entities.c.claim_id, entities.c.name)
        .join(entities, entities.c.id == claim_entities.c.entity_id)
        .where(claim_entities.c.claim_id.in_(ids))
        .order_by(entities.c.name),
    )
    tags = _grouped(
        session,
        select(claim_tags.c.claim_id, claim_tags.c.tag)
        .where(claim_tags.c.claim_id.in_(ids))
        .order_by(claim_tags.c.tag),
    )
    by_id = {row.id: _claim_record(row, about.get(row.id, []), tags.get(row.id, []))
             for row in rows}
    return [by_id[i] for i in ids if i in by_id]


def _grouped(session: Reader, query: Select[Any]) -> dict[int, list[str]]:
    groups: dict[int, list[str]] = defaultdict(list)
    for key, value in session.execute(query):
        groups[key].append(value)
    return groups


def _claim_record(row: Any, about: list[str], tags: list[str]) -> Record:
    return {
        "id": row.id,
        "text": row.text,
        "quote": row.quote,
        "speaker": row.speaker_name,
        "source": row.source_key,
        "about": about,
        "status": row.to_status,
        "rating": Status(row.to_status).rating,
        "said_on": _iso(row.said_on),
        "tags": tags,
        "external_id": row.external_id,
        "created_at": _iso(row.created_at),
        "updated_at": _iso(row.updated_at),
    }


def show_claim(session: Session, claim_id: int) -> Record:
    """Everything about one claim: the list record plus via chain, links and history."""
    from claims.store import get_claim

    claim = get_claim(session, claim_id)
    record = claim_records(session, [claim.id])[0]
    record["source_via"] = [s.key for s in via_chain(claim.source)[1:]]
    record["links"] = claim_links(session, claim.id)
    record["history"] = claim_history(session, claim.id)
    return record


def via_chain(source: Source) -> list[Source]:
    """The source, then the source it came through, and so on (stopping at any loop)."""
    chain: list[Source] = []
    current: Source | None = source
    while current is not None and current not in chain:
        chain.append(current)
        current = current.via
    return chain


def claim_links(session: Reader, claim_id: int) -> list[Record]:
    """Links in both directions. Each names its stored kind, the direction, the other claim."""
    other = claims.alias("other")
    results = []
    for direction, near, far in (
        ("outgoing", links.c.from_id, links.c.to_id),
        ("incoming", links.c.to_id, links.c.from_id),
    ):
        rows = session.execute(
            select(links.c.kind, links.c.note, links.c.created_at, other.c.id, other.c.text,
                   status_history.c.to_status)
            .join(other, other.c.id == far)
            .outerjoin(status_history, status_history.c.id == other.c.status_event_id)
            .where(near == claim_id)
            .order_by(links.c.id)
        ).all()
        for kind, note, created_at, other_id, other_text, status in rows:
            results.append(
                {
                    "kind": kind,
                    "direction": direction,
                    "symmetric": LinkKind(kind).symmetric,
                    "other": {"id": other_id, "text": other_text, "status": status},
                    "note": note,
                    "created_at": _iso(created_at),
                }
            )
    return results


def claim_history(session: Session, claim_id: int) -> list[Record]:
    """Every status change of the claim, oldest first."""
    from claims.store import get_claim

    get_claim(session, claim_id)
    rows = session.execute(
        select(status_history, sources.c.key.label("evidence_key"))
        .outerjoin(sources, sources.c.id == status_history.c.evidence_id)
        .where(status_history.c.claim_id == claim_id)
        .order_by(status_history.c.id)
    ).all()
    from claims.changelog import status_actors

    actors = status_actors(session, [row.id for row in rows])
    return [
        {
            "from": row.from_status,
            "to": row.to_status,
            "note": row.note,
            "evidence": row.evidence_key,
            "at": _iso(row.at),
            "by": actors.get(row.id),
        }
        for row in rows
    ]


# --- entities -----------------------------------------------------------------------------


def entity_record(entity: Entity) -> Record:
    return {
        "id": entity.id,
        "name": entity.name,
        "kind": entity.kind,
        "description": entity.description,
        "aliases": entity.aliases,
    }


def list_entities(session: Reader, kind: str | EntityKind | None = None) -> list[Record]:
    query = select(entities).order_by(func.lower(entities.c.name), entities.c.id)
    if kind is not None:
        query = query.where(
            entities.c.kind == parse_choice(EntityKind, kind, "entity kind").value)
    rows = session.execute(query).all()
    # Every name in one query rather than one per entity.
    names = _grouped(session, select(entity_names.c.entity_id, entity_names.c.name)
                     .order_by(entity_names.c.id))
    return [
        {"id": e.id, "name": e.name, "kind": e.kind, "description": e.description,
         "aliases": [n for n in names.get(e.id, []) if n != e.name]}
        for e in rows
    ]


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
    return {
        "id": source.id,
        "key": source.key,
        "title": source.title,
        "outlet": source.outlet,
        "url": source.url,
        "published": _iso(source.published),
        "kind": source.kind,
        "via": source.via.key if source.via else None,
        "notes": source.notes,
    }


def list_sources(session: Session, outlet: str | None = None) -> list[Record]:
    from claims.models import Source

    query = select(Source).order_by(Source.key)
    if outlet:
        query = query.where(func.lower(Source.outlet) == outlet.strip().lower())
    return [source_record(s) for s in session.scalars(query)]


def show_source(session: Session, key: str) -> Record:
    from claims.store import get_source

    source = get_source(session, key)
    reported_through = session.scalars(
        select(sources.c.key).where(sources.c.via_id == source.id).order_by(sources.c.key)
    ).all()
    return {
        **source_record(source),
        "via_chain": [s.key for s in via_chain(source)[1:]],
        "reports": list(reported_through),
        "claims": list_claims(session, ClaimFilter(source=source.key)),
    }


def _iso(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds").replace("+00:00", "Z")
    return value.isoformat()
