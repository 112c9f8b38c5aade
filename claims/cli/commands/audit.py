"""The audit log's commands: log, undo, restore."""

import shlex
from typing import Annotated, Any

import typer

from claims.cli.helpers import Commands, database, note
from claims.cli.layout import Column
from claims.cli.options import INT64, FormatOpt, LimitOpt
from claims.cli.render import OutputFormat, emit_records, resolve_format

commands = Commands()

# The table shows the minute and a cut command, so that what changed gets the width; every
# other format has the whole record.
LOG_COLUMNS = [
    Column("id", "Id", "bold"),
    Column("at", "At (UTC)", max_width=16),
    Column("by", "By", "cyan", max_width=12),
    Column("command", "Command", max_width=13),
    Column("summary", "Changed", "dim"),
]


@commands("log")
def log(
    ctx: typer.Context,
    claim: Annotated[int | None, typer.Option("--claim", metavar="ID", **INT64,
                                              help="Only changes to this claim.")]
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
    from claims.audit.log import LogFilter, list_change_sets
    from claims.parse import parse_moment

    log_filter = LogFilter(claim=claim, entity=entity, source=source, actor=actor,
                           since=parse_moment(since, "--since", end_of_day=False),
                           until=parse_moment(until, "--until"), limit=limit)
    with database(ctx).read() as session:
        records = list_change_sets(session, log_filter)
    if resolve_format(fmt) is OutputFormat.TABLE:
        records = [_table_row(r) for r in records]
    emit_records(records, fmt, LOG_COLUMNS)


SIGNS = {"insert": "+", "update": "~", "delete": "-"}


def _table_row(record: dict[str, Any]) -> dict[str, Any]:
    """A change set as a table row reads at 80 columns: the minute, the command without
    the program's name (and the --as that the By column shows), and the counts as
    ``claims +1 ~1, claim_tags +3``."""
    command = (record["command"] or "").removeprefix("claims ")
    command = command.removeprefix(f"--as {shlex.quote(record['by'] or '')} ")
    counts = ", ".join(
        f"{kind} " + " ".join(f"{SIGNS[op]}{n}" for op, n in sorted(ops.items()))
        for kind, ops in sorted(record["counts"].items()))
    return {**record, "at": (record["at"] or "")[:16].replace("T", " "),
            "command": command, "summary": counts or "nothing"}


@commands("undo")
def undo(
    ctx: typer.Context,
    change_id: Annotated[int | None, typer.Argument(**INT64,
        metavar="[CHANGE_ID]", help="The change set to revert. Default: your newest.")] = None,
) -> None:
    """Revert a change set (default: your newest one); the undo is a change set too."""
    from claims.audit.undo import undo as undo_change_set

    db = database(ctx)
    with db.write() as session:
        done = undo_change_set(session, change_id, db.context.actor)
    note(f"Undid change set {done['undone']} (as change set {done['change_set']})")


@commands("restore")
def restore(
    ctx: typer.Context,
    claim_id: Annotated[int, typer.Argument(metavar="ID", help="A deleted claim's id.",
                                            **INT64)],
) -> None:
    """Bring a deleted claim back with its links, entities, tags and history."""
    from claims.audit.undo import restore_claim

    with database(ctx).write() as session:
        done = restore_claim(session, claim_id)
    note(f"Restored claim {claim_id} (change set {done['change_set']})")
