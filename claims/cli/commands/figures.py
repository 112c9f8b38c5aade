"""``claims figure ...``, ``claims measure ...``, ``claims timeline`` and ``claims due``:
quantities on claims, the series they make, and promises that come due (issue 13)."""

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from claims.cli.helpers import Commands, database, note
from claims.cli.layout import Column
from claims.cli.options import INT64, EntityOpt, FormatOpt, SinceOpt, UntilOpt, within_64_bits
from claims.cli.render import OutputFormat, emit_record, emit_records
from claims.cli.usage import check_date

# ``claims timeline``/``claims due`` on the root; ``claims figure ...``/``claims measure ...``.
commands = Commands()
figure_commands = Commands()
measure_commands = Commands()

FIGURE_COLUMNS = [
    Column("id", "ID", "bold"),
    Column("claim", "Claim"),
    Column("as_of", "As of"),
    Column("measure", "Measure", "cyan", 30),
    Column("value", "Value", "bold"),
    Column("unit", "Unit"),
    Column("written", "Written", "dim", 24),
]
MEASURE_COLUMNS = [
    Column("id", "ID", "bold"),
    Column("name", "Measure", "cyan"),
    Column("entity", "Entity", "magenta"),
    Column("unit", "Unit"),
    Column("only_grows", "Only grows"),
    Column("tolerance", "Tolerance"),
    Column("figures", "Figures"),
    Column("aliases", "Aliases", "dim"),
]
# tsv columns; the table is drawn by figures_chart.print_timeline_table.
TIMELINE_COLUMNS = [
    Column("as_of", "As of"),
    Column("value", "Value"),
    Column("written", "Figure"),
    Column("claim", "Claim"),
    Column("speaker", "Speaker", "cyan", 14),
    Column("source", "Source", "dim", 18),
    Column("status", "Status"),
    Column("flags", "Flags", "red"),
]
DUE_COLUMNS = [
    Column("claim", "Claim", "bold"),
    Column("due", "Due"),
    Column("state", "State", "red"),
    Column("days", "Days"),
    Column("status", "Status"),
    Column("speaker", "Speaker", "cyan", 20),
    Column("text", "Text"),
]


class TimelineFormat(StrEnum):
    TABLE = "table"
    TSV = "tsv"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"
    SVG = "svg"
    PNG = "png"


MeasureOpt = Annotated[str, typer.Option(
    "--measure", "-m", metavar="NAME", help="The measure (name or alias).")]
MeasureEntityOpt = Annotated[
    str | None, typer.Option(
        "--entity", "-e", metavar="NAME", help="The entity whose measure it is.")
]


@figure_commands("add")
def figure_add(
    ctx: typer.Context,
    claim_id: Annotated[int, typer.Argument(metavar="ID", help="Claim id.", **INT64)],
    figure: Annotated[str, typer.Argument(help='The figure: "17%", "about $10 billion".')],
    measure: MeasureOpt,
    entity: MeasureEntityOpt = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", metavar="DATE", callback=check_date,
                                   help="Day it holds for. Default: said-on date.")
    ] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="Unit, if not in the figure.")] = None,
    fmt: FormatOpt = None,
) -> None:
    """Record a figure a claim gives as a value of a measure; prints the figure's id."""
    from claims.figures.store import add_figure

    with database(ctx).write() as session:
        record = add_figure(session, claim_id, figure, measure=measure, entity=entity,
                            unit=unit, as_of=as_of)
    _print_id_or_record(record, fmt)


def _print_id_or_record(record: dict[str, Any], fmt: OutputFormat | None) -> None:
    if fmt is None:
        typer.echo(record["id"])
    else:
        emit_record(record, fmt)


@figure_commands("list")
def figure_list(
    ctx: typer.Context,
    measure: Annotated[str | None, typer.Option(
        "--measure", "-m", metavar="NAME", help="Of this measure.")] = None,
    entity: MeasureEntityOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """List figures, oldest first."""
    from claims.figures.measures import list_figures

    with database(ctx).connect() as conn:
        records = list_figures(conn, measure=measure, entity=entity)
    emit_records(records, fmt, FIGURE_COLUMNS)


@figure_commands("suggest")
def figure_suggest(
    ctx: typer.Context,
    claim_id: Annotated[int, typer.Argument(metavar="ID", help="Claim id.", **INT64)],
    fmt: FormatOpt = None,
) -> None:
    """The figures found in a claim's text and quote, with the measures they would fit."""
    from claims.figures.store import suggest_figures

    with database(ctx).connect() as conn:
        records = suggest_figures(conn, claim_id)
    emit_records(records, fmt, [Column("in", "In"), Column("written", "Figure", "bold"),
                                Column("value", "Value"), Column("unit", "Unit"),
                                Column("qualifier", "Qualifier"), Column("noun", "Of"),
                                Column("measures", "Fits", "cyan")])
    if not records:
        note(f"No figures found in claim {claim_id}")


@figure_commands("delete")
def figure_delete(
    ctx: typer.Context,
    figure_id: Annotated[int, typer.Argument(metavar="FIGURE_ID", help="Figure id.", **INT64)],
) -> None:
    """Delete one figure (the claim stays)."""
    from claims.figures.store import delete_figure

    with database(ctx).write() as session:
        delete_figure(session, figure_id)
    note(f"Deleted figure {figure_id}")


@measure_commands("add")
def measure_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help='The series, e.g. "Bushehr 2-3 progress".')],
    entity: Annotated[str, typer.Option(
        "--entity", "-e", metavar="NAME", help="The entity it measures.")],
    unit: Annotated[
        str | None, typer.Option("--unit", help="%, USD, MW, t, kg ... Default: a count.")
    ] = None,
    only_grows: Annotated[
        bool, typer.Option("--only-grows", help="Flag figures that go backwards.")
    ] = False,
    tolerance: Annotated[
        float | None,
        typer.Option("--tolerance", min=0, help="How far two sources may differ, in its unit."),
    ] = None,
    alias: Annotated[
        list[str] | None, typer.Option("--alias", help="Another name; repeatable.")
    ] = None,
    description: Annotated[str | None, typer.Option(
        "--description", "-d", help="What it counts, in a sentence.")] = None,
    fmt: FormatOpt = None,
) -> None:
    """Create a measure: a named series of figures about an entity; prints its id."""
    from claims.figures.measures import add_measure

    with database(ctx).write() as session:
        record = add_measure(session, name, entity=entity, unit=unit, only_grows=only_grows,
                             tolerance=tolerance, aliases=alias or [], description=description)
    _print_id_or_record(record, fmt)


