"""The graph of links between claims: what a claim reaches, the contradictions, and the
subgraph drawn as Graphviz DOT, Mermaid or (through Graphviz's ``dot``) SVG.

Links are followed in both directions: "5 contradicts 4" makes 4 reachable from 5 and
5 from 4. Traversal is breadth first, one query per level, and never revisits a claim, so
cycles end and each claim is reported at its shortest distance.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from claims.errors import ClaimsError, InvalidError
from claims.reads.lookup import get_claim
from claims.reads.query import ClaimFilter
from claims.reads.records import Record, claim_records
from claims.schema.models import Claim, Link, StatusEvent
from claims.vocab import LinkKind, Status, parse_choice

DEFAULT_DEPTH = 2
LABEL_CHARS = 48
# A contradiction is settled once either side has been found wanting.
SETTLED = {Status.FALSE, Status.MOSTLY_FALSE, Status.RETRACTED, Status.OUTDATED}
STATUS_COLOURS = {
    "true": "#b7e1b0", "mostly-true": "#d4edc9", "half-true": "#fff2b3",
    "mostly-false": "#f8c9b5", "false": "#f4a3a3", "unverified": "#e6e6e6",
    "disputed": "#e3c8f0", "unproven": "#fde3b0", "retracted": "#c8c8c8",
    "outdated": "#d9d9d9",
}


class GraphFormat(StrEnum):
    DOT = "dot"
    MERMAID = "mermaid"
    SVG = "svg"


@dataclass(frozen=True)
class Edge:
    link_id: int
    from_id: int
    kind: str
    to_id: int


# --- traversal ----------------------------------------------------------------------------


def related(session: Session, claim_id: int, *, depth: int = DEFAULT_DEPTH,
            kinds: Sequence[str | LinkKind] = ()) -> list[Record]:
    """Claims reachable from ``claim_id`` through at most ``depth`` links of ``kinds`` (all
    kinds when empty), nearest first. Each record is a claim record plus ``distance``,
    ``via`` (the claim it was reached from), ``kind`` and ``direction`` of that last link
    (``outgoing`` when ``via`` links to it) and ``path``, the chain of ids from the start."""
    if depth < 1:
        raise InvalidError(f"depth {depth} is too small", "give a depth of 1 or more")
    get_claim(session, claim_id)
    wanted = [parse_choice(LinkKind, k, "link kind").value for k in kinds]
    paths: dict[int, list[int]] = {claim_id: [claim_id]}
    steps: dict[int, tuple[str, str]] = {}
    frontier = [claim_id]
    for _ in range(depth):
        if not frontier:  # nothing new is reachable: deeper levels would find nothing either
            break
        near_set = set(frontier)
        reached = []
        for edge in _edges_touching(session, frontier, wanted):
            for near, far, direction in ((edge.from_id, edge.to_id, "outgoing"),
                                         (edge.to_id, edge.from_id, "incoming")):
                if near in near_set and far not in paths:
                    paths[far] = [*paths[near], far]
                    steps[far] = (edge.kind, direction)
                    reached.append(far)
        frontier = reached
    found = sorted(steps, key=lambda i: (len(paths[i]), i))
    records = claim_records(session, found)
    for record in records:
        path = paths[record["id"]]
        kind, direction = steps[record["id"]]
        record.update(distance=len(path) - 1, via=path[-2], kind=kind, direction=direction,
                      path=path)
    return records


def _edges_touching(session: Session, ids: Sequence[int], kinds: Sequence[str]) -> list[Edge]:
    if not ids:
        return []
    query = select(Link.id, Link.from_id, Link.kind, Link.to_id).where(
        or_(Link.from_id.in_(ids), Link.to_id.in_(ids))
    ).order_by(Link.id)
    if kinds:
        query = query.where(Link.kind.in_(kinds))
    return [Edge(*row) for row in session.execute(query)]


# --- contradictions -----------------------------------------------------------------------


def conflicts(session: Session, entity: str | None = None) -> list[Record]:
    """Pairs of claims linked by ``contradicts``, open disagreements first (neither side
    false, mostly false, retracted or outdated), then by link age. ``entity`` keeps pairs
    where either claim is about or spoken by it."""
    one, other = aliased(Claim), aliased(Claim)
    one_status, other_status = aliased(StatusEvent), aliased(StatusEvent)
    query = (
        select(Link.id, one.id, one.text, one_status.to_status,
               other.id, other.text, other_status.to_status)
        .join(one, one.id == Link.from_id).join(other, other.id == Link.to_id)
        .outerjoin(one_status, one_status.id == one.status_event_id)
        .outerjoin(other_status, other_status.id == other.status_event_id)
        .where(Link.kind == LinkKind.CONTRADICTS.value).order_by(Link.id)
    )
    if entity:
        ids = select(Claim.id).where(*ClaimFilter(entity=entity).where(session))
        query = query.where(or_(Link.from_id.in_(ids), Link.to_id.in_(ids)))
    pairs = [
        {"claim_id": a_id, "claim_status": a_status, "claim_text": a_text,
         "other_id": b_id, "other_status": b_status, "other_text": b_text,
         "open": not ({Status(a_status), Status(b_status)} & SETTLED)}
        for _link, a_id, a_text, a_status, b_id, b_text, b_status in session.execute(query)
    ]
    return sorted(pairs, key=lambda pair: not pair["open"])


# --- drawing ------------------------------------------------------------------------------


@dataclass
class Subgraph:
    nodes: list[Record]  # claim records
    edges: list[Edge]


def subgraph(session: Session, claim_id: int | None = None, *, entity: str | None = None,
             depth: int = DEFAULT_DEPTH) -> Subgraph:
    """What to draw: the claims within ``depth`` links of ``claim_id``; or the claims about
    or by ``entity`` and their direct neighbours; or, with neither, every linked claim."""
    if claim_id is not None and entity:
        raise InvalidError("give a claim id or an entity, not both", "drop one of them")
    if claim_id is not None:
        ids = {claim_id, *(r["id"] for r in related(session, claim_id, depth=depth))}
    elif entity:
        own = set(session.scalars(select(Claim.id).where(*ClaimFilter(entity=entity)
                                                         .where(session))))
        ids = own | _neighbours(session, own)
    else:
        ids = set(session.scalars(select(Link.from_id).union(select(Link.to_id))))
    edges = [e for e in _edges_touching(session, sorted(ids), ())
             if e.from_id in ids and e.to_id in ids]
    return Subgraph(claim_records(session, sorted(ids)), edges)


def _neighbours(session: Session, ids: Iterable[int]) -> set[int]:
    found: set[int] = set()
    for edge in _edges_touching(session, sorted(ids), ()):
        found.update((edge.from_id, edge.to_id))
    return found


def render(graph: Subgraph, fmt: GraphFormat | str) -> str:
    chosen = parse_choice(GraphFormat, fmt, "graph format")
    if chosen is GraphFormat.MERMAID:
        return to_mermaid(graph)
    dot = to_dot(graph)
    return to_svg(dot) if chosen is GraphFormat.SVG else dot


def short_label(record: Record, width: int = LABEL_CHARS) -> str:
    text = " ".join(str(record["text"]).split())
    if len(text) > width:
        text = text[: width - 1].rstrip() + "…"
    return f"{record['id']}: {text}"


def to_dot(graph: Subgraph) -> str:
    lines = [
        "digraph claims {",
        "  rankdir=LR;",
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10];',
        '  edge [fontname="Helvetica", fontsize=9];',
    ]
    for node in graph.nodes:
        colour = STATUS_COLOURS.get(node["status"], "#ffffff")
        label = f"{short_label(node)}\n[{node['status']}]"
        lines.append(f'  c{node["id"]} [label={_dot_string(label)}, fillcolor="{colour}"];')
    for edge in graph.edges:
        extra = ", dir=none" if LinkKind(edge.kind).symmetric else ""
        lines.append(f"  c{edge.from_id} -> c{edge.to_id} [label={_dot_string(edge.kind)}{extra}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def to_mermaid(graph: Subgraph) -> str:
    lines = ["flowchart LR"]
    for node in graph.nodes:
        lines.append(f'  c{node["id"]}["{_mermaid_text(short_label(node))}"]')
    for edge in graph.edges:
        arrow = "---" if LinkKind(edge.kind).symmetric else "-->"
        lines.append(f"  c{edge.from_id} {arrow}|{edge.kind}| c{edge.to_id}")
    used = sorted({node["status"] for node in graph.nodes})
    for status in used:
        lines.append(f"  classDef {_mermaid_class(status)} fill:{STATUS_COLOURS[status]},"
                     "stroke:#555,color:#000")
    for status in used:
        members = ",".join(f"c{n['id']}" for n in graph.nodes if n["status"] == status)
        lines.append(f"  class {members} {_mermaid_class(status)}")
    return "\n".join(lines) + "\n"


def _mermaid_text(value: str) -> str:
    # Inside ["..."] Mermaid takes entity codes; these characters would end or break it.
    for char, code in (("&", "#amp;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;")):
        value = value.replace(char, code)
    return value


def _mermaid_class(status: str) -> str:
    return "st_" + status.replace("-", "_")


class GraphvizMissingError(ClaimsError):
    """SVG output needs Graphviz's ``dot`` program."""


def to_svg(dot: str) -> str:
    program = shutil.which("dot")
    if program is None:
        raise GraphvizMissingError(
            "SVG needs Graphviz's 'dot' program, which is not installed",
            "apt-get install graphviz (or brew install graphviz), or use --format dot|mermaid",
        )
    done = subprocess.run([program, "-Tsvg"], input=dot, capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        detail = (done.stderr.strip().splitlines() or ["no message"])[0]
        raise ClaimsError(f"Graphviz could not draw the graph: {detail}")
    return done.stdout
