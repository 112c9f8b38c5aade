"""``claims report``: a dossier a desk can send, as Markdown (renders on GitHub) or one
self-contained HTML file (styles inline, nothing fetched), from Jinja2 templates shipped
in the package. HTML is autoescaped; Markdown text is escaped by ``filters.md_escape``.

The dossier: the selected claims grouped by status (scale order), each with speaker,
source and its via chain, date, links, reviews and status history; the contradicting
pairs among them; the timelines of the measures they give figures of; the track records
of their speakers.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claims.reads.query import ClaimFilter, show_claim
from claims.reads.stats import track_records
from claims.report.filters import md_escape, md_url, number, percent, web_url
from claims.report.sections import figure_timelines, reviews_by_claim
from claims.schema.tables import claims as claims_table
from claims.vocab import GroupBy, Status, parse_choice

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

Record = dict[str, Any]
TEMPLATES = Path(__file__).resolve().parent / "templates"


class ReportFormat(StrEnum):
    MD = "md"
    HTML = "html"


def build_report(session: Session, claim_filter: ClaimFilter | None = None,
                 title: str = "Claims report") -> Record:
    """Everything the templates show, as plain data (also what ``--format json`` would be)."""
    from claims.reads.graph import conflicts
    from claims.reads.query import list_claims

    claim_filter = claim_filter or ClaimFilter()
    selected = list_claims(session, claim_filter)
    ids = {r["id"] for r in selected}
    full = [show_claim(session, claim_id) for claim_id in sorted(ids)]
    reviewed = reviews_by_claim(session, sorted(ids))
    for claim in full:
        claim["reviews"] = reviewed.get(claim["id"], [])
    groups = []
    for status in Status:
        members = [c for c in full if c["status"] == status.value]
        if members:
            groups.append({"status": status.value, "rating": status.rating, "claims": members})
    pairs = [p for p in conflicts(session) if p["claim_id"] in ids or p["other_id"] in ids]
    speakers = sorted({c["speaker"] for c in full if c["speaker"]})
    records = []
    if speakers:
        # Each speaker's whole record, not only the selected claims.
        by_speaker = claims_table.c.speaker_id.in_(_speaker_ids(session, speakers))
        records = track_records(session, ClaimFilter(extra=[by_speaker]), GroupBy.SPEAKER)
    return {
        "title": title,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        # From the installed distribution: the library never imports its own face.
        "version": version("claims"),
        "count": len(full),
        "groups": groups,
        "conflicts": pairs,
        "timelines": figure_timelines(session, sorted(ids)),
        "track_records": records,
        # The track records' columns: the statuses any speaker has, in scale order.
        "statuses": [s.value for s in Status if any(r[s.value] for r in records)],
    }


def _speaker_ids(session: Session, names: list[str]) -> list[int]:
    from claims.names import entity_id_for

    return [entity_id_for(session, name) for name in names]


def render_report(report: Record, fmt: ReportFormat | str) -> str:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    fmt = parse_choice(ReportFormat, fmt, "report format")
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md_escape
    env.filters["md_url"] = md_url
    env.filters["web_url"] = web_url
    env.filters["percent"] = percent
    env.filters["number"] = number
    return env.get_template(f"report.{fmt.value}").render(**report)
