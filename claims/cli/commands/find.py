"""Finding claims: search, similar, related, conflicts, graph."""

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from claims.cli.helpers import Commands, database
from claims.cli.layout import Column
from claims.cli.listing import ReverseOpt, SortOpt, emit_listing, sorted_filter
from claims.cli.options import INT64, EntityOpt, FormatOpt, with_claim_filter, within_64_bits
from claims.cli.render import OutputFormat, emit_records, resolve_format
from claims.vocab import LinkKind

if TYPE_CHECKING:
    from claims.reads.query import ClaimFilter

SEARCH_COLUMNS = [
    Column("id", "ID", "bold"),
    Column("status", "Status"),
    Column("speaker", "Speaker", "cyan", 24),
    Column("source", "Source", "dim", 28),
    Column("snippet", "Match"),
]
SIMILAR_COLUMNS = [Column("id", "ID", "bold"), Column("score", "Score"),
                   Column("status", "Status"), Column("source", "Source", "dim", 28),
                   Column("text", "Text")]
RELATED_COLUMNS = [Column("id", "ID", "bold"), Column("distance", "Dist"),
                   Column("via", "Via"), Column("direction", "Dir"),
                   Column("kind", "Kind", "bold"), Column("status", "Status"),
                   Column("text", "Text")]
CONFLICT_COLUMNS = [Column("open", "Open"), Column("claim_id", "ID", "bold"),
                    Column("claim_status", "Status"), Column("claim_text", "Claim"),
                    Column("other_id", "Other", "bold"), Column("other_status", "Status"),
                    Column("other_text", "Other claim")]

commands = Commands()



class GraphOutput(StrEnum):
    """The formats of claims.reads.graph.GraphFormat, spelled here so --help needs no SQLAlchemy."""

    DOT = "dot"
    MERMAID = "mermaid"
    SVG = "svg"


# Private-use characters mark matches in the table, where they become styling.
_OPEN, _CLOSE = "\ue000", "\ue001"


@commands()
@with_claim_filter(limit=Annotated[int, typer.Option(
    "--limit", "-n", min=0, callback=within_64_bits, help="At most this many, best first.")],
    limit_default=20)
def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="Words to find; \"quoted words\" as a phrase.")],
    raw: Annotated[bool, typer.Option(
        "--raw", help="QUERY is FTS5 syntax: AND, OR, NOT, NEAR(...), \"phrase\", prefix*.",
    )] = False,
    claim_filter: "ClaimFilter | None" = None,
    sort: SortOpt = None,
    reverse: ReverseOpt = False,
    fmt: FormatOpt = None,
) -> None:
    """Full-text search of claim texts and quotes, best match first.

    --sort and --reverse choose another order.
    """
    from claims.search.ranking import count_matches, search_claims

    chosen = resolve_format(fmt)
    marks = (_OPEN, _CLOSE) if chosen is OutputFormat.TABLE else ("[", "]")
    assert claim_filter is not None  # given by with_claim_filter, within_64_bits
    limit = claim_filter.limit
    claim_filter = sorted_filter(claim_filter, sort, reverse)
    with database(ctx).connect() as conn:  # Core only, as for 'claims list'
        records = search_claims(conn, query, claim_filter=claim_filter, raw=raw, marks=marks)
        if chosen is OutputFormat.TABLE:
            records = [{**r, "snippet": _table_snippet(r["snippet"])} for r in records]
        emit_listing(records, chosen, SEARCH_COLUMNS, limit,
                     lambda: count_matches(conn, query, claim_filter, raw=raw))


def _table_snippet(snippet: str) -> Any:
    """A Rich Text: the matches in bold yellow, the rest plain (never read as markup)."""
    from rich.text import Text

    from claims.textsafe import visible

    shown = Text()
    for index, part in enumerate(snippet.replace(_CLOSE, _OPEN).split(_OPEN)):
        shown.append(visible(part), style="bold yellow" if index % 2 else "")
    return shown


@commands()
def similar(
    ctx: typer.Context,
    claim_id: Annotated[int, typer.Argument(metavar="ID", **INT64, help="Claim id.")],
    min_score: Annotated[float, typer.Option(
        "--min-score", min=0, max=100, help="Lowest similarity shown, 0-100.")] = 80.0,
    fmt: FormatOpt = None,
) -> None:
    """Claims whose text is like this one's, most similar first."""
    from claims.search.ranking import similar_claims

    with database(ctx).read() as session:
        records = similar_claims(session, claim_id, min_score=min_score)
    emit_records(records, fmt, SIMILAR_COLUMNS)


@commands()
def related(
    ctx: typer.Context,
    claim_id: Annotated[int, typer.Argument(metavar="ID", **INT64, help="Claim id.")],
    depth: Annotated[int, typer.Option("--depth", "-d", min=1, callback=within_64_bits,
                                       help="How many links away to go.")] = 2,
    kind: Annotated[list[LinkKind] | None, typer.Option(
        "--kind", "-k", case_sensitive=False, help="Follow only this link kind; repeatable.",
    )] = None,
    fmt: FormatOpt = None,
) -> None:
    """Claims reachable from this one through links in either direction, nearest first."""
    from claims.reads.graph import related as reachable

    with database(ctx).read() as session:
        records = reachable(session, claim_id, depth=depth, kinds=kind or [])
    emit_records(records, fmt, RELATED_COLUMNS)


@commands()
def conflicts(
    ctx: typer.Context,
    entity: EntityOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """Claims that contradict each other, open disagreements first."""
    from claims.reads.graph import conflicts as contradictions

    with database(ctx).read() as session:
        records = contradictions(session, entity=entity)
    emit_records(records, fmt, CONFLICT_COLUMNS)


@commands()
def graph(
    ctx: typer.Context,
    claim_id: Annotated[int | None, typer.Argument(
        metavar="[ID]", **INT64,
        help="Draw the claims around this one (default: every linked claim).",
    )] = None,
    entity: EntityOpt = None,
    depth: Annotated[int, typer.Option("--depth", "-d", min=1, callback=within_64_bits,
                                       help="With ID: how many links away to go.")] = 2,
    fmt: Annotated[GraphOutput, typer.Option(
        "--format", "-f", case_sensitive=False,
        help="dot (Graphviz), mermaid, or svg (needs Graphviz's dot program).")] = GraphOutput.DOT,
) -> None:
    """Draw linked claims: nodes coloured by status, edges labelled by link kind."""
    from claims.reads.graph import render, subgraph

    with database(ctx).read() as session:
        drawn = subgraph(session, claim_id, entity=entity, depth=depth)
    typer.echo(render(drawn, fmt), nl=False)

