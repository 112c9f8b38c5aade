"""``claims stats`` (track records) and ``claims report`` (a dossier in Markdown or HTML)."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from claims.cli import options
from claims.cli.app import command, database, note
from claims.cli.options import (
    AboutOpt,
    EntityOpt,
    FormatOpt,
    SinceOpt,
    SourceOpt,
    SpeakerOpt,
    StatusesOpt,
    TagOpt,
    UntilOpt,
)
from claims.cli.render import Column, OutputFormat, emit_records, resolve_format
from claims.vocab import Status


class StatsBy(StrEnum):
    """claims.stats.GroupBy, spelled here so --help needs no SQLAlchemy."""

    SPEAKER = "speaker"
    SOURCE = "source"
    OUTLET = "outlet"
    ENTITY = "entity"
    TAG = "tag"
    STATUS = "status"
    MONTH = "month"


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


def stats(
    ctx: typer.Context,
    by: Annotated[StatsBy, typer.Option(
        "--by", "-b", case_sensitive=False, help="Group the claims by this.")] = StatsBy.SPEAKER,
    entity: EntityOpt = None,
    about: AboutOpt = None,
    speaker: SpeakerOpt = None,
    source: SourceOpt = None,
    status: StatusesOpt = None,
    tag: TagOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """Track records: each group's claims counted by status.

    With the share of its verdicts that are false or mostly false.
    """
    from claims.stats import track_records

    claim_filter = options.claim_filter(
        entity, about, speaker, source, status, tag, since, until, None)
    with database(ctx).connect() as conn:
        records = track_records(conn, claim_filter, by.value)
    chosen = resolve_format(fmt)
    if not records:
        note("no claims match")
    rows = table_rows(records) if chosen is OutputFormat.TABLE else records
    emit_records(rows, chosen, stats_columns(by.value, records, chosen))


def report(
    ctx: typer.Context,
    entity: EntityOpt = None,
    about: AboutOpt = None,
    speaker: SpeakerOpt = None,
    source: SourceOpt = None,
    status: StatusesOpt = None,
    tag: TagOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
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

    Grouped by status, with sources, links, history, conflicts and track records.
    """
    from claims.report import build_report, render_report

    claim_filter = options.claim_filter(
        entity, about, speaker, source, status, tag, since, until, None)
    with database(ctx).read() as session:
        text = render_report(build_report(session, claim_filter, title=title), fmt.value)
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        note(f"Wrote {output}")


def register(app: typer.Typer) -> None:
    command(app)(stats)
    command(app)(report)


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
