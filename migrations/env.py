"""Alembic environment for claims. Runs on the connection that claims.database.migrate hands over,
or, for developers using the ``alembic`` command, on ``sqlalchemy.url`` / ``$CLAIMS_DB``:
then in ``claims.database.migrate.migration_connection`` too, so ``alembic upgrade head`` moves a
schema exactly as ``claims db upgrade`` does (one transaction, foreign keys off while
tables are rebuilt and checked before the commit, refusing a newer database)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from claims.schema.models import Base
from claims.schema.tables import include_in_autogenerate

config = context.config
target_metadata = Base.metadata


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
        render_as_batch=True,
        compare_type=True,
        include_object=include_in_autogenerate,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run(connection)
        return
    from claims.database.engine import make_engine, resolve_url
    from claims.database.migrate import check_known, migration_connection, stamped_revision

    url = config.get_main_option("sqlalchemy.url") or None
    engine = make_engine(resolve_url(url))
    with migration_connection(engine) as conn:
        check_known(stamped_revision(conn))
        run(conn)


if context.is_offline_mode():
    raise SystemExit("claims migrations run online only")
run_online()
