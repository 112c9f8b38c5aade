"""Commands on claims: add, list, show, edit, status, history, link, unlink, delete, seed."""

from typing import TYPE_CHECKING, Annotated, Any

import typer

from claims.cli.helpers import Commands, database, note
from claims.cli.layout import Column
from claims.cli.listing import ReverseOpt, SortOpt, emit_listing, sorted_filter
from claims.cli.options import (
    INT64,
    DueOpt,
    FigureMeasureOpt,
    FigureOpt,
    FormatOpt,
    HasFigureOpt,
    NewOpt,
    RatingOpt,
    ReviewedByOpt,
    add_review_filters,
    with_claim_filter,
)
from claims.cli.render import (
    CLAIM_COLUMNS,
    OutputFormat,
    emit_record,
    emit_records,
    heading,
)
from claims.cli.usage import check_date
from claims.vocab import LinkKind, Status
from claims.vocab import SortKey as Sort

if TYPE_CHECKING:
    from claims.database.engine import Database
    from claims.reads.query import ClaimFilter
    from claims.writes.store import WriteResult

LINK_COLUMNS = [
    Column("direction", "Dir"),
    Column("kind", "Kind", "bold"),
    Column("other_id", "ID"),
    Column("other_status", "Status"),
    Column("other_text", "Claim"),
    Column("note", "Note"),
]
HISTORY_COLUMNS = [
    Column("at", "At"),
    Column("from", "From"),
    Column("to", "To", "bold"),
    Column("evidence", "Evidence"),
    Column("note", "Note"),
    Column("by", "By"),
    Column("kind", "Kind"),
]

commands = Commands()



@commands()
def add(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="The claim, in your words.")],
    source: Annotated[str, typer.Option(
        "--source", metavar="KEY", help="Key of the source it appeared in.")],
    speaker: Annotated[str | None, typer.Option(
        "--speaker", metavar="NAME", help="Who made it.")] = None,
    about: Annotated[
        list[str] | None,
        typer.Option("--about", "-a", metavar="NAME",
                     help="An entity it is about; repeat for several."),
    ] = None,
    status: Annotated[
        Status, typer.Option("--status", "-s", case_sensitive=False, metavar="STATUS",
                             help="Initial status: " + ", ".join(s.value for s in Status)
                                  + ".")
    ] = Status.UNVERIFIED,
    quote: Annotated[str | None, typer.Option("--quote", help="Verbatim quote.")] = None,
    said_on: Annotated[str | None, typer.Option(
        "--said-on", metavar="DATE", callback=check_date, help="Date said, YYYY-MM-DD.")] = None,
    tag: Annotated[list[str] | None, typer.Option(
        "--tag", "-t", metavar="TAG", help="A tag; repeatable.")] = None,
    note_: Annotated[str | None, typer.Option("--note", help="Why this status.")] = None,
    new: NewOpt = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="Add it even if its source has a claim with the same text."),
    ] = False,
    figure: FigureOpt = None,
    measure: FigureMeasureOpt = None,
    due: DueOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """Record a claim and print its id."""
    from claims.writes import store

    db = database(ctx)
    with db.write() as session:
        result = store.add_claim(
            session,
            text,
            source=source,
            speaker=speaker,
            about=about or [],
            status=status,
            quote=quote,
            said_on=said_on,
            tags=tag or [],
            note=note_,
            allow_new_names=new,
            force=force,
        )
        if figure is not None or measure is not None or due is not None:
            from claims.figures.store import apply_claim_options

            apply_claim_options(session, result.claim.id, figure=figure, measure=measure,
                                due=due)
        record = _record(session, result) if fmt is not None else None
    _report_created(result)
    for warning in result.warnings:
        note(f"Warning: {warning}")
    if record is None:
        typer.echo(result.claim.id)  # the id alone: no record to build (issue 17)
    else:
        emit_record(record, fmt)


def _record(session: Any, result: "WriteResult") -> dict[str, Any]:
    from claims.reads.records import claim_records

    return claim_records(session, [result.claim.id])[0]


def _report_created(result: "WriteResult") -> None:
    for entity in result.created_entities:
        note(
            f"Created entity {entity.name!r} (kind {entity.kind}; "
            f"'claims entity edit' to change it)"
        )


