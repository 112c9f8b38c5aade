"""Option declarations shared by several commands, so each is spelled once."""

from typing import TYPE_CHECKING, Annotated

import typer

from claims.cli.render import OutputFormat
from claims.vocab import Status

if TYPE_CHECKING:
    from claims.query import ClaimFilter

# Ids, limits and depths are stored or compared as 64-bit integers: a larger number on the
# command line is a usage error (exit 2), not an overflow deep inside the database driver.
INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)
INT64 = {"min": INT64_MIN, "max": INT64_MAX}  # typer.Argument(..., **INT64)

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
        "--entity", "-e", help="Claims about this entity or spoken by it (name or alias)."
    ),
]
AboutOpt = Annotated[
    list[str] | None,
    typer.Option("--about", "-a", help="Claims about this entity; repeat to require several."),
]
SpeakerOpt = Annotated[str | None, typer.Option("--speaker", help="Claims made by this entity.")]
SourceOpt = Annotated[str | None, typer.Option("--source", help="Claims from this source key.")]
StatusesOpt = Annotated[
    list[Status] | None,
    typer.Option(
        "--status",
        "-s",
        case_sensitive=False,
        help="Claims with this status; repeat for any of several.",
    ),
]
TagOpt = Annotated[str | None, typer.Option("--tag", "-t", help="Claims with this tag.")]
SinceOpt = Annotated[
    str | None,
    typer.Option(
        "--since", help="Said (or, failing that, published) on or after this date, YYYY-MM-DD."
    ),
]
UntilOpt = Annotated[
    str | None,
    typer.Option(
        "--until", help="Said (or, failing that, published) on or before this date, YYYY-MM-DD."
    ),
]
LimitOpt = Annotated[int | None, typer.Option("--limit", "-n", min=0, max=INT64_MAX,
                                              help="At most this many.")]
NewOpt = Annotated[
    bool,
    typer.Option(
        "--new", help="Create unknown names as new entities even when they look like typos."
    ),
]

ReviewedByOpt = Annotated[
    str | None, typer.Option("--reviewed-by", help="Claims reviewed by this publisher.")
]
RatingOpt = Annotated[
    list[str] | None,
    typer.Option("--rating", help="Claims some review rates so (e.g. false); repeatable."),
]


def add_review_filters(
    claim_filter: "ClaimFilter", reviewed_by: str | None, ratings: list[str] | None
) -> None:
    """--reviewed-by and --rating, as further WHERE clauses on the filter."""
    if not (reviewed_by or ratings):
        return
    from claims.review_filters import rating_clause, reviewed_by_clause

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
    str | None, typer.Option("--measure", "-m", help="The measure --figure is a value of.")
]
DueOpt = Annotated[
    str | None,
    typer.Option("--due", help="When a promise or prediction comes due: YYYY-MM-DD, "
                               "YYYY-MM, YYYY, 'October 2024'; '' clears it."),
]
HasFigureOpt = Annotated[bool, typer.Option("--has-figure", help="Claims that give a figure.")]


def claim_filter(
    entity: str | None,
    about: list[str] | None,
    speaker: str | None,
    source: str | None,
    status: list[Status] | None,
    tag: str | None,
    since: str | None,
    until: str | None,
    limit: int | None,
) -> "ClaimFilter":
    """The filter options that list, search and export share, as the library's filter."""
    from claims.query import ClaimFilter

    return ClaimFilter(entity=entity, about=about or [], speaker=speaker, source=source,
                       statuses=status or [], tag=tag, since=since, until=until, limit=limit)
