"""claims serve without a browser: PostgreSQL refused in one line, what Datasette is given."""

from __future__ import annotations

from pathlib import Path

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
    assert set(meta["queries"]) == {"entity_claims", "open_conflicts", "track_record"}
    assert all(":" in q["sql"] or "open" in name for name, q in meta["queries"].items())
