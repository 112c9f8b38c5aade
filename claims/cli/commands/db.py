"""``claims db ...``: where the database is, its schema revision, and backups."""

from pathlib import Path
from typing import Annotated

import typer

from claims.cli.helpers import Commands, database, fail, note
from claims.textsafe import visible

commands = Commands()


def _url(ctx: typer.Context) -> str | None:
    root = ctx.find_root().obj
    return root.get("db") if isinstance(root, dict) else None


@commands("path")
def path(ctx: typer.Context) -> None:
    """Print where the database is (a file path, or the URL with its password hidden)."""
    from claims.settings import file_location

    file = file_location(_url(ctx))
    if file is not None:  # printed without loading SQLAlchemy
        typer.echo(str(file))
        return
    from claims.database.engine import display_url, resolve_url

    typer.echo(display_url(resolve_url(_url(ctx))))


@commands("current")
def current(ctx: typer.Context) -> None:
    """Print the database's schema revision (without upgrading it)."""
    from claims.database.engine import current_revision, make_engine, resolve_url

    url = resolve_url(_url(ctx))
    if url.get_backend_name() == "sqlite" and url.database and not Path(url.database).exists():
        typer.echo("empty (no database file yet)")  # and do not create one by asking
        return
    from claims.database.read_only import directory_is_read_only, reading_url

    engine = make_engine(reading_url(url) if directory_is_read_only(url) else url)
    try:
        from claims.database.engine import translate_db_errors

        with translate_db_errors(url):
            revision = current_revision(engine)
    finally:
        engine.dispose()
    typer.echo(revision or "empty (no schema yet)")


@commands("upgrade")
def upgrade(ctx: typer.Context) -> None:
    """Bring the database to the newest schema revision (commands also do this on open)."""
    from claims.database.engine import SCHEMA_HEAD

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
    from claims.database.backup import backup_database

    written = backup_database(target, _url(ctx))
    typer.echo(written)


@commands("check")
def check(
    ctx: typer.Context,
    repair: Annotated[bool, typer.Option(
        "--repair", help="Recompute wrong text hashes and due-date statuses, and rebuild "
                         "the full-text index.")] = False,
) -> None:
    """Check the database: integrity, foreign keys, and the library's own invariants (each
    claim's status is its own, text hashes match texts, due dates carry their claim's status,
    the full-text index matches).
    Exits 1 when a problem is left."""
    from claims.database.check import check_database

    report = check_database(database(ctx), repair=repair)
    for finding in report.findings:
        typer.echo(visible(finding.line()))
    if not report.ok:
        fail("the database has problems"
             + ("" if repair else "; 'claims db check --repair' fixes hashes, due-date "
                                    "statuses and the index"))
@commands("copy")
def copy(
    source: Annotated[str, typer.Argument(
        metavar="SOURCE_URL", help="The database to copy: a file path or SQLAlchemy URL.")],
    destination: Annotated[str, typer.Argument(
        metavar="DEST_URL", help="An empty database (a new file, or an empty PostgreSQL "
                                 "database) to copy into; brought to the newest revision.")],
) -> None:
    """Copy a whole database (claims, history, links, everything) into an empty one, e.g.
    from SQLite to PostgreSQL: all or nothing, and row counts checked at the end."""
    from claims.cli.progress import table_progress
    from claims.database.copy import copy_database
    from claims.database.engine import display_url, resolve_url

    with table_progress("Copying") as on_chunk:
        summary = copy_database(source, destination, progress=on_chunk)
    note(f"Copied {summary.total} rows in {len(summary.rows)} tables "
         f"({summary.rows.get('claims', 0)} claims) to {display_url(resolve_url(destination))}")
