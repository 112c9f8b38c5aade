"""``claims db ...``: where the database is, its schema revision, and backups."""

from pathlib import Path
from typing import Annotated

import typer

from claims.cli.helpers import Commands, database, note

commands = Commands()


def _url(ctx: typer.Context) -> str | None:
    root = ctx.find_root().obj
    return root.get("db") if isinstance(root, dict) else None


@commands("path")
def path(ctx: typer.Context) -> None:
    """Print where the database is (a file path, or the URL with its password hidden)."""
    from claims.db import display_url, resolve_url

    typer.echo(display_url(resolve_url(_url(ctx))))


@commands("current")
def current(ctx: typer.Context) -> None:
    """Print the database's schema revision (without upgrading it)."""
    from claims.db import current_revision, make_engine, resolve_url

    url = resolve_url(_url(ctx))
    if url.get_backend_name() == "sqlite" and url.database and not Path(url.database).exists():
        typer.echo("empty (no database file yet)")  # and do not create one by asking
        return
    engine = make_engine(url)
    try:
        from claims.db import translate_db_errors

        with translate_db_errors(engine.url):
            revision = current_revision(engine)
    finally:
        engine.dispose()
    typer.echo(revision or "empty (no schema yet)")


@commands("upgrade")
def upgrade(ctx: typer.Context) -> None:
    """Bring the database to the newest schema revision (commands also do this on open)."""
    from claims.db import SCHEMA_HEAD

    database(ctx)
    note(f"Database is at revision {SCHEMA_HEAD}")


@commands("backup")
def backup(
    ctx: typer.Context,
    target: Annotated[Path, typer.Argument(
        metavar="PATH", help="The new file to write; an existing file is never overwritten.")],
) -> None:
    """Write a consistent copy of a SQLite database to PATH, even while others write to it.
    For PostgreSQL, use pg_dump."""
    from claims.backup import backup_database

    written = backup_database(target, _url(ctx))
    typer.echo(written)
