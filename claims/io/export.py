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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TextIO

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from claims.io.figures import attach_figures, csv_figures, measure_records
from claims.io.formats import CSV_LIST_SEP, ExportFormat
from claims.names import name_key
from claims.reads.query import ClaimFilter
from claims.reads.records import (
    Record,
    claim_records,
    entity_aliases,
    entity_record,
    history_records,
    link_references,
    source_record,
)
from claims.schema.models import (
    Claim,
    ClaimEntity,
    Entity,
    Source,
    StatusEvent,
)
from claims.schema.sql import chunks
from claims.settings import csv_formulas_from_environment
from claims.textsafe import csv_row

# The fields of a claim record a jsonl/json export carries, in this order.
NATIVE_CLAIM_FIELDS = ("external_id", "text", "quote", "speaker", "source", "about", "said_on",
                       "tags", "status", "created_at", "updated_at", "history", "links",
                       "due", "figures")
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
    that a spreadsheet would evaluate are neutralised unless ``csv_formulas`` (or
    ``$CLAIMS_CSV_FORMULAS=1``)."""
    fmt = ExportFormat(fmt)
    ids_query = (claim_filter or ClaimFilter()).select_ids(session)
    ids = list(session.scalars(ids_query))
    summary = ExportSummary()
    sources = _sources(session, ids_query)
    if fmt is ExportFormat.CSV:
        rows = (_csv_row(r) for r in _counted(_claims(session, ids), summary))
        keep = csv_formulas or csv_formulas_from_environment()
        _write_csv(out, rows if keep else map(csv_row, rows))
    elif fmt is ExportFormat.CLAIMREVIEW:
        from claims.reviews.export import write_reviews

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


def _native(session: Session, ids_query: Select[int], ids: Sequence[int],
            sources: dict[str, Record], summary: ExportSummary) -> Iterator[Record]:
    for source in _dependency_order(sources):
        yield {"type": "source", **source}
    yield from _entities(session, ids_query)
    yield from measure_records(session, ids_query)
    for record in _counted(_claims(session, ids), summary):
        yield {"type": "claim", **{name: record[name] for name in NATIVE_CLAIM_FIELDS}}


def _counted(records: Iterator[Record], summary: ExportSummary) -> Iterator[Record]:
    for record in records:
        summary.claims += 1
        yield record


def _sources(session: Session, ids_query: Select[int]) -> dict[str, Record]:
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
        found[source.key] = _without_id(source_record(source, via.key if via else None))
        if via is not None:
            todo.append(via.id)
    return found


def _without_id(record: Record) -> Record:
    """Exports name rows by key or external id, never by this database's row ids."""
    return {k: v for k, v in record.items() if k != "id"}


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


def _entities(session: Session, ids_query: Select[int]) -> Iterator[Record]:
    chosen = ids_query.subquery()
    spoken = select(Claim.speaker_id).where(Claim.id.in_(select(chosen)))
    about = select(ClaimEntity.entity_id).where(ClaimEntity.claim_id.in_(select(chosen)))
    entities = session.scalars(select(Entity).where(Entity.id.in_(spoken.union(about)))).all()
    aliases: dict[int, list[str]] = {}
    ids = [e.id for e in entities]
    for chunk in chunks(ids):
        aliases.update(entity_aliases(session, chunk))
    for entity in sorted(entities, key=lambda e: (name_key(e.name), e.id)):
        yield {"type": "entity", **_without_id(entity_record(entity, aliases.get(entity.id, [])))}


def _claims(session: Session, ids: Sequence[int]) -> Iterator[Record]:
    """The claim records with their history, outgoing links, figures and due date, a chunk
    at a time."""
    for chunk in chunks(ids):
        history = history_records(session, chunk)
        links = link_references(session, chunk)
        records = {record["id"]: {**record, "history": history.get(record["id"], []),
                                  "links": links.get(record["id"], [])}
                   for record in claim_records(session, chunk)}
        attach_figures(session, records)
        yield from records.values()


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
    row["about"] = CSV_LIST_SEP.join(record["about"])
    row["tags"] = CSV_LIST_SEP.join(record["tags"])
    row["figures"] = csv_figures(record)
    return {k: "" if v is None else v for k, v in row.items()}


def _write_csv(out: TextIO, rows: Iterator[Record]) -> None:
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
