"""``--as-of WHEN`` on the read commands, added to the commands as they are registered
(so that their modules need not know about it): the option sets the moment on the
command's database (``claims.audit.as_of``), and the command runs unchanged."""

import functools
import inspect
from collections.abc import Callable
from typing import Annotated, Any

import typer

from claims.cli.command_facts import takes_as_of


def _checked(value: str | None) -> str | None:
    from claims.errors import InvalidError
    from claims.parse import parse_moment

    try:
        parse_moment(value)
    except InvalidError as exc:
        raise typer.BadParameter(str(exc)) from None
    return value


AsOfOpt = Annotated[str | None, typer.Option(
    "--as-of", callback=_checked, metavar="WHEN",
    help="As the database stood then: a date (its end, UTC) or a time with Z or an offset.")]


def with_as_of(callback: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(callback)
    def wrapper(*args: Any, as_of: str | None = None, **kwargs: Any) -> Any:
        if as_of is not None:
            from claims.parse import parse_moment

            ctx = kwargs.get("ctx", args[0] if args else None)
            assert ctx is not None and hasattr(ctx, "find_root"), \
                "every read command takes the context"
            ctx.find_root().obj["as_of"] = parse_moment(as_of)
        return callback(*args, **kwargs)

    signature = inspect.signature(callback)
    extra = inspect.Parameter("as_of", inspect.Parameter.KEYWORD_ONLY, default=None,
                              annotation=AsOfOpt)
    wrapper.__signature__ = signature.replace(  # type: ignore[attr-defined]  # inspect reads it
        parameters=[*signature.parameters.values(), extra])
    wrapper.__annotations__ = {**getattr(callback, "__annotations__", {}), "as_of": AsOfOpt}
    return wrapper


def add_as_of(group: typer.Typer, group_name: str = "") -> None:
    for info in group.registered_commands:
        name = info.name or (info.callback.__name__.strip("_").replace("_", "-")
                             if info.callback else "")
        if takes_as_of(group_name, name) and info.callback is not None:
            info.callback = with_as_of(info.callback)
