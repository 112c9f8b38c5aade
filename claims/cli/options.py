"""Option declarations shared by several commands, so each is spelled once."""

from typing import TYPE_CHECKING, Annotated

import typer

from claims.cli.render import OutputFormat
from claims.cli.values import (
    check_date,
    check_statuses,
    complete_entity,
    complete_source,
    complete_status,
)
from claims.vocab import Status

if TYPE_CHECKING:
    from claims.query import ClaimFilter

FormatOpt = Annotated[
    OutputFormat | None,
    typer.Option(
        "--format",
        "-f",
        case_sensitive=False,
        help="Output format. Default: table on a terminal, tab-separated text in a pipe.",
    ),
]
EntityOpt = Annotated[
    str | None,
    typer.Option(
        "--entity", "-e", metavar="NAME", autocompletion=complete_entity,
        help="Claims about this entity or spoken by it (name or alias)."
    ),
]
AboutOpt = Annotated[
    list[str] | None,
    typer.Option("--about", "-a", metavar="NAME", autocompletion=complete_entity,
                 help="Claims about this entity; repeat to require several."),
]
SpeakerOpt = Annotated[str | None, typer.Option(
    "--speaker", metavar="NAME", autocompletion=complete_entity,
    help="Claims made by this entity.")]
SourceOpt = Annotated[str | None, typer.Option(
    "--source", metavar="KEY", autocompletion=complete_source,
    help="Claims from this source key.")]
StatusesOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--status",
        "-s",
        metavar="STATUS",
        callback=check_statuses,
        autocompletion=complete_status,
        help="Claims with this status; repeat for any of several. "
             f"One of: {', '.join(s.value for s in Status)}.",
    ),
]
TagOpt = Annotated[
    list[str] | None,
    typer.Option("--tag", "-t", metavar="TAG",
                 help="Claims with this tag; repeat to require all of them (as --about)."),
]
SinceOpt = Annotated[
    str | None,
    typer.Option(
        "--since", metavar="DATE", callback=check_date,
        help="Said (or, failing that, published) on or after this date, YYYY-MM-DD."
    ),
]
UntilOpt = Annotated[
    str | None,
    typer.Option(
        "--until", metavar="DATE", callback=check_date,
        help="Said (or, failing that, published) on or before this date, YYYY-MM-DD."
    ),
]
LimitOpt = Annotated[int | None, typer.Option("--limit", "-n", min=0, help="At most this many.")]
NewOpt = Annotated[
    bool,
    typer.Option(
        "--new", help="Create unknown names as new entities even when they look like typos."
    ),
]


def claim_filter(
    entity: str | None,
    about: list[str] | None,
    speaker: str | None,
    source: str | None,
    status: list[Status] | list[str] | None,
    tag: list[str] | None,
    since: str | None,
    until: str | None,
    limit: int | None,
) -> "ClaimFilter":
    """The filter options that list, search and export share, as the library's filter."""
    from claims.query import ClaimFilter

    return ClaimFilter(entity=entity, about=about or [], speaker=speaker, source=source,
                       statuses=status or [], tags=tag or [], since=since, until=until, limit=limit)
