"""Writing claims out: the tool's own records (jsonl/json), a flat CSV, or ClaimReview.

The jsonl/json records carry everything needed to rebuild the claims elsewhere: first the
sources they cite (each after the source it came ``via``), then the entities they name
(with kinds and aliases), then the claims with their history and outgoing links. Claims
are identified by their external id, or failing that by source and text, never by this
database's row ids, so exporting, importing into an empty database and exporting again
gives the same bytes. Claims are read a chunk at a time, so memory stays modest.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TextIO

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from claims.io.figures import attach_figures, csv_figures, measure_records
from claims.io.formats import CSV_LIST_SEP, ExportFormat
from claims.models import (
    Claim,
    ClaimEntity,
    ClaimTag,
    Entity,
    EntityName,
    Link,
    Source,
    StatusEvent,
)
from claims.names import name_key
from claims.query import ClaimFilter
from claims.textsafe import csv_row
from claims.vocab import Status

Record = dict[str, Any]
CHUNK = 500
CSV_COLUMNS = ["id", "external_id", "text", "quote", "speaker", "source", "about", "status",
               "rating", "said_on", "tags", "created_at", "updated_at", "due", "figures"]


@dataclass
class ExportSummary:
    claims: int = 0
    skipped: int = 0  # ClaimReview: reviews left out, for the reasons counted in ``reasons``
    reasons: dict[str, int] = field(default_factory=dict)


def export_claims(session: Session, out: TextIO, fmt: ExportFormat | str = ExportFormat.JSONL,
                  claim_filter: ClaimFilter | None = None, *,
                  publisher: str | None = None, all_reviews: bool = False,
                  csv_formulas: bool = False) -> ExportSummary:
    """Write the claims that ``claim_filter`` selects (all by default) to ``out``. CSV cells
    that a spreadsheet would evaluate are neutralised unless ``csv_formulas``."""
    fmt = ExportFormat(fmt)
    ids_query = (claim_filter or ClaimFilter()).select_ids(session)
    ids = list(session.scalars(ids_query))
    summary = ExportSummary()
    sources = _sources(session, ids_query)
    if fmt is ExportFormat.CSV:
        rows = (_csv_row(r) for r in _counted(_claims(session, ids), summary))
        _write_csv(out, rows if csv_formulas else map(csv_row, rows))
    elif fmt is ExportFormat.CLAIMREVIEW:
        from claims.io.review_export import write_reviews

        write_reviews(session, out, claim_filter, summary, publisher=publisher,
                      all_reviews=all_reviews)
    else:
        records = _native(session, ids_query, ids, sources, summary)
        if fmt is ExportFormat.JSON:
            _write_array(out, records)
        else:
            for record in records:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return summary


def _native(session: Session, ids_query: Select[tuple[int]], ids: Sequence[int],
            sources: dict[str, Record], summary: ExportSummary) -> Iterator[Record]:
    for source in _dependency_order(sources):
        yield {"type": "source", **source}
    yield from _entities(session, ids_query)
    yield from measure_records(session, ids_query)
    for record in _counted(_claims(session, ids), summary):
        yield {"type": "claim", **{k: v for k, v in record.items() if k != "id"}}


def _counted(records: Iterator[Record], summary: ExportSummary) -> Iterator[Record]:
    for record in records:
        summary.claims += 1
        yield record


def _present(reviews: Iterator[Record | None], summary: ExportSummary) -> Iterator[Record]:
    for review in reviews:
        if review is None:
            summary.claims -= 1
            summary.skipped += 1
        else:
            yield review


# --- sources and entities ------------------------------------------------------------------


def _sources(session: Session, ids_query: Select[tuple[int]]) -> dict[str, Record]:
    """The sources the claims cite or use as evidence, and every source those came via."""
    chosen = ids_query.subquery()
    wanted = set(session.scalars(select(Claim.source_id).where(Claim.id.in_(select(chosen)))))
    wanted |= set(session.scalars(select(StatusEvent.evidence_id).where(
        StatusEvent.claim_id.in_(select(chosen)), StatusEvent.evidence_id.is_not(None))))
    every = {s.id: s for s in session.scalars(select(Source))}
    found: dict[str, Record] = {}
    todo = list(wanted)
    while todo:
        source = every.get(todo.pop())
        if source is None or source.key in found:
            continue
        via = every.get(source.via_id) if source.via_id else None
        found[source.key] = _source_record(source, via.key if via else None)
        if via is not None:
            todo.append(via.id)
    return found


def _source_record(source: Source, via: str | None) -> Record:
    return {"key": source.key, "title": source.title, "outlet": source.outlet, "url": source.url,
            "published": iso(source.published), "kind": source.kind, "via": via,
            "notes": source.notes}


def _dependency_order(sources: dict[str, Record]) -> list[Record]:
    """By key, except that a source always follows the one it came via."""
    ordered: list[Record] = []
    placed: set[str] = set()

    def place(key: str) -> None:
        if key in placed or key not in sources:
            return
        placed.add(key)
        if sources[key]["via"]:
            place(sources[key]["via"])
        ordered.append(sources[key])

    for key in sorted(sources):
        place(key)
    return ordered


def _entities(session: Session, ids_query: Select[tuple[int]]) -> Iterator[Record]:
    chosen = ids_query.subquery()
    spoken = select(Claim.speaker_id).where(Claim.id.in_(select(chosen)))
    about = select(ClaimEntity.entity_id).where(ClaimEntity.claim_id.in_(select(chosen)))
    entities = session.scalars(select(Entity).where(Entity.id.in_(spoken.union(about)))).all()
    names: dict[int, list[str]] = defaultdict(list)
    ids = [e.id for e in entities]
    for start in range(0, len(ids), CHUNK):
        rows = session.execute(select(EntityName.entity_id, EntityName.name)
                               .where(EntityName.entity_id.in_(ids[start:start + CHUNK]))
                               .order_by(EntityName.id))
        for entity_id, name in rows:
            names[entity_id].append(name)
    for entity in sorted(entities, key=lambda e: (name_key(e.name), e.id)):
        yield {"type": "entity", "name": entity.name, "kind": entity.kind,
               "description": entity.description,
               "aliases": [n for n in names[entity.id] if n != entity.name]}


def _speaker_kinds(session: Session, ids_query: Select[tuple[int]]) -> dict[str, str]:
    chosen = ids_query.subquery()
    rows = session.execute(select(Entity.name, Entity.kind).where(
        Entity.id.in_(select(Claim.speaker_id).where(Claim.id.in_(select(chosen))))))
    return {name: kind for name, kind in rows}


# --- claims --------------------------------------------------------------------------------


def _claims(session: Session, ids: Sequence[int]) -> Iterator[Record]:
    for start in range(0, len(ids), CHUNK):
        yield from _claim_chunk(session, ids[start:start + CHUNK])


def _claim_chunk(session: Session, ids: Sequence[int]) -> list[Record]:
    speaker = aliased(Entity)
    rows = session.execute(
        select(Claim, Source.key, speaker.name, StatusEvent.to_status)
        .join(Source, Source.id == Claim.source_id)
        .outerjoin(speaker, speaker.id == Claim.speaker_id)
        .outerjoin(StatusEvent, StatusEvent.id == Claim.status_event_id)
        .where(Claim.id.in_(ids))
    ).all()
    about = _grouped(session, select(ClaimEntity.claim_id, Entity.name)
                     .join(Entity, Entity.id == ClaimEntity.entity_id)
                     .where(ClaimEntity.claim_id.in_(ids)))
    tags = _grouped(session, select(ClaimTag.claim_id, ClaimTag.tag)
                    .where(ClaimTag.claim_id.in_(ids)).order_by(ClaimTag.tag))
    history = _history(session, ids)
    links = _links(session, ids)
    records = {}
    for claim, source_key, speaker_name, status in rows:
        records[claim.id] = {
            "id": claim.id,
            "external_id": claim.external_id,
            "text": claim.text,
            "quote": claim.quote,
            "speaker": speaker_name,
            "source": source_key,
            "about": sorted(about.get(claim.id, []), key=lambda n: (name_key(n), n)),
            "said_on": iso(claim.said_on),
            "tags": tags.get(claim.id, []),
            "status": status,
            "created_at": iso(claim.created_at),
            "updated_at": iso(claim.updated_at),
            "history": history.get(claim.id, []),
            "links": links.get(claim.id, []),
        }
    attach_figures(session, records)
    return [records[i] for i in ids if i in records]


def _grouped(session: Session, query: Select[Any]) -> dict[int, list[Any]]:
    groups: dict[int, list[Any]] = defaultdict(list)
    for key, value in session.execute(query):
        groups[key].append(value)
    return groups


def _history(session: Session, ids: Sequence[int]) -> dict[int, list[Record]]:
    rows = session.execute(
        select(StatusEvent, Source.key)
        .outerjoin(Source, Source.id == StatusEvent.evidence_id)
        .where(StatusEvent.claim_id.in_(ids)).order_by(StatusEvent.id))
    found: dict[int, list[Record]] = defaultdict(list)
    for event, evidence in rows:
        found[event.claim_id].append({"from": event.from_status, "to": event.to_status,
                                      "note": event.note, "evidence": evidence,
                                      "at": iso(event.at)})
    return found


def _links(session: Session, ids: Sequence[int]) -> dict[int, list[Record]]:
    """Each claim's outgoing links, naming the other claim the way an import finds it."""
    target = aliased(Claim)
    rows = session.execute(
        select(Link, target.external_id, target.text, Source.key)
        .join(target, target.id == Link.to_id)
        .join(Source, Source.id == target.source_id)
        .where(Link.from_id.in_(ids)).order_by(Link.id))
    found: dict[int, list[Record]] = defaultdict(list)
    for link, external_id, text, source_key in rows:
        to = {"external_id": external_id} if external_id else {"source": source_key, "text": text}
        found[link.from_id].append({"kind": link.kind, "to": to, "note": link.note,
                                    "created_at": iso(link.created_at)})
    return found


# --- writers -------------------------------------------------------------------------------


def _write_array(out: TextIO, records: Iterator[Record]) -> None:
    """A JSON array written element by element, so the export never sits whole in memory."""
    out.write("[")
    for index, record in enumerate(records):
        out.write(",\n" if index else "\n")
        out.write(json.dumps(record, ensure_ascii=False, indent=2))
    out.write("\n]\n")


def _csv_row(record: Record) -> Record:
    row = {name: record[name] for name in CSV_COLUMNS if name in record}
    row["rating"] = Status(record["status"]).rating
    row["about"] = CSV_LIST_SEP.join(record["about"])
    row["tags"] = CSV_LIST_SEP.join(record["tags"])
    row["figures"] = csv_figures(record)
    return {k: "" if v is None else v for k, v in row.items()}


def _write_csv(out: TextIO, rows: Iterator[Record]) -> None:
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)


def iso(value: date | datetime | None) -> str | None:
    """ISO 8601; times in UTC with a Z, keeping microseconds so a round trip loses nothing."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    return value.isoformat()
