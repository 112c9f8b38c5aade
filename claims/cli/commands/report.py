"""``claims stats`` (track records) and ``claims report`` (a dossier in Markdown or HTML)."""

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from claims.cli.helpers import Commands, database, note
from claims.cli.layout import Column
from claims.cli.options import FormatOpt, with_claim_filter
from claims.cli.render import OutputFormat, emit_records, resolve_format
from claims.vocab import GroupBy as StatsBy
from claims.vocab import Status

if TYPE_CHECKING:
    from claims.reads.query import ClaimFilter

commands = Commands()




class ReportOutput(StrEnum):
    MD = "md"
    HTML = "html"


def stats_columns(by: str, records: list[dict[str, Any]], fmt: OutputFormat) -> list[Column]:
    """The group, the count, a column per status, verdicts and the false share. On a
    terminal only the statuses that occur, headers that wrap between words, no verdicts."""
    if fmt is not OutputFormat.TABLE:
        return [Column("group", by), Column("claims", "claims"),
                *(Column(s.value, s.value) for s in Status),
                Column("verdicts", "verdicts"), Column("false_share", "false_share")]
    shown = [s.value for s in Status if any(r[s.value] for r in records)]
    return [Column("group", by.capitalize(), "bold"), Column("claims", "Claims"),
            *(Column(s, s.replace("-", " ")) for s in shown),
            Column("false_share", "False share", "bold")]


def table_rows(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """On a terminal: zeros left blank and the false share as a percentage."""
    return [{**{k: ("" if v == 0 and k in Status.__members__.values() else v)
                for k, v in r.items()},
             "false_share": "" if r["false_share"] is None else f"{r['false_share']:.0%}"}
            for r in records]


@commands()
@with_claim_filter()
def stats(
    ctx: typer.Context,
    by: Annotated[StatsBy, typer.Option(
        "--by", "-b", case_sensitive=False, help="Group the claims by this.")] = StatsBy.SPEAKER,
    claim_filter: "ClaimFilter | None" = None,
    fmt: FormatOpt = None,
) -> None:
    """Track records: each group's claims counted by status.

    With the share of its verdicts that are false or mostly false.
    """
    from claims.reads.stats import track_records

    assert claim_filter is not None  # given by with_claim_filter
    with database(ctx).connect() as conn:
        records = track_records(conn, claim_filter, by.value)
    chosen = resolve_format(fmt)
    if not records:
        note("no claims match")
        if chosen is OutputFormat.TABLE:  # not even an empty line (json still gets [])
            return
    rows = table_rows(records) if chosen is OutputFormat.TABLE else records
    emit_records(rows, chosen, stats_columns(by.value, records, chosen))


@commands()
@with_claim_filter()
def report(
    ctx: typer.Context,
    claim_filter: "ClaimFilter | None" = None,
    fmt: Annotated[ReportOutput, typer.Option(
        "--format", "-f", case_sensitive=False,
        help="md (Markdown, renders on GitHub) or html (one self-contained file).",
    )] = ReportOutput.MD,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", metavar="FILE", dir_okay=False,
        help="Write the report to FILE instead of stdout.")] = None,
    title: Annotated[str, typer.Option(
        "--title", metavar="TEXT", help="The report's heading.")] = "Claims report",
) -> None:
    """A dossier of the selected claims, as Markdown or HTML.

    Grouped by status, with sources, links, reviews and history; then the conflicts,
    the figures' timelines and the speakers' track records.
    """
    from claims.outpath import database_files, output_file
    from claims.report import build_report, render_report

    assert claim_filter is not None  # given by with_claim_filter
    db = database(ctx)
    with db.read() as session:
        text = render_report(build_report(session, claim_filter, title=title), fmt.value)
    with output_file(output or "-", database_files(db.url)) as out:
        out.write(text)
    if output is not None:
        note(f"Wrote {output}")


def track_record_section(title: str, fmt: OutputFormat | None) -> Any:
    """A ``show`` section (entity, source) with the record's counts, as ``claims stats``."""
    from claims.cli.render import heading

    def show_record(record: dict[str, Any]) -> None:
        row = record["track_record"]
        if not row["claims"]:
            return
        heading(title)
        chosen = resolve_format(fmt)
        rows = table_rows([row]) if chosen is OutputFormat.TABLE else [row]
        emit_records(rows, chosen, stats_columns("group", [row], chosen))

    return show_record
