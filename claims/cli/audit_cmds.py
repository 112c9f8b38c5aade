"""The audit log's commands: log, undo, restore; and ``source edit``."""

from typing import Annotated, Any

import typer

from claims.cli.app import command, database, note
from claims.cli.options import FormatOpt, LimitOpt
from claims.cli.render import Column, emit_record, emit_records
from claims.vocab import SourceKind

LOG_COLUMNS = [
    Column("id", "Set", "bold"),
    Column("at", "At"),
    Column("by", "By", "cyan"),
    Column("command", "Command"),
    Column("summary", "Changed", "dim"),
]


def log(
    ctx: typer.Context,
    claim: Annotated[int | None, typer.Option("--claim", help="Only changes to this claim.")]
    = None,
    entity: Annotated[str | None, typer.Option("--entity", "-e",
                                               help="Only changes to this entity.")] = None,
    source: Annotated[str | None, typer.Option("--source", help="Only changes to this source.")]
    = None,
    actor: Annotated[str | None, typer.Option("--actor", help="Only changes by this actor.")]
    = None,
    since: Annotated[str | None, typer.Option(
        "--since", help="Made at or after this moment (a date: its start, UTC).")] = None,
    until: Annotated[str | None, typer.Option(
        "--until", help="Made at or before this moment (a date: its end, UTC).")] = None,
    limit: LimitOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """The change sets of the audit log, newest first: who, when, the command, what changed."""
    from claims.changelog import LogFilter, list_change_sets
    from claims.moment import parse_moment

    log_filter = LogFilter(claim=claim, entity=entity, source=source, actor=actor,
                           since=parse_moment(since, "--since", end_of_day=False),
                           until=parse_moment(until, "--until"), limit=limit)
    with database(ctx).read() as session:
        records = list_change_sets(session, log_filter)
    emit_records(records, fmt, LOG_COLUMNS)


def undo(
    ctx: typer.Context,
    change_id: Annotated[int | None, typer.Argument(
        metavar="[CHANGE_ID]", help="The change set to revert. Default: your newest.")] = None,
) -> None:
    """Revert a change set (default: your newest one); the undo is a change set too."""
    from claims.undo import undo as undo_change_set

    db = database(ctx)
    with db.write() as session:
        done = undo_change_set(session, change_id, db.actor)
    note(f"Undid change set {done['undone']} (as change set {done['change_set']})")


def restore(
    ctx: typer.Context,
    claim_id: Annotated[int, typer.Argument(metavar="ID", help="A deleted claim's id.")],
) -> None:
    """Bring a deleted claim back with its links, entities, tags and history."""
    from claims.undo import restore_claim

    with database(ctx).write() as session:
        done = restore_claim(session, claim_id)
    note(f"Restored claim {claim_id} (change set {done['change_set']})")


def source_edit(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Source key.")],
    title: Annotated[str | None, typer.Option("--title")] = None,
    outlet: Annotated[str | None, typer.Option("--outlet")] = None,
    url: Annotated[str | None, typer.Option("--url", help="'' clears it.")] = None,
    published: Annotated[str | None, typer.Option(
        "--published", help="YYYY-MM-DD; '' clears it.")] = None,
    kind: Annotated[SourceKind | None, typer.Option("--kind", "-k", case_sensitive=False)]
    = None,
    via: Annotated[str | None, typer.Option("--via", help="Source key; '' clears it.")] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="'' clears them.")] = None,
    fmt: FormatOpt = None,
) -> None:
    """Change a source's title, outlet, URL, published date, kind, via or notes."""
    from claims.query import source_record
    from claims.source_edit import edit_source

    with database(ctx).write() as session:
        source = edit_source(session, key, title=title, outlet=outlet, url=url,
                             published=published, kind=kind, via=via, notes=notes)
        record: dict[str, Any] = source_record(source)
    emit_record(record, fmt)


def register(app: typer.Typer) -> None:
    """Called after the other command modules registered theirs (``--as-of`` wraps them)."""
    from claims.cli import entities, sources
    from claims.cli.as_of import add_as_of

    for func in (log, undo, restore):
        command(app)(func)
    command(sources.app, "edit")(source_edit)
    add_as_of(app)
    add_as_of(entities.app, "entity")
    add_as_of(sources.app, "source")


def purge(db: Any, claim_id: int, yes: bool) -> None:
    """``claims delete ID --purge``: asks on a terminal, refuses in a pipe without --yes."""
    import sys

    from claims.errors import InvalidError
    from claims.purge import purge_claim

    if not yes:
        if not sys.stdin.isatty():
            raise InvalidError(f"purging claim {claim_id} needs confirmation",
                               "run it on a terminal, or pass --yes")
        typer.confirm(f"Purge claim {claim_id}: remove its content for good, from the log too?",
                      abort=True, err=True)
    with db.write() as session:
        redacted = purge_claim(session, claim_id)
    note(f"Purged claim {claim_id} ({redacted} log entries redacted)")
