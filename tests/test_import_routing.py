"""The library chooses the importer (``claims.io.routing``); ``claims import`` only parses
its options, calls it and prints one summary per input. A Python caller imports claims,
review pages and whole-database dumps with the same two calls the command makes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import claims
from claims.io.routing import (
    Importer,
    ImportRequest,
    ImportRequestError,
    import_route,
    plan_import,
    run_import,
)
from tests.conftest import Cli, snapshot

PAGE = Path(__file__).parent / "fixtures" / "pages" / "afp.html"


def _jsonl(tmp_path: Path, *records: dict) -> str:
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return str(path)


def _summaries(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("Imported ")]


def test_the_route_follows_the_inputs(tmp_path: Path) -> None:
    records = _jsonl(tmp_path, {"text": "A claim.", "source": "desk"})
    assert import_route([records]) is Importer.CLAIMS
    assert import_route([str(PAGE)]) is Importer.REVIEWS
    assert import_route([records], preset="liar") is Importer.REVIEWS
    assert import_route([records, str(PAGE)]) is Importer.REVIEWS
    assert import_route([str(tmp_path)]) is Importer.REVIEWS  # a directory of pages
    assert import_route(["-"], "claimreview") is Importer.REVIEWS
    assert import_route(["-"], "jsonl") is Importer.CLAIMS
    csv = tmp_path / "r.csv"
    csv.write_text("claim,verdict\nx,false\n")
    assert import_route([str(csv)], column_map=["verdict=label"]) is Importer.REVIEWS
    assert import_route([str(csv)], column_map=["claim=text"]) is Importer.CLAIMS


def test_a_python_caller_imports_what_the_command_imports(db_url: str, tmp_path: Path) -> None:
    records = _jsonl(tmp_path, {"type": "source", "key": "desk", "title": "Desk", "outlet": "Desk"},
                     {"text": "The dam holds 40 million cubic metres.", "source": "desk"})
    database = claims.open_database(db_url)
    try:
        dry = run_import(database, plan_import(ImportRequest([records], dry_run=True)))
        [outcome] = run_import(database, plan_import(ImportRequest([records])))
        [pages] = run_import(database, plan_import(ImportRequest([str(PAGE)])))
        with database.connect() as conn:
            listed = claims.list_claims(conn)
    finally:
        database.close()
    assert dry[0].dry_run and dry[0].summary.created == 1
    assert (outcome.importer, outcome.label, outcome.summary.created) == (
        Importer.CLAIMS, records, 1)
    assert pages.importer is Importer.REVIEWS and pages.summary.reviews_created >= 1
    assert "The dam holds 40 million cubic metres." in [c["text"] for c in listed]


def test_each_input_gets_one_summary_line(cli: Cli, tmp_path: Path) -> None:
    records = _jsonl(tmp_path, {"type": "source", "key": "desk", "title": "Desk", "outlet": "Desk"},
                     {"text": "One claim.", "source": "desk"})
    run = cli.ok("import", records)
    assert _summaries(run.stderr) == [f"Imported {records}: 1 created, 0 updated, 0 unchanged, "
                                      "0 rejected; 0 entities and 1 sources created"]
    run = cli.ok("import", str(PAGE), "--dry-run")
    [line] = _summaries(run.stderr)
    assert line.startswith(f"Imported {PAGE}: ") and "reviews created" in line
    assert line.endswith("(dry run: nothing written)")


def test_a_whole_database_dump_is_routed_to_the_loader(db_url: str, backend: str,
                                                       tmp_path: Path,
                                                       sqlite_templates: dict[str, Path]
                                                       ) -> None:
    dump = tmp_path / "whole.jsonl"
    source = Cli(str(sqlite_templates["seeded"]))
    source.ok("export", "--with-log", "--output", str(dump))
    database = claims.open_database(db_url)
    try:
        plan = plan_import(ImportRequest([str(dump)]))
        assert plan.importer is Importer.CLAIMS  # only the first line tells a dump
        with pytest.raises(ImportRequestError, match="--dry-run"):
            run_import(database, plan_import(ImportRequest([str(dump)], dry_run=True)))
        [outcome] = run_import(database, plan)
    finally:
        database.close()
    assert outcome.importer is Importer.DUMP and outcome.summary.total > 100
    assert Cli(db_url).ok("show", "20", "--format", "json").stdout


@pytest.mark.parametrize("request_, field", [
    (ImportRequest(["-"]), "files"),
    (ImportRequest(["x.csv"], column_map=["a=colour"]), "column_map"),
    (ImportRequest(["x.csv"], status_map=["pants"]), "status_map"),
    (ImportRequest(["x.csv"], list_sep=""), "list_sep"),
    (ImportRequest(["x.csv"], fmt="xml"), "fmt"),
])
def test_a_malformed_request_is_refused_before_any_database(request_: ImportRequest,
                                                            field: str) -> None:
    with pytest.raises(ImportRequestError) as raised:
        plan_import(request_)
    assert raised.value.field == field and raised.value.exit_code == 2


def test_the_command_keeps_its_usage_errors(seeded: Cli, tmp_path: Path) -> None:
    before = snapshot(seeded.url)
    stdin = seeded("import", "-")
    assert stdin.exit_code == 2 and "Error: reading stdin needs --format" in stdin.stderr
    bad_map = seeded("import", "x.csv", "--map", "a=colour")
    assert bad_map.exit_code == 2
    assert "Invalid value for --map: cannot read column map" in bad_map.stderr
    assert snapshot(seeded.url) == before
    missing = tmp_path / "none.db"
    run = Cli(str(missing))("import", "x.csv", "--list-sep=")
    assert run.exit_code == 2 and not missing.exists()


def test_review_rejections_go_to_the_rejects_file_too(cli: Cli, tmp_path: Path) -> None:
    page = {"@context": "https://schema.org", "@type": "ClaimReview",
            "claimReviewed": "The river rose three metres.",
            "reviewRating": {"@type": "Rating", "alternateName": "False"},
            "author": {"@type": "Organization", "name": "Checker"},
            "url": "https://checker.example/river"}
    bad = {**page, "claimReviewed": "", "url": "https://checker.example/empty"}
    path = tmp_path / "reviews.json"
    path.write_text(json.dumps([page, bad]), encoding="utf-8")
    rejects = tmp_path / "rejects.jsonl"
    run = cli.ok("import", str(path), "--skip-invalid", "--rejects", str(rejects))
    [line] = _summaries(run.stderr)
    assert "1 reviews created" in line and "1 rejected" in line
    [rejected] = [json.loads(r) for r in rejects.read_text().splitlines()]
    assert rejected["line"] == 2 and rejected["reason"]
