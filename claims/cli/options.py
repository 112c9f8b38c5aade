"""Option declarations shared by several commands, so each is spelled once."""

import functools
import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from claims.cli.render import OutputFormat
from claims.cli.usage import (
    check_date,
    check_due,
    check_statuses,
    complete_entity,
    complete_source,
    complete_status,
)
from claims.vocab import Status

if TYPE_CHECKING:
    from claims.reads.query import ClaimFilter

# Ids, limits and depths are stored or compared as 64-bit integers: a larger number on the
# command line is a usage error (exit 2), not an overflow deep inside the database driver.
INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)


def within_64_bits(value: int | None) -> int | None:
    """A callback, not ``max=``: Click would print the range in every --help."""
    if value is not None and not INT64_MIN <= value <= INT64_MAX:
        raise typer.BadParameter(f"{value} does not fit in 64 bits")
    return value


INT64 = {"callback": within_64_bits}  # typer.Argument(..., **INT64)

F = TypeVar("F", bound=Callable[..., Any])

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
LimitOpt = Annotated[int | None, typer.Option("--limit", "-n", min=0, callback=within_64_bits,
                                              help="At most this many.")]
NewOpt = Annotated[
    bool,
    typer.Option(
        "--new", help="Create unknown names as new entities even when they look like typos."
    ),
]

ReviewedByOpt = Annotated[
    str | None, typer.Option("--reviewed-by", metavar="NAME",
                             help="Claims reviewed by this publisher.")
]
RatingOpt = Annotated[
    list[str] | None,
    typer.Option("--rating", metavar="STATUS", callback=check_statuses,
                 autocompletion=complete_status,
                 help="Claims some review rates so (e.g. false); repeatable."),
]


def add_review_filters(
    claim_filter: "ClaimFilter", reviewed_by: str | None, ratings: list[str] | None
) -> None:
    """--reviewed-by and --rating, as further WHERE clauses on the filter."""
    if not (reviewed_by or ratings):
        return
    from claims.reviews.reads import rating_clause, reviewed_by_clause

    if reviewed_by:
        claim_filter.extra.append(reviewed_by_clause(reviewed_by))
    if ratings:
        claim_filter.extra.append(rating_clause(ratings))


# Figures and due dates (claims.figures) on add, edit and list.
FigureOpt = Annotated[
    str | None,
    typer.Option("--figure", help='A figure the claim gives ("17%"), or "auto" to find it.'),
]
FigureMeasureOpt = Annotated[
    str | None, typer.Option("--measure", "-m", metavar="NAME",
                             help="The measure --figure is a value of.")
]
DueOpt = Annotated[
    str | None,
    typer.Option("--due", metavar="DATE", callback=check_due,
                 help="When a promise or prediction comes due: YYYY-MM-DD, "
                      "YYYY-MM, YYYY, 'October 2024'; '' clears it."),
]
HasFigureOpt = Annotated[bool, typer.Option("--has-figure", help="Claims that give a figure.")]


# The claim filter, declared once: each option's parameter name, annotation and default.
FILTER_OPTIONS: list[tuple[str, Any, Any]] = [
    ("entity", EntityOpt, None),
    ("about", AboutOpt, None),
    ("speaker", SpeakerOpt, None),
    ("source", SourceOpt, None),
    ("status", StatusesOpt, None),
    ("tag", TagOpt, None),
    ("since", SinceOpt, None),
    ("until", UntilOpt, None),
    ("limit", LimitOpt, None),
]


def with_claim_filter(limit: Any = LimitOpt, limit_default: int | None = None) -> Callable[[F], F]:
    """Gives a command the filter options in place of its ``claim_filter`` parameter, and
    calls it with their values as one ``ClaimFilter`` (``claim_filter=``). ``limit`` and
    ``limit_default`` replace the --limit option where a command counts differently."""

    def decorate(func: F) -> F:
        signature = inspect.signature(func)
        params: list[inspect.Parameter] = []
        for param in signature.parameters.values():
            if param.name != "claim_filter":
                params.append(param)
                continue
            for name, annotation, default in FILTER_OPTIONS:
                if name == "limit":
                    annotation, default = limit, limit_default
                params.append(inspect.Parameter(name, param.kind, annotation=annotation,
                                                default=default))

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            values = {name: kwargs.pop(name) for name, _, _ in FILTER_OPTIONS}
            return func(*args, claim_filter=claim_filter(**values), **kwargs)

        # What Typer reads for the options: the signature with claim_filter spelled out.
        wrapper.__signature__ = signature.replace(  # type: ignore[attr-defined]  # inspect reads it
            parameters=params)
        wrapper.__annotations__ = {p.name: p.annotation for p in params}
        return wrapper  # type: ignore[return-value]  # F, but with the filter's options

    return decorate


def claim_filter(
    *,
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
    """The filter options' values as the library's filter."""
    from claims.reads.query import ClaimFilter

    return ClaimFilter(entity=entity, about=about or [], speaker=speaker, source=source,
                       statuses=status or [], tags=tag or [], since=since, until=until, limit=limit)
