"""claims serve without a browser: PostgreSQL refused in one line, what Datasette is given."""

from __future__ import annotations

from pathlib import Path

import pytest

from claims.serve import datasette_args
from claims.serve.metadata import HIDDEN_TABLES, build_metadata
from tests.conftest import Cli


def test_serve_on_postgresql_says_how_to_serve_a_snapshot_in_one_line() -> None:
    # An unreachable server: the refusal comes before any connection is tried.
    run = Cli("postgresql+psycopg://claims:secret@192.0.2.1:5/newsroom")("serve")
    assert run.exit_code == 1 and run.stdout == ""
    assert run.stderr.count("\n") == 1
    assert run.stderr.startswith("Error: Datasette reads SQLite, not PostgreSQL")
    assert "'claims db copy URL snapshot.db'" in run.stderr and "secret" not in run.stderr


def test_serve_refuses_a_missing_file_and_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "nope.db"
    run = Cli(str(missing))("serve")
    assert run.exit_code == 1 and "no database at" in run.stderr
    assert not missing.exists()


def test_datasette_reads_the_file_read_only_on_loopback(tmp_path: Path) -> None:
    db, meta = tmp_path / "c.db", tmp_path / "m.json"
    args = datasette_args(db, meta, host="127.0.0.1", port=9, open_browser=False,
                          immutable=False)
    assert args[:2] == ["serve", str(db)] and "-i" not in args
    assert args[args.index("--host") + 1] == "127.0.0.1"
    frozen = datasette_args(db, meta, host="127.0.0.1", port=9, open_browser=True,
                            immutable=True)
    assert frozen[1:3] == ["-i", str(db)] and "--open" in frozen


def test_metadata_puts_the_claims_view_first_and_hides_the_internals() -> None:
    meta = build_metadata("newsroom")["databases"]["newsroom"]
    tables = meta["tables"]
    assert {"alembic_version", "claims", "claims_fts"} <= set(HIDDEN_TABLES)
    assert all(tables[name] == {"hidden": True} for name in HIDDEN_TABLES)
    view = tables["claims_view"]
    assert view["fts_table"] == "claims_fts" and view["fts_pk"] == "id"
    assert view["facets"][:3] == ["status", "speaker", "source"]
    assert {"array": "tags"} in view["facets"] and {"array": "entities"} in view["facets"]
    assert set(meta["queries"]) == {"entity_claims", "open_conflicts", "track_record",
                                    "measure_timeline", "overdue_promises", "claim_reviews"}
    unparameterised = {"open_conflicts", "overdue_promises"}
    assert all(":" in q["sql"] or name in unparameterised for name, q in meta["queries"].items())


def test_every_canned_query_answers_on_a_real_database(seeded: Cli, backend: str) -> None:
    """Each canned query runs on a seeded file with a figure, an overdue promise and a
    review, through the same name function the Datasette plugin registers."""
    import sqlite3

    from claims.serve.plugins.claims_plugin import prepare_connection

    if backend != "sqlite":
        pytest.skip("Datasette reads SQLite only; the PostgreSQL refusal is tested above")
    seeded.ok("measure", "add", "Bushehr 2-3 progress", "--entity", "Bushehr", "--unit", "%")
    seeded.ok("figure", "add", "20", "17%", "--measure", "bushehr 2-3 progress")
    seeded.ok("edit", "20", "--due", "2024-10-31")
    seeded.ok("review", "add", "20", "false", "--by", "Other Checker", "--label", "Faux",
              "--url", "https://checker.example/1")
    conn = sqlite3.connect(seeded.url)
    prepare_connection(conn)
    params = {"entity_claims": {"name": "ایران"}, "track_record": {"speaker": "Lavrov"},
              "measure_timeline": {"measure": "BUSHEHR 2-3 PROGRESS"},
              "claim_reviews": {"publisher": "other checker"}}
    queries = build_metadata("n")["databases"]["n"]["queries"]
    found = {name: conn.execute(q["sql"], params.get(name, {})).fetchall()
             for name, q in queries.items()}
    conn.close()
    assert found["entity_claims"] and found["track_record"]
    assert [row[1] for row in found["measure_timeline"]] == ["17%"]
    assert [(row[0], row[1]) for row in found["overdue_promises"]] == [("2024-10-31", 20)]
    assert [(row[1], row[4]) for row in found["claim_reviews"]] == [(20, "Faux")]
