"""The one builder of every JSON record: claims, their history and links, sources and
entities. ``list``, ``show``, ``search``, ``similar``, the graph commands and ``export`` all
take their records from here, so a field means the same and is written the same way
everywhere (docs: "JSON records").

Core reads only (``claims.schema.tables``), so a listing never loads the ORM; each builder takes
a list of ids and reads a fixed number of queries for it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, select

from claims.names import name_key
from claims.schema.sql import Reader, iso
from claims.schema.tables import (
    claim_entities,
    claim_tags,
    claims,
    entities,
    entity_names,
    links,
    sources,
    status_history,
)
from claims.vocab import LinkKind, Status

Record = dict[str, Any]


def sorted_names(names: list[str]) -> list[str]:
    """Entity names in the order every record lists them: by their name key, then as
    spelt (the same on both engines, whatever their collation)."""
    return sorted(names, key=lambda n: (name_key(n), n))


# --- claims -------------------------------------------------------------------------------


# The most ids one query puts in an IN list. SQLite's default limit on a statement's
# parameters is 32,766 (Debian builds allow 250,000; PostgreSQL's protocol 65,535): a
# longer listing (``claims list`` of a million claims) reads its records in chunks.
IDS_PER_QUERY = 30_000


def claim_records(session: Reader, ids: Sequence[int]) -> list[Record]:
    """Records for these claims, in the order given: three queries per 30,000 claims."""
    if len(ids) <= IDS_PER_QUERY:
        return _claim_records(session, ids)
    return [record for start in range(0, len(ids), IDS_PER_QUERY)
            for record in _claim_records(session, ids[start:start + IDS_PER_QUERY])]


def _claim_records(session: Reader, ids: Sequence[int]) -> list[Record]:
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
    about = grouped(
        session,
        select(claim_entities.c.claim_id, entities.c.name)
        .join(entities, entities.c.id == claim_entities.c.entity_id)
        .where(claim_entities.c.claim_id.in_(ids)),
    )
    tags = grouped(
        session,
        select(claim_tags.c.claim_id, claim_tags.c.tag)
        .where(claim_tags.c.claim_id.in_(ids))
        .order_by(claim_tags.c.tag),
    )
    by_id = {row.id: _claim_record(row, sorted_names(about.get(row.id, [])),
                                   tags.get(row.id, []))
             for row in rows}
    return [by_id[i] for i in ids if i in by_id]


def _claim_record(row: Any, about: list[str], tags: list[str]) -> Record:
    return {
        "id": row.id,
        "text": row.text,
        "quote": row.quote,
        "speaker": row.speaker_name,
        "source": row.source_key,
        "about": about,
        "status": row.to_status,
        # No status only when a writer outside claims deleted the claim's current event
        # (``claims db check`` names it): still listed and shown, never a crash.
        "rating": None if row.to_status is None else Status(row.to_status).rating,
        "said_on": iso(row.said_on),
        "tags": tags,
        "external_id": row.external_id,
        "created_at": iso(row.created_at),
        "updated_at": iso(row.updated_at),
    }


def grouped(session: Reader, query: Select[Any]) -> dict[int, list[Any]]:
    """``(key, value)`` rows as lists of values by key, in the rows' order."""
    groups: dict[int, list[Any]] = defaultdict(list)
    for key, value in session.execute(query):
        groups[key].append(value)
    return groups


def history_records(session: Reader, ids: Sequence[int]) -> dict[int, list[Record]]:
    """Every status change of these claims, oldest first, by claim id."""
    rows = session.execute(
        select(status_history, sources.c.key.label("evidence_key"))
        .outerjoin(sources, sources.c.id == status_history.c.evidence_id)
        .where(status_history.c.claim_id.in_(ids))
        .order_by(status_history.c.id)
    ).all()
    from claims.reads.authorship import status_actors

    actors = status_actors(session, [row.id for row in rows])
    found: dict[int, list[Record]] = defaultdict(list)
    for row in rows:
        found[row.claim_id].append({"from": row.from_status, "to": row.to_status,
                                    "note": row.note, "evidence": row.evidence_key,
                                    "at": iso(row.at), "by": actors.get(row.id)})
    return found


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
                    "created_at": iso(created_at),
                }
            )
    return results


def link_references(session: Reader, ids: Sequence[int]) -> dict[int, list[Record]]:
    """Each claim's outgoing links for an export, naming the other claim the way an import
    finds it: by external id, else by source and text."""
    target = claims.alias("target")
    rows = session.execute(
        select(links.c.from_id, links.c.kind, links.c.note, links.c.created_at,
               target.c.external_id, target.c.text, sources.c.key)
        .join(target, target.c.id == links.c.to_id)
        .join(sources, sources.c.id == target.c.source_id)
        .where(links.c.from_id.in_(ids)).order_by(links.c.id))
    found: dict[int, list[Record]] = defaultdict(list)
    for from_id, kind, note, created_at, external_id, text, source_key in rows:
        to = {"external_id": external_id} if external_id else {"source": source_key, "text": text}
        found[from_id].append({"kind": kind, "to": to, "note": note,
                               "created_at": iso(created_at)})
    return found


# --- sources and entities -----------------------------------------------------------------


def source_record(source: Any, via: str | None) -> Record:
    """A source (an ORM object or a Core row); ``via``: the key of the one it came via."""
    return {
        "id": source.id,
        "key": source.key,
        "title": source.title,
        "outlet": source.outlet,
        "url": source.url,
        "published": iso(source.published),
        "kind": source.kind,
        "via": via,
        "notes": source.notes,
    }


def entity_record(entity: Any, aliases: list[str]) -> Record:
    """An entity (an ORM object or a Core row) with its aliases, oldest first."""
    return {
        "id": entity.id,
        "name": entity.name,
        "kind": entity.kind,
        "description": entity.description,
        "aliases": aliases,
    }


def entity_aliases(session: Reader, ids: Sequence[int] | None = None) -> dict[int, list[str]]:
    """Every name of these entities (all of them by default) that is not its own, oldest
    first: one query."""
    query = (select(entity_names.c.entity_id, entity_names.c.name, entities.c.name)
             .join(entities, entities.c.id == entity_names.c.entity_id)
             .order_by(entity_names.c.id))
    if ids is not None:
        query = query.where(entity_names.c.entity_id.in_(ids))
    found: dict[int, list[str]] = defaultdict(list)
    for entity_id, name, own in session.execute(query):
        if name != own:
            found[entity_id].append(name)
    return found
