"""Migrations are all-or-nothing, and an upgrade keeps every row.

Written against whatever revisions migrations/versions/ holds: the failing revision is put
on top of the real head, and the data test starts one revision below the real head.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

import claims
from claims.database.engine import (
    SCHEMA_HEAD,
    current_revision,
    make_engine,
    resolve_url,
)
from claims.database.migrate import alembic_config, migrate
from claims.resources import resource_dir
from tests.conftest import Cli, snapshot

FAILING_REVISION = '''"""fails part-way: a table, a column and rows written, then an error"""

import sqlalchemy as sa
from alembic import op

revision = "f4115"
down_revision = "{down}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("doomed", sa.Column("id", sa.Integer(), primary_key=True))
    with op.batch_alter_table("claims") as batch_op:
        batch_op.add_column(sa.Column("doomed_flag", sa.Integer(), nullable=True))
    op.execute("UPDATE claims SET text = 'overwritten by a failing migration'")
    op.execute("DELETE FROM links")
    raise RuntimeError("this revision fails on purpose")


def downgrade() -> None:
    pass
'''


def scripts_with_failing_revision(tmp_path: Path) -> Path:
    """A copy of the shipped migrations/ with a failing revision on top of the head."""
    copy = tmp_path / "migrations"
    shutil.copytree(resource_dir("migrations"), copy,
                    ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "versions" / "f4115_fails.py").write_text(FAILING_REVISION.format(down=SCHEMA_HEAD))
    return copy


def schema_of(engine: Engine) -> dict[str, Any]:
    """Tables, columns, indexes and (SQLite) triggers: what a half-done migration would change."""
    found = inspect(engine)
    schema: dict[str, Any] = {
        table: {
            "columns": [c["name"] for c in found.get_columns(table)],
            "indexes": sorted(i["name"] or "" for i in found.get_indexes(table)),
        }
        for table in sorted(found.get_table_names())
    }
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            # sqlite_sequence stays once an AUTOINCREMENT table made it (SQLite refuses to
            # drop it); it holds counters, not schema.
            # A rebuilt table's CREATE names it in quotes (SQLite's ALTER TABLE RENAME
            # writes it so): the same table.
            schema["sqlite_master"] = sorted(
                (kind, name, re.sub(r'^CREATE TABLE "(\w+)"', r"CREATE TABLE \1", sql or ""))
                for kind, name, sql in conn.exec_driver_sql(
                    "SELECT type, name, sql FROM sqlite_master WHERE name <> 'sqlite_sequence' "
                    "ORDER BY type, name"))
        schema.pop("sqlite_sequence", None)
    return schema


def test_a_failing_revision_leaves_the_database_as_it_was(db_url: str, tmp_path: Path) -> None:
    Cli(db_url).ok("seed")
    before_rows = snapshot(db_url)
    engine = make_engine(resolve_url(db_url))
    before_schema = schema_of(engine)

    with pytest.raises(RuntimeError, match="fails on purpose"):
        migrate(engine, "head", SCHEMA_HEAD, scripts=scripts_with_failing_revision(tmp_path))

    assert current_revision(engine) == SCHEMA_HEAD
    assert schema_of(engine) == before_schema
    assert "doomed" not in inspect(engine).get_table_names()
    engine.dispose()
    assert snapshot(db_url) == before_rows
    assert_intact(db_url)


def test_a_failing_upgrade_of_several_revisions_rolls_back_all_of_them(
    db_url: str, tmp_path: Path
) -> None:
    """The whole upgrade is one transaction: the revisions before the failing one that ran
    in the same upgrade are undone too, so the database is at the revision it started at."""
    previous = previous_revision()
    engine = make_engine(resolve_url(db_url))
    migrate(engine, previous)
    before_schema = schema_of(engine)

    with pytest.raises(RuntimeError, match="fails on purpose"):
        migrate(engine, "head", previous, scripts=scripts_with_failing_revision(tmp_path))

    assert current_revision(engine) == previous
    assert schema_of(engine) == before_schema
    engine.dispose()


def assert_intact(url: str) -> None:
    engine = make_engine(resolve_url(url))
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
    engine.dispose()


# --- upgrading a database that holds data -------------------------------------------------


def previous_revision() -> str:
    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_revision(SCHEMA_HEAD)
    assert head is not None
    if head.down_revision is None:
        pytest.skip("only one revision: nothing to upgrade from yet")
    assert isinstance(head.down_revision, str), "the history is a single line"
    return head.down_revision


# Text that an upgrade must carry over byte for byte.
AWKWARD = ["Plain words", "Iran's \"quoted\" claim; -- not SQL", "Тегеран заявил",
           "طهران تقول", "emoji 🙂 and\ttab", "percent % and under_score", "x" * 5000]
COUNT = 40


def fill_at_revision_0001_layout(engine: Engine) -> None:
    """Rows through plain SQL in the layout of the first revision, which later revisions keep
    (they may add tables and nullable columns, never drop these)."""
    from claims.parse import text_hash

    now = "2025-01-02 03:04:05"
    has_hash = "text_hash" in {c["name"] for c in inspect(engine).get_columns("claims")}
    with engine.begin() as conn:
        run = conn.execute
        run(text("INSERT INTO sources (id, key, title, outlet, kind, created_at, published) "
                 "VALUES (1, 'wire-1', 'Wire copy', 'Wire', 'article', :now, '2025-01-01')"),
            {"now": now})
        run(text("INSERT INTO entities (id, name, kind, created_at) "
                 "VALUES (1, 'Iran', 'country', :now)"), {"now": now})
        run(text("INSERT INTO entity_names (id, entity_id, name, key) VALUES "
                 "(1, 1, 'Iran', 'iran'), (2, 1, 'Tehran', 'tehran')"))
        for i in range(1, COUNT + 1):
            params = {"id": i, "text": f"{AWKWARD[i % len(AWKWARD)]} number {i}",
                      "quote": AWKWARD[(i + 1) % len(AWKWARD)], "now": now}
            run(text("INSERT INTO claims (id, text, quote, source_id, speaker_id, said_on, "
                     "external_id, created_at, updated_at) VALUES (:id, :text, :quote, 1, 1, "
                     "'2025-01-01', 'ext-' || :id, :now, :now)"), params)
            run(text("INSERT INTO status_history (id, claim_id, from_status, to_status, note, at) "
                     "VALUES (:id, :id, NULL, 'unverified', :quote, :now)"), params)
            run(text("UPDATE claims SET status_event_id = :id WHERE id = :id"), params)
            if has_hash:  # from 0003 on, writers fill the hash themselves
                run(text("UPDATE claims SET text_hash = :hash WHERE id = :id"),
                    {**params, "hash": text_hash(params["text"])})
            run(text("INSERT INTO claim_entities (claim_id, entity_id) VALUES (:id, 1)"), params)
            run(text("INSERT INTO claim_tags (claim_id, tag) VALUES (:id, 'upgrade')"), params)
            if i > 1:
                run(text("INSERT INTO links (id, from_id, kind, to_id, created_at) "
                         "VALUES (:id, :id, 'supports', :prev, :now)"), {**params, "prev": i - 1})
    _fill_text_hashes(engine)


def _fill_text_hashes(engine: Engine) -> None:
    """From 0003 on, every writer stores the hash of a claim's text: so do these rows."""
    from claims.parse import text_hash

    if "text_hash" not in {c["name"] for c in inspect(engine).get_columns("claims")}:
        return
    with engine.begin() as conn:
        rows = conn.execute(text("SELECT id, text FROM claims")).all()
        conn.execute(text("UPDATE claims SET text_hash = :hash WHERE id = :id"),
                     [{"id": i, "hash": text_hash(t)} for i, t in rows])


