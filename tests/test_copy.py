"""``claims db copy``: a whole database to another engine and back, all or nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

import claims
from claims.database.copy import copy_database, copy_tables
from claims.errors import ConflictError, InvalidError
from tests.conftest import Cli, snapshot

SEARCHES = ["bushehr", "Iran", '"nuclear programme"', "тегеран", "17%"]


def tour(cli: Cli) -> None:
    """The seed data and the README tour's writes: a source, a claim, a status, a link."""
    cli.ok("seed")
    cli.ok("source", "add", "aeoi-2025-04", "--outlet", "IRNA", "--title", "AEOI briefing",
           "--published", "2025-04-22")
    cli.ok("add", "Bushehr units 2 and 3 are 17% complete.", "--source", "aeoi-2025-04",
           "--speaker", "Rosatom", "--about", "Bushehr", "--quote", "17% complete",
           "--tag", "nuclear")
    cli.ok("status", "21", "unproven", "--note", "no site report", "--evidence", "aeoi-2025-04")
    cli.ok("link", "21", "repeats", "20", "--note", "same figure, second outlet")


def outputs(cli: Cli) -> dict[str, str]:
    """What users see of a database: the listing, every claim shown, searches, entities."""
    seen = {"list": cli.ok("list", "--format", "json").stdout,
            "entities": cli.ok("entity", "list", "--format", "json").stdout}
    ids = [record["id"] for record in json.loads(seen["list"])]
    for claim_id in ids:
        seen[f"show {claim_id}"] = cli.ok("show", str(claim_id), "--format", "json").stdout
    for query in SEARCHES:
        seen[f"search {query}"] = cli.ok("search", query, "--format", "json").stdout
    return seen


def row_counts(url: str) -> dict[str, int]:
    return {name: len(rows) for name, rows in snapshot(url).items()}


def test_sqlite_to_postgresql_and_back_shows_the_same(tmp_path: Path, pg_url: str) -> None:
    first = Cli(str(tmp_path / "first.db"))
    tour(first)
    expected = outputs(first)

    to_pg = first("db", "copy", first.url, pg_url)
    assert to_pg.exit_code == 0, to_pg.stderr
    assert "21 claims" in to_pg.stderr
    back = Cli(str(tmp_path / "back.db"))
    assert back("db", "copy", pg_url, back.url).exit_code == 0

    assert outputs(back) == expected
    assert snapshot(back.url) == snapshot(first.url)
    # On PostgreSQL the search ranking differs, but the same claims are found.
    on_pg = Cli(pg_url)
    assert json.loads(on_pg.ok("list", "--format", "json").stdout) == json.loads(expected["list"])
    found = json.loads(on_pg.ok("search", "bushehr", "--format", "json").stdout)
    expected_ids = {r["id"] for r in json.loads(expected["search bushehr"])}
    assert {r["id"] for r in found} == expected_ids


def test_new_rows_after_a_copy_get_fresh_ids(db_url: str, tmp_path: Path) -> None:
    """The copy keeps ids, and the destination's next ids follow them (PostgreSQL's
    sequences are moved on; SQLite's rowids follow by themselves)."""
    source = Cli(str(tmp_path / "source.db"))
    tour(source)
    destination = db_url
    copy_database(source.url, destination)
    copied = Cli(destination)
    new_id = copied.ok("add", "A claim recorded after the copy.", "--source",
                       "aeoi-2025-04", "--about", "Iran").stdout.strip()
    assert new_id == "22"
    copied.ok("status", "22", "disputed")
    copied.ok("link", "22", "supports", "21")
    copied.ok("source", "add", "after-copy", "--outlet", "X", "--title", "After")
    history = json.loads(copied.ok("history", "22", "--format", "json").stdout)
    assert [h["to"] for h in history if "kind" not in h] == ["unverified", "disputed"]


