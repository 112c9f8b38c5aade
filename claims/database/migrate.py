"""Alembic glue: bring a database to the newest revision, or to any other one.

Imported only when a database is behind (or by ``claims db``), so ordinary commands on an
up-to-date database never pay for importing Alembic.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine, text

from claims.errors import DatabaseError
from claims.resources import resource_dir

# Held for the whole upgrade on PostgreSQL so that concurrent first opens migrate once.
_PG_LOCK_ID = 0x636C61696D73  # "claims"


def alembic_config(connection: Connection | None = None, scripts: Path | None = None) -> Config:
    """Alembic's configuration; ``scripts`` replaces the shipped migrations/ (for tests)."""
    config = Config()
    config.set_main_option("script_location", str(scripts or resource_dir("migrations")))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def check_known(revision: str | None, scripts: Path | None = None) -> None:
    """Refuse a database stamped by a newer claims than this one."""
    if revision is None:
        return
    script = ScriptDirectory.from_config(alembic_config(scripts=scripts))
    try:
        known = script.get_revision(revision) is not None
    except CommandError:
        known = False
    if not known:
        raise DatabaseError(
            f"the database is at schema revision {revision!r}, newer than this claims knows",
            "upgrade claims: pip install -U claims",
        )


def upgrade_to_head(engine: Engine, seen_revision: str | None) -> None:
    migrate(engine, "head", seen_revision)


def migrate(
    engine: Engine, target: str, seen_revision: str | None = None, *, scripts: Path | None = None
) -> None:
    """Move the schema to ``target`` (``head``, ``base`` or a revision) in one transaction.

    One transaction for the whole move, taken before re-reading the stamped revision, so a
    failing revision leaves the database where it was and two processes opening a new file
    at once migrate it once. Foreign keys are off while tables are rebuilt (SQLite's batch
    mode copies them) and checked before the commit.
    """
    check_known(seen_revision, scripts)
    with migration_connection(engine) as conn:
        _run(conn, target, scripts)


@contextmanager
def migration_connection(engine: Engine) -> Iterator[Connection]:
    """A connection in the one transaction every migration runs in: ``migrate`` above, and
    ``alembic upgrade`` run by hand (migrations/env.py), so both move a schema alike."""
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect().execution_options(sqlite_begin="IMMEDIATE") as conn:
        if sqlite:
            _driver_execute(conn, "PRAGMA foreign_keys = OFF")
        try:
            with conn.begin():
                if not sqlite:
                    conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _PG_LOCK_ID})
                yield conn
                if sqlite:
                    _check_foreign_keys(conn)
        finally:
            if sqlite:
                _driver_execute(conn, "PRAGMA foreign_keys = ON")


def _run(conn: Connection, target: str, scripts: Path | None) -> None:
    config = alembic_config(conn, scripts)
    current = stamped_revision(conn)
    check_known(current, scripts)
    if target == "base" or _is_downgrade(current, target, scripts):
        command.downgrade(config, target)
    else:
        command.upgrade(config, target)


def stamped_revision(conn: Connection) -> str | None:
    from alembic.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


def _is_downgrade(current: str | None, target: str, scripts: Path | None) -> bool:
    if current is None or target == "head":
        return False
    script = ScriptDirectory.from_config(alembic_config(scripts=scripts))
    ancestors = {rev.revision for rev in script.iterate_revisions(current, "base")}
    return target in ancestors and target != current


def _driver_execute(conn: Connection, statement: str) -> None:
    driver_connection = conn.connection.driver_connection
    assert driver_connection is not None, "a checked-out connection has its driver's"
    driver_connection.execute(statement)


def _check_foreign_keys(conn: Connection) -> None:
    problems = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if problems:
        table, rowid, parent, _ = problems[0]
        raise DatabaseError(
            f"migration left {len(problems)} broken references"
            f" (first: {table} row {rowid} -> {parent})",
            "report this as a bug; the database was left as it was",
        )
