"""``alembic upgrade head`` run by hand moves a schema exactly as ``claims db upgrade``
does: in claims.database.migrate.migration_connection (one transaction, foreign keys off while
tables are rebuilt and checked before the commit), refusing a database newer than it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from claims.database.engine import SCHEMA_HEAD, current_revision, make_engine, resolve_url
from claims.schema.models import Base
from claims.schema.tables import include_in_autogenerate

ROOT = Path(__file__).resolve().parent.parent


def _alembic(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CLAIMS_DB": url}
    return subprocess.run([sys.executable, "-m", "alembic", "-c", str(ROOT / "alembic.ini"),
                           *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)


def test_alembic_upgrade_head_gives_the_schema_claims_db_upgrade_gives(
        blank_db_url: str) -> None:
    run = _alembic(blank_db_url, "upgrade", "head")
    assert run.returncode == 0, run.stderr
    engine = make_engine(resolve_url(blank_db_url))
    try:
        assert current_revision(engine) == SCHEMA_HEAD
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "include_object": include_in_autogenerate})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_alembic_refuses_a_database_newer_than_this_claims(blank_db_url: str) -> None:
    assert _alembic(blank_db_url, "upgrade", "head").returncode == 0
    engine = make_engine(resolve_url(blank_db_url))
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = 'ffff'"))
    finally:
        engine.dispose()
    run = _alembic(blank_db_url, "upgrade", "head")
    assert run.returncode != 0
    assert "newer than this claims knows" in run.stderr