@measure_commands("list")
def measure_list(ctx: typer.Context, entity: MeasureEntityOpt = None, fmt: FormatOpt = None,
                 ) -> None:
    """List measures with their units and how many figures each has."""
    from claims.figures.measures import list_measures

    with database(ctx).connect() as conn:
        records = list_measures(conn, entity=entity)
    emit_records(records, fmt, MEASURE_COLUMNS)


@commands()
def timeline(
    ctx: typer.Context,
    measure: Annotated[str, typer.Argument(metavar="MEASURE", help="Measure name or alias.")],
    entity: MeasureEntityOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    stale_after: Annotated[
        int, typer.Option("--stale-after", min=1, callback=within_64_bits,
                          help="Days without a figure that make it stale.")
    ] = 365,
    fmt: Annotated[
        TimelineFormat | None,
        typer.Option("--format", "-f", case_sensitive=False,
                     help="table, tsv, json, jsonl, csv, or a chart: svg, png (claims[plot])."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
) -> None:
    """A measure's figures in time order, flagged, with a chart."""
    from claims.figures.timeline import timeline as build

    with database(ctx).connect() as conn:
        series = build(conn, measure, entity=entity, since=since, until=until,
                       stale_after_days=stale_after)
    if fmt in (TimelineFormat.SVG, TimelineFormat.PNG):
        _write_chart(series, fmt.value, output)
        return
    if output is not None:
        raise typer.BadParameter("--output is for --format svg or png", param_hint="--output")
    _print_timeline(series, OutputFormat(fmt.value) if fmt else None)


def _write_chart(series: dict[str, Any], fmt: str, output: Path | None) -> None:
    from claims.figures.plot import render_chart

    if output is None and sys.stdout.isatty():
        raise typer.BadParameter(f"a {fmt} chart needs --output FILE (or a pipe)",
                                 param_hint="--output")
    data = render_chart(series, fmt)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        try:
            output.write_bytes(data)
        except OSError as exc:
            from claims.errors import InvalidError

            raise InvalidError(f"cannot write {str(output)!r}: {exc.strerror}",
                               "check that its directory exists and is writable") from None
        note(f"Wrote {output}")


def _print_timeline(series: dict[str, Any], fmt: OutputFormat | None) -> None:
    from claims.cli.render import resolve_format

    shown = resolve_format(fmt)
    if shown in (OutputFormat.JSON, OutputFormat.JSONL):
        emit_record(series, shown)
        return
    if shown is OutputFormat.TABLE:
        from claims.cli.chart import print_chart, print_timeline_table

        print_timeline_table(series, _title(series))
        print_chart(series)
    else:
        emit_records(series["figures"], shown, TIMELINE_COLUMNS)
    if series["stale"]:
        last = series["last"] or "never"
        note(f"Stale: no counted figure for over {series['stale_after_days']} days "
             f"(last: {last})")


def _title(series: dict[str, Any]) -> str:
    measure = series["measure"]
    unit = f" ({measure['unit']})" if measure["unit"] else ""
    grows = ", only grows" if measure["only_grows"] else ""
    return f"{measure['name']} of {measure['entity']}{unit}{grows}"


@commands()
def due(
    ctx: typer.Context,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only the overdue ones.")] = False,
    entity: EntityOpt = None,
    within: Annotated[
        int, typer.Option("--within", min=0, callback=within_64_bits,
                          help="Days ahead that count as due soon.")
    ] = 90,
    all_: Annotated[
        bool, typer.Option("--all", help="Every claim with a due date, resolved ones too.")
    ] = False,
    fmt: FormatOpt = None,
) -> None:
    """Promises and predictions: overdue and unresolved, then due soon."""
    from claims.figures.due import due_claims

    with database(ctx).connect() as conn:
        records = due_claims(conn, overdue_only=overdue, entity=entity, within_days=within,
                             include_resolved=all_)
    emit_records(records, fmt, DUE_COLUMNS)

