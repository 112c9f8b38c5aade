"""What every command module shares: registering commands, error handling, the database,
messages on stderr. A leaf of ``claims.cli``: it imports no command module, so each of
them imports on its own (``python -c "import claims.cli.commands.claims"``).

Nothing here imports SQLAlchemy or Alembic at module level: ``claims --help`` and shell
completion run on every TAB and must stay fast.
"""

import functools
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

import typer

from claims.errors import ClaimsError

if TYPE_CHECKING:
    from claims.database.engine import Database

F = TypeVar("F", bound=Callable[..., Any])
UsageError = cast("type[Exception]", typer.BadParameter.__mro__[1])  # Click's, vendored


class Commands:
    """The commands one module defines, in the order it defines them. The only way a
    command is registered: ``@commands("name")`` in the module, then ``claims.cli.registry``
    (which names the module of every command) attaches them to the root (``attach``) or to
    a group of their own (``group``) when the command is asked for."""

    def __init__(self) -> None:
        self._entries: list[tuple[str | None, Callable[..., Any]]] = []

    def __call__(self, name: str | None = None) -> Callable[[F], F]:
        def decorate(func: F) -> F:
            self._entries.append((name, func))
            return func

        return decorate

    def attach(self, group: typer.Typer) -> None:
        for name, func in self._entries:
            group.command(name)(handle_errors(func))

    def group(self) -> typer.Typer:
        group = typer.Typer(no_args_is_help=True)
        self.attach(group)
        return group


def handle_errors(func: F) -> F:
    """Every library error becomes one line on stderr and exit 1; anything unexpected too,
    without a traceback unless CLAIMS_DEBUG=1. Usage errors stay Typer's (exit 2)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort, BrokenPipeError, UsageError):
            raise
        except ClaimsError as exc:
            fail(str(exc), exc.exit_code)
        except KeyboardInterrupt:
            # Typer turns it into exit 130; claims.cli.main prints the one line for it,
            # wherever it landed (also outside any command, where this handler is not).
            raise
        except Exception as exc:
            if os.environ.get("CLAIMS_DEBUG") == "1":
                raise
            fail(
                f"unexpected {type(exc).__name__}: {_first_line(exc)}"
                " (run again with CLAIMS_DEBUG=1 for details)"
            )
        return None

    return wrapper  # type: ignore[return-value]  # functools.wraps keeps func's signature


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else "no details"


def fail(message: str, code: int = 1) -> None:
    import sys

    from claims.textsafe import visible

    # Straight to the stream and flushed: the process may be on its way out (Ctrl-C).
    sys.stderr.write(f"Error: {visible(message)}\n")
    sys.stderr.flush()
    raise typer.Exit(code)


def note(message: str) -> None:
    """Information for the user that is not the command's output: stderr."""
    from claims.textsafe import visible

    typer.echo(visible(message, keep_newlines=True), err=True)


def database(ctx: typer.Context) -> "Database":
    """The command's database, opened (and migrated) on first use."""
    root_ctx = ctx.find_root()
    state: dict[str, Any] = root_ctx.obj if isinstance(root_ctx.obj, dict) else {}
    if "database" not in state:
        from claims.cli.access import is_write, missing_file, no_database
        from claims.database.engine import Context, open_database

        missing = missing_file(state.get("db"))
        if missing and not is_write(ctx.command_path):
            raise no_database(missing)
        context = Context(actor=state.get("actor"), command=_typed_command(root_ctx.meta),
                          as_of=state.get("as_of"))
        state["database"] = open_database(state.get("db"), context=context,
                                          only_reads=not is_write(ctx.command_path))
        root_ctx.call_on_close(state["database"].close)
        if missing:
            note(f"Created a new database at {missing}")
    opened: Database = state["database"]
    return opened



def _typed_command(meta: dict[str, Any]) -> str | None:
    from claims.database.engine import masked_command

    argv = meta.get("claims_argv")
    return masked_command(argv) if argv is not None else None
