"""Revisions 0012 (a claim's status pointer may be checked at the end of a batch) and 0013
(a measure's timeline read from its index on PostgreSQL): upgrade from 0011 with data in
it, downgrade, and the constraint still refusing a pointer to nothing, on both engines."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError

import claims
from claims.database.engine import SCHEMA_HEAD, current_revision
from claims.database.migrate import migrate
from claims.schema import tables
from tests.conftest import Cli

POINTER = "fk_claims_status_event_id_status_history"


def pointer_deferrable(engine: Engine) -> bool:
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            return bool(conn.execute(text(
                "SELECT condeferrable FROM pg_constraint WHERE conname = :name"),
                {"name": POINTER}).scalar_one())
        sql = conn.execute(text(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'claims'")).scalar_one()
    clause = sql[sql.index(f"CONSTRAINT {POINTER}"):].split("\n")[0]
    return "DEFERRABLE INITIALLY IMMEDIATE" in clause


def timeline_index_includes(engine: Engine) -> list[str]:
    (index,) = [i for i in inspect(engine).get_indexes("quantities")
                if i["name"] == "ix_quantities_measure_id_as_of"]
    return list(index.get("dialect_options", {}).get("postgresql_include") or [])


def statuses(engine: Engine) -> dict[int, str]:
    with engine.connect() as conn:
        return dict(conn.execute(text(
            "SELECT c.id, h.to_status FROM claims c "
            "JOIN status_history h ON h.id = c.status_event_id")).all())


def test_0012_and_0013_go_down_and_up_keeping_every_claim(seeded: Cli) -> None:
    seeded.ok("measure", "add", "Bushehr 2-3 progress", "--entity", "Bushehr", "--unit", "%")
    seeded.ok("figure", "add", "20", "17%", "--measure", "Bushehr 2-3 progress")
    seeded.ok("status", "20", "disputed")
    database = claims.open_database(seeded.url)
    try:
        engine = database.engine
        assert current_revision(engine) == SCHEMA_HEAD
        assert pointer_deferrable(engine)
        before = statuses(engine)
        assert before[20] == "disputed" and len(before) == 20
        postgres = database.dialect == "postgresql"
        assert timeline_index_includes(engine) == (
            list(tables.TIMELINE_INCLUDES) if postgres else [])
        migrate(engine, "0011")
        assert current_revision(engine) == "0011"
        assert not pointer_deferrable(engine)
        assert timeline_index_includes(engine) == []
        assert statuses(engine) == before
        migrate(engine, "head")  # from 0011, with the data in it
        assert current_revision(engine) == SCHEMA_HEAD
        assert pointer_deferrable(engine)
        assert statuses(engine) == before
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM quantities")).scalar_one() == 1
            if not postgres:
                assert conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
    finally:
        database.close()
    seeded.ok("status", "20", "false")  # the upgraded database is written as before
    assert statuses_now(seeded)[20] == "false"


def statuses_now(cli: Cli) -> dict[int, str]:
    database = claims.open_database(cli.url)
    try:
        return statuses(database.engine)
    finally:
        database.close()


def test_the_deferrable_pointer_still_refuses_a_claim_pointing_at_nothing(seeded: Cli) -> None:
    database = claims.open_database(seeded.url)
    try:
        with pytest.raises(IntegrityError), database.engine.begin() as conn:
            conn.execute(text("UPDATE claims SET status_event_id = 999999 WHERE id = 1"))
        assert statuses(database.engine)[1] == "unverified"
    finally:
        database.close()
