"""Revision 0010: ``claims_view`` gains each claim's reviews and figures. SQLite only, as
0007 (Datasette reads SQLite); on PostgreSQL it upgrades and downgrades changing nothing."""

from __future__ import annotations

from sqlalchemy import Engine, inspect, text

import claims
from claims.database.engine import SCHEMA_HEAD, current_revision
from claims.database.migrate import migrate
from claims.serve.metadata import CLAIM_LABELS, HIDDEN_TABLES
from tests.conftest import Cli

COLUMNS_0007 = ["id", "text", "quote", "status", "rating", "speaker", "source", "outlet",
                "said_on", "entities", "tags", "created_at", "updated_at"]
COLUMNS_0010 = [*COLUMNS_0007[:5], "reviews", "figures", *COLUMNS_0007[5:]]


def view_columns(engine: Engine) -> list[str]:
    if "claims_view" not in inspect(engine).get_view_names():
        return []
    return [c["name"] for c in inspect(engine).get_columns("claims_view")]


def with_reviews_and_figures(cli: Cli) -> Cli:
    cli.ok("measure", "add", "Bushehr 2-3 progress", "--entity", "Bushehr", "--unit", "%")
    cli.ok("measure", "add", "centrifuges", "--entity", "Iran")
    cli.ok("figure", "add", "20", "17%", "--measure", "Bushehr 2-3 progress")
    cli.ok("figure", "add", "20", "at least 18.5%", "--measure", "Bushehr 2-3 progress",
           "--as-of", "2025-05-01")
    cli.ok("figure", "add", "6", "3000", "--measure", "centrifuges")
    cli.ok("review", "add", "6", "mostly-false", "--by", "Full Fact")
    cli.ok("review", "add", "6", "false", "--by", "PolitiFact", "--label", "Pants on Fire",
           "--published", "2025-04-25")
    return cli


def shown(engine: Engine) -> dict[int, tuple[str | None, str | None]]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, reviews, figures FROM claims_view")).all()
    return {row.id: (row.reviews, row.figures) for row in rows}


def test_the_claims_view_shows_reviews_and_figures_on_sqlite_only(seeded: Cli) -> None:
    with_reviews_and_figures(seeded)
    database = claims.open_database(seeded.url)
    try:
        assert current_revision(database.engine) == SCHEMA_HEAD
        if database.dialect != "sqlite":
            assert view_columns(database.engine) == []
            return
        assert view_columns(database.engine) == COLUMNS_0010
        rows = shown(database.engine)
    finally:
        database.close()
    # Dated reviews first, then undated (here: the one without --published).
    assert rows[6] == ("PolitiFact: Pants on Fire; Full Fact: mostly-false",
                       "3000 (centrifuges)")
    assert rows[20] == (None, "17% (Bushehr 2-3 progress); "
                              "at least 18.5% (Bushehr 2-3 progress)")
    assert sum(r != (None, None) for r in rows.values()) == 2 and len(rows) == 20


def test_downgrading_0010_restores_the_0007_view_and_upgrading_fills_it(seeded: Cli) -> None:
    with_reviews_and_figures(seeded)
    database = claims.open_database(seeded.url)
    try:
        engine = database.engine
        migrate(engine, "0007")
        assert current_revision(engine) == "0007"
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM reviews")).scalar_one() == 2
            assert conn.execute(text("SELECT count(*) FROM quantities")).scalar_one() == 3
        if database.dialect == "sqlite":
            assert view_columns(engine) == COLUMNS_0007
            with engine.connect() as conn:
                status = conn.execute(text(
                    "SELECT status FROM claims_view WHERE id = 2")).scalar_one()
            assert status == "true"
        migrate(engine, "head")  # upgrade from 0007 with the data in it
        assert current_revision(engine) == SCHEMA_HEAD
        if database.dialect != "sqlite":
            assert view_columns(engine) == []
            return
        assert view_columns(engine) == COLUMNS_0010
        assert shown(engine)[6][0] == "PolitiFact: Pants on Fire; Full Fact: mostly-false"
    finally:
        database.close()


def test_the_0007_definition_comes_back_as_0007_made_it(sqlite_url: str) -> None:
    """A downgraded view answers exactly as a view 0007 created itself (SQLite: the only
    engine with views)."""
    database = claims.open_database(sqlite_url, upgrade=False)
    try:
        migrate(database.engine, "0007")
        Cli(sqlite_url).ok("seed")  # opens and upgrades to 0010
        migrate(database.engine, "0007")
        with database.engine.connect() as conn:
            downgraded = conn.execute(text("SELECT * FROM claims_view ORDER BY id")).all()
        migrate(database.engine, "0008")
        migrate(database.engine, "0007")  # 0007's own upgrade
        with database.engine.connect() as conn:
            original = conn.execute(text("SELECT * FROM claims_view ORDER BY id")).all()
        assert downgraded == original and len(original) == 20
    finally:
        database.close()


def test_every_column_of_the_claims_view_has_a_label(sqlite_url: str) -> None:
    database = claims.open_database(sqlite_url)
    try:
        assert view_columns(database.engine) == list(CLAIM_LABELS)
    finally:
        database.close()


def test_the_tables_the_claims_view_now_shows_by_name_are_hidden(sqlite_url: str) -> None:
    """Every table of the schema is hidden from Datasette's index (the views show them) but
    the audit log's change sets, which read as they are."""
    database = claims.open_database(sqlite_url)
    try:
        tables = set(inspect(database.engine).get_table_names())
    finally:
        database.close()
    shadows = {t for t in tables if t.startswith("claims_fts")  # Datasette hides these
               and t.endswith(("_config", "_data", "_docsize", "_idx", "_content"))}
    assert tables - shadows == {*HIDDEN_TABLES, "change_sets"}
