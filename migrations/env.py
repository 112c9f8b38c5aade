"""Alembic environment for claims. Runs on the connection that claims.migrate hands over,
or, for developers using the ``alembic`` command, on ``sqlalchemy.url`` / ``$CLAIMS_DB``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from claims.models import Base, include_in_autogenerate

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
        transaction_per_migration=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run(connection)
        return
    from claims.db import make_engine, resolve_url

    url = config.get_main_option("sqlalchemy.url") or None
    engine = make_engine(resolve_url(url))
    with engine.connect() as conn:
        run(conn)


if context.is_offline_mode():
    raise SystemExit("claims migrations run online only")
run_online()