@commands("list")
@with_claim_filter()
def list_(
    ctx: typer.Context,
    claim_filter: "ClaimFilter | None" = None,
    reviewed_by: ReviewedByOpt = None,
    rating: RatingOpt = None,
    measure: Annotated[
        str | None, typer.Option("--measure", "-m", metavar="NAME",
                                 help="Claims giving a figure of this measure.")
    ] = None,
    has_figure: HasFigureOpt = False,
    sort: SortOpt = None,
    reverse: ReverseOpt = False,
    fmt: FormatOpt = None,
) -> None:
    """List claims, narrowed by any of the filters.

    Oldest first; --sort and --reverse choose another order.
    """
    from claims.reads.query import count_claims, list_claims

    assert claim_filter is not None  # given by with_claim_filter
    if sort is Sort.SCORE:
        raise typer.BadParameter("score orders a search: use it with 'claims search'",
                                 param_hint="'--sort'")
    add_review_filters(claim_filter, reviewed_by, rating)
    limit = claim_filter.limit
    with database(ctx).connect() as conn:  # Core only: the ORM never loads for a listing
        if measure is not None or has_figure:  # else spare the import of claims.figures
            from claims.figures.measures import claim_figure_clauses

            claim_filter.extra.extend(claim_figure_clauses(conn, measure, has_figure))
        claim_filter = sorted_filter(claim_filter, sort, reverse)
        records = list_claims(conn, claim_filter=claim_filter)
        emit_listing(records, fmt, CLAIM_COLUMNS, limit,
                     lambda: count_claims(conn, claim_filter))


@commands()
def show(
    ctx: typer.Context,
    claim_id: Annotated[int, typer.Argument(metavar="ID", **INT64, help="Claim id.")],
    fmt: FormatOpt = None,
) -> None:
    """Everything about a claim: source and its via chain, links, status history."""
    from claims.reviews.full_record import full_claim_record

    with database(ctx).connect() as conn:  # Core only: the ORM never loads for a claim shown
        record = full_claim_record(conn, claim_id)
    emit_record(record, fmt, [("links", _links_section(fmt)), ("history", _history_section(fmt)),
                              ("reviews", _reviews_section(fmt)),
                              ("figures", _figures_section(fmt))])


def _reviews_section(fmt: OutputFormat | None) -> Any:
    def show_reviews(record: dict[str, Any]) -> None:
        if record["reviews"]:
            from claims.cli.commands.reviews import REVIEW_COLUMNS

            heading("Reviews")
            emit_records(record["reviews"], fmt, REVIEW_COLUMNS)

    return show_reviews


def _figures_section(fmt: OutputFormat | None) -> Any:
    def show_figures(record: dict[str, Any]) -> None:
        if record["figures"]:
            from claims.cli.commands.figures import FIGURE_COLUMNS

            heading("Figures")
            emit_records(record["figures"], fmt, FIGURE_COLUMNS)

    return show_figures


def _links_section(fmt: OutputFormat | None) -> Any:
    def show_links(record: dict[str, Any]) -> None:
        if record["links"]:
            heading("Links")
            rows = [
                {
                    **link,
                    "other_id": link["other"]["id"],
                    "other_text": link["other"]["text"],
                    "other_status": link["other"]["status"],
                }
                for link in record["links"]
            ]
            emit_records(rows, fmt, LINK_COLUMNS)

    return show_links


def _history_section(fmt: OutputFormat | None) -> Any:
    def show_history(record: dict[str, Any]) -> None:
        heading("History")
        emit_records(record["history"], fmt, HISTORY_COLUMNS)

    return show_history


