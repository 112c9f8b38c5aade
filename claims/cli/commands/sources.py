"""``claims source ...``: where claims were published, and what they came through."""

from typing import Annotated, Any

import typer

from claims.cli.helpers import Commands, database
from claims.cli.layout import Column
from claims.cli.options import FormatOpt
from claims.cli.render import CLAIM_COLUMNS, emit_record, emit_records, heading
from claims.cli.usage import check_date
from claims.vocab import SourceKind

commands = Commands()

SOURCE_COLUMNS = [
    Column("key", "Key", "bold"),
    Column("outlet", "Outlet", "cyan"),
    Column("published", "Published"),
    Column("kind", "Kind"),
    Column("via", "Via"),
    Column("title", "Title"),
]


@commands("add")
def add(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="A short unique key, e.g. menafn-putin-iran-treaty.")],
    outlet: Annotated[str, typer.Option("--outlet", help="Who published it.")],
    title: Annotated[str, typer.Option("--title", help="Its title or headline.")],
    url: Annotated[str | None, typer.Option(
        "--url", metavar="URL", help="Where it can be read.")] = None,
    published: Annotated[str | None, typer.Option(
        "--published", metavar="DATE", callback=check_date,
        help="Date published, YYYY-MM-DD.")] = None,
    kind: Annotated[
        SourceKind, typer.Option("--kind", "-k", case_sensitive=False, help="What it is.")
    ] = SourceKind.ARTICLE,
    via: Annotated[
        str | None, typer.Option(
            "--via", metavar="KEY", help="Key of the source this one reached us through.")
    ] = None,
    notes: Annotated[str | None, typer.Option(
        "--notes", help="Anything else worth knowing about it.")] = None,
) -> None:
    """Record a source and print its key."""
    from claims.writes import store

    with database(ctx).write() as session:
        source = store.add_source(
            session,
            key,
            title=title,
            outlet=outlet,
            url=url,
            published=published,
            kind=kind,
            via=via,
            notes=notes,
        )
        typer.echo(source.key)


@commands("list")
def list_(
    ctx: typer.Context,
    outlet: Annotated[str | None, typer.Option("--outlet", help="Only this outlet.")] = None,
    fmt: FormatOpt = None,
) -> None:
    """List sources."""
    from claims.reads.query import list_sources

    with database(ctx).read() as session:
        records = list_sources(session, outlet)
    emit_records(records, fmt, SOURCE_COLUMNS)


@commands("show")
def show(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Source key.")],
    fmt: FormatOpt = None,
) -> None:
    """A source, the chain it came through, and its claims."""
    from claims.cli.commands.report import track_record_section
    from claims.reads.query import ClaimFilter, show_source
    from claims.reads.stats import track_record

    with database(ctx).read() as session:
        record = show_source(session, key)
        record["track_record"] = track_record(
            session, ClaimFilter(source=record["key"]), group=record["key"])

    def claims_section(rec: dict[str, Any]) -> None:
        heading(f"Claims ({len(rec['claims'])})")
        emit_records(rec["claims"], fmt, CLAIM_COLUMNS)

    emit_record(record, fmt, [("track_record", track_record_section("Track record", fmt)),
                              ("claims", claims_section)])


@commands("edit")
def edit(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(metavar="KEY", help="Source key.")],
    title: Annotated[str | None, typer.Option("--title", help="Its new title or headline.")]
    = None,
    outlet: Annotated[str | None, typer.Option("--outlet", help="Who published it.")] = None,
    url: Annotated[str | None, typer.Option("--url", help="'' clears it.")] = None,
    published: Annotated[str | None, typer.Option(
        "--published", help="YYYY-MM-DD; '' clears it.")] = None,
    kind: Annotated[SourceKind | None, typer.Option(
        "--kind", "-k", case_sensitive=False, help="What kind of source it is.")] = None,
    via: Annotated[str | None, typer.Option("--via", help="Source key; '' clears it.")] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="'' clears them.")] = None,
    fmt: FormatOpt = None,
) -> None:
    """Change a source's title, outlet, URL, published date, kind, via or notes."""
    from claims.reads.query import source_record
    from claims.writes.sources import edit_source

    with database(ctx).write() as session:
        source = edit_source(session, key, title=title, outlet=outlet, url=url,
                             published=published, kind=kind, via=via, notes=notes)
        record: dict[str, Any] = source_record(source)
    emit_record(record, fmt)
