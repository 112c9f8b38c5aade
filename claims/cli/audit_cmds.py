"""The audit log's commands: log, undo, restore."""

from typing import Annotated

import typer

from claims.cli.helpers import Commands, database, note
from claims.cli.options import FormatOpt, LimitOpt
from claims.cli.render import Column, emit_records

commands = Commands()

LOG_COLUMNS = [
    Column("id", "Set", "bold"),
    Column("at", "At"),
    Column("by", "By", "cyan"),
    Column("command", "Command"),
    Column("summary", "Changed", "dim"),
]


@commands("log")
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


@commands("undo")
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


@commands("restore")
def restore(
    ctx: typer.Context,
    claim_id: Annotated[int, typer.Argument(metavar="ID", help="A deleted claim's id.")],
) -> None:
    """Bring a deleted claim back with its links, entities, tags and history."""
    from claims.undo import restore_claim

    with database(ctx).write() as session:
        done = restore_claim(session, claim_id)
    note(f"Restored claim {claim_id} (change set {done['change_set']})")
