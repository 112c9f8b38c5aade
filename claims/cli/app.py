"""The root command: global options, and the group that builds the command modules'
commands when asked for them (which module defines which: ``claims.cli.registry``). The
helpers the command modules share are ``claims.cli.helpers``'s.

Nothing here imports SQLAlchemy or Alembic at module level: ``claims --help`` and shell
completion run on every TAB and must stay fast. Commands import the library when they run.

The modules that define commands do without ``from __future__ import annotations``: Typer
reads every command's annotations to build the CLI, on every TAB too, and a string
annotation costs an ``eval`` each (three quarters of building the commands, bench/).
"""

from collections.abc import MutableMapping
from typing import Annotated, Any

import typer
import typer.core

from claims import __version__
from claims.cli import choices, helpstyle, registry

helpstyle.apply()
choices.apply()


class _ArgvGroup(typer.core.TyperGroup):
    """The root group, keeping the arguments as typed for the audit log's change sets.
    Its commands are built when asked for (``claims.cli.registry``): one to run it, all of
    them to list them (``commands``, ``list_commands``)."""

    # Set by the ``commands`` setter, which TyperGroup's constructor calls.
    _built: dict[str, Any]
    _every_built: bool

    @property
    def commands(self) -> MutableMapping[str, Any]:
        if not self._every_built:
            every = registry.build_all(app, self._built)
            self._built.clear()
            self._built.update(every)
            self._every_built = True
        return self._built

    @commands.setter
    def commands(self, value: MutableMapping[str, Any]) -> None:
        self._built, self._every_built = dict(value), False

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self._built and not self._every_built:
            command = registry.build(cmd_name, app)
            if command is None:
                return self.commands.get(cmd_name)
            self._built[cmd_name] = command
        return self._built.get(cmd_name)

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)

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
            # $CLAIMS_DB is read by the library (claims.settings), like every other setting.
            help="Database file path or SQLAlchemy URL. Default: $CLAIMS_DB, else a file in "
                 "your data directory.",
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
