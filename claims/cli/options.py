"""Option declarations shared by several commands, so each is spelled once."""

import functools
import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from claims.cli.render import OutputFormat
from claims.vocab import Status

if TYPE_CHECKING:
    from claims.query import ClaimFilter

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
LimitOpt = Annotated[int | None, typer.Option("--limit", "-n", min=0, help="At most this many.")]
NewOpt = Annotated[
    bool,
    typer.Option(
        "--new", help="Create unknown names as new entities even when they look like typos."
    ),
]


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

        wrapper.__signature__ = signature.replace(parameters=params)  # type: ignore[attr-defined]
        wrapper.__annotations__ = {p.name: p.annotation for p in params}
        return wrapper  # type: ignore[return-value]

    return decorate


def claim_filter(
    *,
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
    """The filter options' values as the library's filter."""
    from claims.query import ClaimFilter

    return ClaimFilter(entity=entity, about=about or [], speaker=speaker, source=source,
                       statuses=status or [], tag=tag, since=since, until=until, limit=limit)
