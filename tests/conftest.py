"""Shared fixtures. Every test that touches a database runs on SQLite (a fresh file in
``tmp_path``) and on PostgreSQL (the server that ``CLAIMS_TEST_PG_URL`` names; CI always
starts one, see .ci/postgres.sh); without it the suite starts a throw-away server of its
own wherever PostgreSQL's binaries are installed (tests/pg_server.py). Only when there are
none is the PostgreSQL half skipped.

``db_url`` is a database at the newest revision with no rows; ``blank_db_url`` one with no
schema at all, for migration tests. Both are cheap: SQLite files are copied from templates
built once per run, PostgreSQL tables are truncated rather than rebuilt."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

import claims
from claims.cli.app import app
from claims.database.engine import Database
from tests import pg_server

PG_URL_VAR = pg_server.PG_URL_VAR


@dataclass
class Run:
    """What one CLI invocation did, stdout and stderr kept apart."""

    exit_code: int
    stdout: str
    stderr: str


class Cli:
    """Runs ``claims`` in-process against one database, like a user's shell would."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.runner = CliRunner()

    def __call__(
        self, *args: str, input: str | None = None, env: dict[str, str] | None = None
    ) -> Run:
        result = self.runner.invoke(
            app,
            list(args),
            input=input,
            env={"CLAIMS_DB": self.url, **(env or {})},
            catch_exceptions=False,
        )
        return Run(result.exit_code, result.stdout, result.stderr)

    def ok(self, *args: str, input: str | None = None) -> Run:
        """Run and insist on success, showing stderr when it fails."""
        run = self(*args, input=input)
        assert run.exit_code == 0, f"claims {' '.join(args)} failed: {run.stderr}"
        return run


def _reset_pg_schema(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _empty_pg_at_head(url: str) -> None:
    """Empty every table of a PostgreSQL database at the newest revision, which is much
    faster than rebuilding the schema; rebuild it when a test left it elsewhere."""
    from claims.database.engine import SCHEMA_HEAD, current_revision
    from claims.schema.models import Base

    engine = create_engine(url)
    try:
        at_head = current_revision(engine) == SCHEMA_HEAD
    except Exception:
        at_head = False
    if at_head:
        tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    if not at_head:
        _reset_pg_schema(url)
        claims.open_database(url).close()


def _pg_url() -> str:
    url = pg_server.server_url()
    if not url:
        pytest.skip(f"PostgreSQL half: {pg_server.failure()}")
    return url


@pytest.fixture(scope="session")
def sqlite_templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Database files built once per run: migrated to the newest revision, and seeded too.
    Tests get copies, so each still has a fresh file of its own."""
    from claims.writes.seed import load_seeds

    folder = tmp_path_factory.mktemp("templates")
    empty, seeded = folder / "empty.db", folder / "seeded.db"
    claims.open_database(empty).close()
    database = claims.open_database(seeded)
    with database.write() as session:
        load_seeds(session)
    database.close()
    return {"empty": empty, "seeded": seeded}


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def db_url(backend: str, tmp_path: Path, sqlite_templates: dict[str, Path]) -> str:
    """A database on each backend, at the newest schema revision and holding no rows."""
    if backend == "sqlite":
        path = tmp_path / "claims.db"
        shutil.copyfile(sqlite_templates["empty"], path)
        return str(path)
    url = _pg_url()
    _empty_pg_at_head(url)
    return url


@pytest.fixture
def pg_url() -> str:
    """For tests about PostgreSQL alone: a database at the newest revision, no rows."""
    url = _pg_url()
    _empty_pg_at_head(url)
    return url


@pytest.fixture
def blank_db_url(backend: str, tmp_path: Path) -> str:
    """A database on each backend with no schema at all (for migration tests)."""
    if backend == "sqlite":
        return str(tmp_path / "blank.db")
    url = _pg_url()
    _reset_pg_schema(url)
    return url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """For tests about SQLite itself (files, pragmas, backups)."""
    return str(tmp_path / "claims.db")


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = claims.open_database(db_url)
    yield database
    database.close()


@pytest.fixture
def cli(db_url: str) -> Cli:
    return Cli(db_url)


@pytest.fixture
def seeded(cli: Cli, backend: str, sqlite_templates: dict[str, Path]) -> Cli:
    """A CLI on a database holding the seed article's claims."""
    if backend == "sqlite":
        shutil.copyfile(sqlite_templates["seeded"], cli.url)
    else:
        cli.ok("seed")
    return cli


def snapshot(url: str) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every claims table, to prove a failed command changed nothing."""
    from claims.schema.models import Base

    database = claims.open_database(url)
    try:
        with database.read() as session:
            return {
                table.name: sorted(
                    (tuple(row) for row in session.execute(table.select())), key=repr
                )
                for table in Base.metadata.sorted_tables
            }
    finally:
        database.close()
