"""``claims db ...``: where the database is and which schema revision it has."""

from __future__ import annotations

import typer

from claims.cli.app import command, database, note

app = typer.Typer(no_args_is_help=True)


def _url(ctx: typer.Context) -> str | None:
    root = ctx.find_root().obj
    return root.get("db") if isinstance(root, dict) else None


@command(app, "path")
def path(ctx: typer.Context) -> None:
    """Print where the database is (a file path, or the URL with its password hidden)."""
    from claims.db import display_url, resolve_url

    typer.echo(display_url(resolve_url(_url(ctx))))


@command(app, "current")
def current(ctx: typer.Context) -> None:
    """Print the database's schema revision (without upgrading it)."""
    from claims.db import current_revision, make_engine, resolve_url

    engine = make_engine(resolve_url(_url(ctx)))
    try:
        from claims.db import _translate_db_errors

        with _translate_db_errors(engine.url):
            revision = current_revision(engine)
    finally:
        engine.dispose()
    typer.echo(revision or "empty (no schema yet)")


@command(app, "upgrade")
def upgrade(ctx: typer.Context) -> None:
    """Bring the database to the newest schema revision (commands also do this on open)."""
    from claims.db import SCHEMA_HEAD

    database(ctx)
    note(f"Database is at revision {SCHEMA_HEAD}")
