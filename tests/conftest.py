"""Shared fixtures. Every test that touches a database runs on SQLite (a fresh file in
``tmp_path``) and on PostgreSQL (a fresh schema in the server that ``CLAIMS_TEST_PG_URL``
names; CI always starts one, see .ci/postgres.sh). Without that variable the PostgreSQL
half is skipped, and only then."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

import claims
from claims.cli.app import app
from claims.db import Database

PG_URL_VAR = "CLAIMS_TEST_PG_URL"


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

    def __call__(self, *args: str, input: str | None = None, env: dict[str, str] | None = None) -> Run:
        result = self.runner.invoke(
            app, list(args), input=input, env={"CLAIMS_DB": self.url, **(env or {})},
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


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL (or path) of an empty database on each backend."""
    if request.param == "sqlite":
        return str(tmp_path / "claims.db")
    url = os.environ.get(PG_URL_VAR)
    if not url:
        pytest.skip(f"PostgreSQL half: set {PG_URL_VAR} (CI does)")
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
def seeded(cli: Cli) -> Cli:
    """A CLI on a database holding the seed article's claims."""
    cli.ok("seed")
    return cli


def snapshot(url: str) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every claims table, to prove a failed command changed nothing."""
    from claims.models import Base

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
