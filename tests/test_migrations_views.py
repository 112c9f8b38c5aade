"""Revision 0007: the SQL views ``claims serve`` shows. SQLite only by design (Datasette
reads SQLite); on PostgreSQL the revision upgrades and downgrades without changing
anything, so both engines share one history."""

from __future__ import annotations

from sqlalchemy import Engine, inspect, text

import claims
from claims.database.engine import SCHEMA_HEAD, current_revision
from claims.database.migrate import migrate
from tests.conftest import Cli

VIEWS = {"claims_view", "history_view", "entities_view", "sources_view", "links_view"}


def views_of(engine: Engine) -> set[str]:
    return set(inspect(engine).get_view_names()) & VIEWS


def test_an_empty_database_gets_the_views_on_sqlite_only(blank_db_url: str) -> None:
    database = claims.open_database(blank_db_url)
    try:
        assert current_revision(database.engine) == SCHEMA_HEAD
        expected = VIEWS if database.dialect == "sqlite" else set()
        assert views_of(database.engine) == expected
    finally:
        database.close()


def test_upgrading_from_0003_with_data_shows_it_in_the_views(blank_db_url: str) -> None:
    database = claims.open_database(blank_db_url, upgrade=False)
    migrate(database.engine, "0003")
    database.close()
    Cli(blank_db_url).ok("seed")  # opening upgrades to the head
    database = claims.open_database(blank_db_url)
    try:
        assert current_revision(database.engine) == SCHEMA_HEAD
        if database.dialect != "sqlite":
            assert views_of(database.engine) == set()
            return
        with database.engine.connect() as conn:
            row = conn.execute(text(
                "SELECT status, rating, speaker, source, entities, tags FROM claims_view "
                "WHERE id = 2")).one()
            history = conn.execute(text(
                "SELECT claim, to_status FROM history_view WHERE claim_id = 2")).one()
            aliases = conn.execute(text(
                "SELECT aliases FROM entities_view WHERE name = 'Iran'")).scalar_one()
        assert row.status == "true" and row.rating == 5
        assert row.source == "menafn-putin-iran-treaty"
        assert '"Masoud Pezeshkian"' in row.entities and row.tags == '["russia-iran","treaty"]'
        assert history.claim.startswith("The treaty was originally signed") and \
            history.to_status == "true"
        assert "ایران" in aliases
    finally:
        database.close()


def test_downgrading_0007_drops_the_views_and_keeps_the_rows(blank_db_url: str) -> None:
    Cli(blank_db_url).ok("seed")
    database = claims.open_database(blank_db_url)
    try:
        migrate(database.engine, "0003")
        assert current_revision(database.engine) == "0003"
        assert views_of(database.engine) == set()
        with database.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM claims")).scalar_one() == 20
        migrate(database.engine, "head")
        expected = VIEWS if database.dialect == "sqlite" else set()
        assert views_of(database.engine) == expected
    finally:
        database.close()
