"""Revision 0005 (figures) on a database that already holds claims, both engines: the
upgrade keeps every row and the FTS index working, figures can be written at once, and
the downgrade takes the four tables away and nothing else."""

from __future__ import annotations

from sqlalchemy import inspect, text

import claims
from claims.database.engine import make_engine, resolve_url
from claims.database.migrate import migrate
from claims.figures.due import set_due
from claims.figures.measures import add_measure
from claims.figures.store import add_figure
from tests.conftest import Cli
from tests.test_migrations_safety import (
    COUNT,
    columns_of,
    fill_at_revision_0001_layout,
    rows_of,
)

FIGURE_TABLES = {"measures", "measure_names", "quantities", "claim_due"}


def test_0005_upgrades_a_filled_0003_database_and_downgrades_cleanly(db_url: str) -> None:
    engine = make_engine(resolve_url(db_url))
    migrate(engine, "0003")
    fill_at_revision_0001_layout(engine)
    columns = columns_of(engine)
    before = rows_of(engine, columns)

    database = claims.open_database(db_url)  # upgrades to the head on open
    assert set(inspect(engine).get_table_names()) >= FIGURE_TABLES
    assert rows_of(engine, columns) == before
    with database.write() as session:
        add_measure(session, "Output", entity="Tehran", unit="MW")
        add_figure(session, 1, "1.2 GW", measure="output")
        set_due(session, 2, "2026-06")
    with database.connect() as conn:
        value = conn.execute(text("SELECT value FROM quantities")).scalar_one()
        assert value == 1200.0
    database.close()
    # Full-text search still follows writes to claims after the upgrade.
    cli = Cli(db_url)
    cli.ok("edit", "3", "--text", "zanzibarish figure")
    assert '"id": 3' in cli.ok("search", "zanzibarish", "--format", "json").stdout

    migrate(engine, "0003")
    assert not FIGURE_TABLES & set(inspect(engine).get_table_names())
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM claims")).scalar_one() == COUNT
    engine.dispose()