def test_sqlite_to_sqlite_copies_every_table(tmp_path: Path) -> None:
    source = Cli(str(tmp_path / "a.db"))
    tour(source)
    summary = copy_database(source.url, tmp_path / "b.db")
    assert list(summary.rows) == [t.name for t in copy_tables()]
    assert summary.rows == row_counts(source.url)
    assert snapshot(str(tmp_path / "b.db")) == snapshot(source.url)
    # The FTS index of the copy is complete and consistent with its rows.
    engine = claims.open_database(tmp_path / "b.db").engine
    with engine.connect() as conn:
        conn.exec_driver_sql("INSERT INTO claims_fts (claims_fts) VALUES ('integrity-check')")
        indexed = conn.execute(text("SELECT count(*) FROM claims_fts")).scalar()
    engine.dispose()
    assert indexed == summary.rows["claims"]


def test_a_non_empty_destination_is_refused_and_left_alone(
    seeded: Cli, tmp_path: Path, sqlite_templates: dict[str, Path]
) -> None:
    source = tmp_path / "source.db"
    shutil.copyfile(sqlite_templates["seeded"], source)
    before = snapshot(seeded.url)

    run = seeded("db", "copy", str(source), seeded.url)

    assert run.exit_code == 1
    assert run.stderr.count("\n") == 1
    assert run.stderr.startswith("Error: the destination ") and "is not empty" in run.stderr
    assert snapshot(seeded.url) == before


def test_the_same_database_twice_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    claims.open_database(path).close()
    with pytest.raises(ConflictError, match="the same database"):
        copy_database(path, str(path))


def test_a_source_that_does_not_exist_is_not_created(tmp_path: Path) -> None:
    run = Cli(str(tmp_path / "x.db"))("db", "copy", str(tmp_path / "missing.db"),
                                       str(tmp_path / "new.db"))
    assert run.exit_code == 1 and "does not exist" in run.stderr
    assert not (tmp_path / "missing.db").exists()


class Interrupted(Exception):
    pass


def test_a_failure_half_way_leaves_the_destination_empty(
    db_url: str, tmp_path: Path
) -> None:
    source = Cli(str(tmp_path / "source.db"))
    tour(source)
    seen: list[tuple[str, int]] = []

    def stop_in_the_claims(table: str, done: int, total: int) -> None:
        seen.append((table, done))
        if table == "claim_tags" and done:
            raise Interrupted

    with pytest.raises(Interrupted):
        copy_database(source.url, db_url, progress=stop_in_the_claims, chunk_rows=7)

    assert ("claims", 21) in seen  # claims had been written when it failed
    assert all(count == 0 for count in row_counts(db_url).values())
    # Still an empty claims database: the same copy now goes through.
    copy_database(source.url, db_url)
    assert row_counts(db_url) == row_counts(source.url)


def test_a_value_postgresql_refuses_stops_the_copy_with_nothing_written(
    tmp_path: Path, pg_url: str
) -> None:
    """SQLite keeps a tag longer than its column; PostgreSQL refuses it, late in the copy."""
    source = Cli(str(tmp_path / "source.db"))
    tour(source)
    engine = claims.open_database(source.url).engine
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO claim_tags (claim_id, tag) VALUES (21, :tag)"),
                     {"tag": "t" * 150})
    engine.dispose()

    run = source("db", "copy", source.url, pg_url)

    assert run.exit_code == 1
    assert run.stderr.startswith("Error: the database refused a value")
    assert all(count == 0 for count in row_counts(pg_url).values())
    with pytest.raises(InvalidError):
        copy_database(source.url, pg_url)


def test_a_filled_older_destination_is_refused_without_being_upgraded(
    db_url: str, tmp_path: Path
) -> None:
    from claims.database.engine import current_revision, make_engine, resolve_url
    from claims.database.migrate import migrate

    source = Cli(str(tmp_path / "source.db"))
    tour(source)
    engine = make_engine(resolve_url(db_url))
    migrate(engine, "0003")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO entities (id, name, kind, created_at) "
                          "VALUES (1, 'Iran', 'country', '2025-01-01')"))

    with pytest.raises(ConflictError, match="is not empty"):
        copy_database(source.url, db_url)

    assert current_revision(engine) == "0003"
    engine.dispose()
