"""The root command: global options and where every command module's commands go. The
helpers the command modules share are ``claims.cli.helpers``'s.

Nothing here imports SQLAlchemy or Alembic at module level: ``claims --help`` and shell
completion run on every TAB and must stay fast. Commands import the library when they run.

The modules that define commands do without ``from __future__ import annotations``: Typer
reads every command's annotations to build the CLI, on every TAB too, and a string
annotation costs an ``eval`` each (three quarters of building the commands, bench/).
"""

from typing import Annotated, Any

import typer
import typer.core

from claims import __version__
from claims.cli import (
    audit_cmds,
    choices,
    claims_cmds,
    db_cmds,
    entities,
    extract_cmds,
    figures_cmds,
    find,
    helpstyle,
    report_cmds,
    reviews_cmds,
    serve_cmds,
    sources,
    transfer,
)
from claims.cli.as_of import add_as_of

helpstyle.apply()
choices.apply()


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


claims_cmds.commands.attach(app)
find.commands.attach(app)
transfer.commands.attach(app)
reviews_cmds.commands.attach(app)
figures_cmds.commands.attach(app)
app.add_typer(figures_cmds.figure_commands.group(), name="figure",
              help="Figures (quantities) that claims give.")
app.add_typer(figures_cmds.measure_commands.group(), name="measure",
              help="Measures: named series of figures.")
app.add_typer(reviews_cmds.review_commands.group(), name="review",
              help="Fact-checks: our desk's and other publishers' verdicts on claims.")
extract_cmds.commands.attach(app)
report_cmds.commands.attach(app)
serve_cmds.commands.attach(app)
audit_cmds.commands.attach(app)
entity_group = entities.commands.group()
source_group = sources.commands.group()
# Last, once every command is registered: --as-of on the commands that read the past.
add_as_of(app)
add_as_of(entity_group, "entity")
add_as_of(source_group, "source")
app.add_typer(entity_group, name="entity",
              help="People, organisations, places ... and their aliases.")
app.add_typer(source_group, name="source", help="Where claims were published.")
app.add_typer(db_cmds.commands.group(), name="db",
              help="Where the database is, its schema revision, and backups.")
