"""Alembic revisions: upgrade from empty, downgrade to base and back, models in sync."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

import claims
from claims.database.engine import SCHEMA_HEAD, current_revision
from claims.database.migrate import head_revision, migrate
from claims.schema.models import Base
from claims.schema.tables import include_in_autogenerate


def model_tables() -> set[str]:
    return {t.name for t in Base.metadata.sorted_tables}


def test_schema_head_constant_is_the_newest_revision() -> None:
    assert head_revision() == SCHEMA_HEAD


def test_opening_an_empty_database_creates_the_newest_schema(blank_db_url: str) -> None:
    database = claims.open_database(blank_db_url)
    try:
        assert current_revision(database.engine) == SCHEMA_HEAD
        assert model_tables() <= set(inspect(database.engine).get_table_names())
    finally:
        database.close()


def test_downgrade_to_base_and_back(blank_db_url: str) -> None:
    database = claims.open_database(blank_db_url)
    with database.write() as session:
        from claims.writes.seed import load_seeds

        load_seeds(session)
    migrate(database.engine, "base")
    assert current_revision(database.engine) is None
    left = set(inspect(database.engine).get_table_names()) & model_tables()
    assert left == set()
    migrate(database.engine, "head")
    assert current_revision(database.engine) == SCHEMA_HEAD
    database.close()


def test_models_and_newest_revision_do_not_drift(db_url: str) -> None:
    database = claims.open_database(db_url)
    try:
        with database.engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "include_object": include_in_autogenerate}
            )
            diff = compare_metadata(context, Base.metadata)
        assert diff == []
    finally:
        database.close()