@commands()
def edit(
    ctx: typer.Context,
    claim_id: Annotated[int, typer.Argument(metavar="ID", **INT64, help="Claim id.")],
    text: Annotated[str | None, typer.Option("--text", help="New text.")] = None,
    quote: Annotated[str | None, typer.Option("--quote", help="New quote; '' clears it.")] = None,
    speaker: Annotated[
        str | None, typer.Option("--speaker", metavar="NAME", help="New speaker; '' clears it.")
    ] = None,
    about: Annotated[
        list[str] | None,
        typer.Option("--about", "-a", metavar="NAME",
                     help="Add an entity it is about; repeatable."),
    ] = None,
    not_about: Annotated[
        list[str] | None,
        typer.Option("--not-about", metavar="NAME",
                     help="Remove an entity it is about; repeatable."),
    ] = None,
    tag: Annotated[list[str] | None, typer.Option(
        "--tag", "-t", metavar="TAG", help="Add a tag; repeatable.")] = None,
    untag: Annotated[list[str] | None, typer.Option(
        "--untag", metavar="TAG", help="Remove a tag; repeatable.")] = None,
    said_on: Annotated[
        str | None, typer.Option("--said-on", metavar="DATE", callback=check_date,
                                 help="New date, YYYY-MM-DD; '' clears it.")
    ] = None,
    new: NewOpt = False,
    due: DueOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """Change a claim's text, quote, speaker, entities, tags or date (not its status)."""
    from claims.figures.store import apply_claim_options
    from claims.writes import store

    with database(ctx).write() as session:
        result = store.edit_claim(
            session,
            claim_id,
            text=text,
            quote=quote,
            speaker=speaker,
            add_about=about or [],
            remove_about=not_about or [],
            add_tags=tag or [],
            remove_tags=untag or [],
            said_on=said_on,
            allow_new_names=new,
        )
        apply_claim_options(session, claim_id, due=due)
        record = _record(session, result)
    _report_created(result)
    emit_record(record, fmt)


@commands()
def status(
    ctx: typer.Context,
    claim_id: Annotated[int, typer.Argument(metavar="ID", **INT64, help="Claim id.")],
    new: Annotated[
        Status, typer.Argument(metavar="STATUS", case_sensitive=False,
                               help="The new status: " + ", ".join(s.value for s in Status)
                                    + ".")
    ],
    note_: Annotated[str | None, typer.Option("--note", help="Why.")] = None,
    evidence: Annotated[
        str | None, typer.Option("--evidence", help="Key of the source that supports the change.")
    ] = None,
) -> None:
    """Change a claim's status; the change is added to its history."""
    from claims.writes import store

    with database(ctx).write() as session:
        event = store.set_status(session, claim_id, new, note=note_, evidence=evidence)
        change = f"{event.from_status} -> {event.to_status}"
    note(f"Claim {claim_id}: {change}")


@commands()
def history(
    ctx: typer.Context,
    claim_id: Annotated[int, typer.Argument(metavar="ID", **INT64, help="Claim id.")],
    fmt: FormatOpt = None,
) -> None:
    """A claim's status changes and edits, oldest first, with who made each and when."""
    from claims.audit.history import claim_timeline as claim_history

    with database(ctx).read() as session:
        rows = claim_history(session, claim_id)
    emit_records(rows, fmt, HISTORY_COLUMNS)


@commands()
def link(
    ctx: typer.Context,
    claim_id: Annotated[int, typer.Argument(metavar="ID", **INT64,
                                            help="The linking claim.")],
    kind: Annotated[
        LinkKind,
        typer.Argument(
            metavar="KIND",
            case_sensitive=False,
            help="supports, contradicts, updates, repeats or responds-to.",
        ),
    ],
    other_id: Annotated[int, typer.Argument(metavar="OTHER_ID", **INT64,
                                            help="The linked claim.")],
    note_: Annotated[str | None, typer.Option("--note", help="Why they are linked.")] = None,
) -> None:
    """Link two claims: ID KIND OTHER_ID, e.g. '5 contradicts 4'."""
    from claims.writes import store

    with database(ctx).write() as session:
        store.link_claims(session, claim_id, kind, other_id, note=note_)
    note(f"Linked: {claim_id} {kind.value} {other_id}")


@commands()
def unlink(
    ctx: typer.Context,
    claim_id: Annotated[int, typer.Argument(metavar="ID", **INT64, help="The linking claim.")],
    kind: Annotated[LinkKind, typer.Argument(
        metavar="KIND", case_sensitive=False, help="The kind of the link to remove.")],
    other_id: Annotated[int, typer.Argument(metavar="OTHER_ID", **INT64,
                                            help="The linked claim.")],
) -> None:
    """Remove a link between two claims."""
    from claims.writes import store

    with database(ctx).write() as session:
        store.unlink_claims(session, claim_id, kind, other_id)
    note(f"Unlinked: {claim_id} {kind.value} {other_id}")


@commands()
def delete(
    ctx: typer.Context,
    claim_id: Annotated[int, typer.Argument(metavar="ID", **INT64, help="Claim id.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask first.")] = False,
    purge: Annotated[bool, typer.Option(
        "--purge", help="Remove its content for good, from the log too (asks first).")] = False,
) -> None:
    """Delete a claim with its links and history (asks first); 'claims restore' undoes it."""
    from claims.reads.lookup import get_claim
    from claims.reads.records import claim_records
    from claims.writes import store

    db = database(ctx)
    if purge:
        _purge(db, claim_id, yes)
        return
    if not yes:
        with db.read() as session:
            get_claim(session, claim_id)
            text = claim_records(session, [claim_id])[0]["text"]
        typer.confirm(
            f"Delete claim {claim_id} ({text[:60]!r})? ('claims restore' brings it back)",
            abort=True, err=True,
        )
    with db.write() as session:
        store.delete_claim(session, claim_id)
    note(f"Deleted claim {claim_id}")


@commands()
def seed(ctx: typer.Context) -> None:
    """Load the seed article's claims; loading twice changes nothing."""
    from claims.writes.seed import load_seeds

    with database(ctx).write() as session:
        summary = load_seeds(session)
    added = ", ".join(f"{n} {what}" for what, n in summary.added.items())
    note(f"Seeded: {added}" if summary.changed else "Seed data already present; nothing changed")


def _purge(db: "Database", claim_id: int, yes: bool) -> None:
    """``claims delete ID --purge``: asks on a terminal, refuses in a pipe without --yes."""
    import sys

    from claims.audit.purge import purge_claim
    from claims.errors import InvalidError

    if not yes:
        if not sys.stdin.isatty():
            raise InvalidError(f"purging claim {claim_id} needs confirmation",
                               "run it on a terminal, or pass --yes")
        typer.confirm(f"Purge claim {claim_id}: remove its content for good, from the log too?",
                      abort=True, err=True)
    with db.write() as session:
        redacted = purge_claim(session, claim_id)
    note(f"Purged claim {claim_id} ({redacted} log entries redacted)")
