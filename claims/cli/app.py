"""The root command: global options, error handling, and the sub-command groups.

Nothing here imports SQLAlchemy or Alembic at module level: ``claims --help`` and shell
completion run on every TAB and must stay fast. Commands import the library when they run.

The modules that define commands do without ``from __future__ import annotations``: Typer
reads every command's annotations to build the CLI, on every TAB too, and a string
annotation costs an ``eval`` each (three quarters of building the commands, bench/).
"""

import functools
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
import typer.core

from claims import __version__
from claims.errors import ClaimsError

if TYPE_CHECKING:
    from claims.db import Database

F = TypeVar("F", bound=Callable[..., Any])


def handle_errors(func: F) -> F:
    """Every library error becomes one line on stderr and exit 1; anything unexpected too,
    without a traceback unless CLAIMS_DEBUG=1. Usage errors stay Typer's (exit 2)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort, BrokenPipeError):
            raise
        except ClaimsError as exc:
            fail(str(exc), exc.exit_code)
        except KeyboardInterrupt:
            fail("interrupted", 130)
        except Exception as exc:
            if os.environ.get("CLAIMS_DEBUG") == "1":
                raise
            fail(
                f"unexpected {type(exc).__name__}: {_first_line(exc)}"
                " (run again with CLAIMS_DEBUG=1 for details)"
            )
        return None

    return wrapper  # type: ignore[return-value]


def command(group: typer.Typer, name: str | None = None) -> Callable[[F], F]:
    """Register a command on ``group`` with the shared error handling."""

    def decorate(func: F) -> F:
        group.command(name)(handle_errors(func))
        return func

    return decorate


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else "no details"


def fail(message: str, code: int = 1) -> None:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(code)


def note(message: str) -> None:
    """Information for the user that is not the command's output: stderr."""
    typer.echo(message, err=True)


class _ArgvGroup(typer.core.TyperGroup):
    """The root group, keeping the arguments as typed for the audit log's change sets."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        ctx.meta["claims_argv"] = list(args)
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=_ArgvGroup,
    help="Track fact claims: who said what, where it was reported, and what we believe of it.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"claims {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="CLAIMS_DB",
            show_envvar=True,
            help="Database file path or SQLAlchemy URL. Default: a file in your data directory.",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
    actor: Annotated[
        str | None,
        typer.Option(
            "--as",
            metavar="NAME",
            help="Who is making this change, for the audit log. "
                 "Default: $CLAIMS_USER, else your login name.",
        ),
    ] = None,
) -> None:
    ctx.obj = {"db": db, "actor": actor}


def database(ctx: typer.Context) -> "Database":
    """The command's database, opened (and migrated) on first use."""
    root_ctx = ctx.find_root()
    state: dict[str, Any] = root_ctx.obj if isinstance(root_ctx.obj, dict) else {}
    if "database" not in state:
        from claims.db import open_database

        state["database"] = open_database(state.get("db"))
        state["database"].actor = state.get("actor")
        state["database"].command = _typed_command(root_ctx)
        state["database"].as_of = state.get("as_of")
        root_ctx.call_on_close(state["database"].close)
    return state["database"]


def _typed_command(root_ctx: typer.Context) -> str | None:
    from claims.audit import masked_command

    argv = root_ctx.meta.get("claims_argv")
    return masked_command(argv) if argv is not None else None


def _register() -> None:
    from claims.cli import audit_cmds, claims_cmds, db_cmds, entities, find, sources, transfer

    claims_cmds.register(app)
    find.register(app)
    transfer.register(app)
    audit_cmds.register(app)  # last: it adds --as-of to the read commands above
    app.add_typer(
        entities.app, name="entity", help="People, organisations, places ... and their aliases."
    )
    app.add_typer(sources.app, name="source", help="Where claims were published.")
    app.add_typer(db_cmds.app, name="db",
                  help="Where the database is, its schema revision, and backups.")


_register()