def columns_of(engine: Engine) -> dict[str, list[str]]:
    found = inspect(engine)
    return {table: [c["name"] for c in found.get_columns(table)]
            for table in found.get_table_names() if table != "alembic_version"}


def rows_of(engine: Engine, columns: dict[str, list[str]]) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of these tables, only these columns (an upgrade may add others)."""
    with engine.connect() as conn:
        return {
            table: sorted(map(tuple, conn.execute(text(f"SELECT {', '.join(names)} FROM {table}"))),
                          key=repr)
            for table, names in columns.items()
        }


def assert_text_hashes_filled(engine: Engine) -> None:
    """Since 0003 every claim carries the hash of its normalised text."""
    from claims.parse import text_hash

    with engine.connect() as conn:
        rows = conn.execute(text("SELECT text, text_hash FROM claims")).all()
    assert rows and all(stored == text_hash(claim_text) for claim_text, stored in rows)


def test_upgrade_from_the_previous_revision_keeps_every_row(db_url: str) -> None:
    previous = previous_revision()
    engine = make_engine(resolve_url(db_url))
    migrate(engine, previous)
    fill_at_revision_0001_layout(engine)
    columns = columns_of(engine)
    before = rows_of(engine, columns)
    assert len(before["claims"]) == COUNT

    claims.open_database(db_url).close()  # upgrades to the head on open

    assert current_revision(engine) == SCHEMA_HEAD
    assert rows_of(engine, columns) == before
    if previous < "0003":  # the revision that fills them is part of this upgrade
        assert_text_hashes_filled(engine)
    engine.dispose()
    assert_intact(db_url)
    # The library reads the upgraded rows as its own.
    listed = json.loads(Cli(db_url).ok("list", "--entity", "Tehran", "--format", "json").stdout)
    assert [r["external_id"] for r in listed] == [f"ext-{i}" for i in range(1, COUNT + 1)]
    assert listed[-1]["text"] == f"{AWKWARD[COUNT % len(AWKWARD)]} number {COUNT}"
    # Whatever the upgrade indexes (full-text search since 0002) covers the old rows too.
    found = json.loads(Cli(db_url).ok("search", "Тегеран", "--limit", "100",
                                      "--format", "json").stdout)
    expected = {f"ext-{i}" for i in range(1, COUNT + 1)  # in the text or in the quote
                if "Тегеран" in AWKWARD[i % len(AWKWARD)] + AWKWARD[(i + 1) % len(AWKWARD)]}
    assert {r["external_id"] for r in found} == expected


def test_downgrading_the_newest_revision_restores_the_previous_schema(blank_db_url: str) -> None:
    """Down one revision from the head gives exactly the schema that upgrading to that
    revision creates (on SQLite: every table, index and trigger, by its SQL), so the
    full-text triggers of 0002 survive a later revision's downgrade."""
    previous = previous_revision()
    engine = make_engine(resolve_url(blank_db_url))
    migrate(engine, previous)
    expected = schema_of(engine)
    migrate(engine, "head")
    # 0011 (CJK search) changes a function on PostgreSQL, no table, column or index: the
    # function's downgrade is checked by tests/test_cjk_search.py.
    migrate(engine, previous)
    assert current_revision(engine) == previous
    assert schema_of(engine) == expected
    engine.dispose()
