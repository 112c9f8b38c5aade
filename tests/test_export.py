"""claims export: the jsonl/json round trip, filters, CSV."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import claims
from claims.io.api import import_stream
from claims.io.batching import ImportOptions
from claims.io.export import export_claims
from claims.parse import normalise_text as text_key
from claims.writes import store
from claims.writes.entities import add_entity
from tests.conftest import Cli, _reset_pg_schema

NAMES = ["Iran", "Zoë Ångström", "Тегеран", "東京都", "O'Brien & Sons", "Ali, Jr."]
KINDS = ["person", "organization", "country", "place"]
STATUSES = [s.value for s in claims.Status]
# Text with something besides white space: a blank claim text is refused before any export.
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1,
               max_size=40).filter(str.strip)
OPTIONAL = st.none() | TEXT

claim_specs = st.fixed_dictionaries({
    "text": TEXT,
    "quote": OPTIONAL,
    "speaker": st.none() | st.sampled_from(NAMES),
    "about": st.lists(st.sampled_from(NAMES), max_size=3, unique=True),
    "tags": st.lists(st.text("abcdéß-", min_size=1, max_size=8), max_size=3),
    "said_on": st.none() | st.dates(date(1900, 1, 1), date(2100, 1, 1)),
    "statuses": st.lists(st.sampled_from(STATUSES), min_size=1, max_size=3),
    "external": st.booleans(),
    "via": st.booleans(),
})


def _fill(database: claims.Database, specs: list[dict], link: bool) -> None:
    with database.write() as session:
        store.add_source(session, "origin", title="Orígin", outlet="Wire", url="https://x.test/1")
        store.add_source(session, "relay", title="Relay", outlet="Daily", via="origin",
                         published="2024-02-29")
        for index, name in enumerate(NAMES):
            add_entity(session, name, kind=KINDS[index % len(KINDS)],
                             aliases=[f"alias {index} ✓"], description=None if index else "d")
        ids = []
        for index, spec in enumerate(specs):
            result = store.add_claim(
                session, spec["text"], source="relay" if spec["via"] else "origin",
                speaker=spec["speaker"], about=spec["about"], status=spec["statuses"][0],
                quote=spec["quote"], said_on=spec["said_on"], tags=spec["tags"],
                external_id=f"ext-{index}" if spec["external"] else None, force=True)
            for status in spec["statuses"][1:]:
                store.set_status(session, result.claim.id, status, note="changed ✓",
                                 evidence="origin")
            ids.append(result.claim.id)
        if link and len(ids) >= 2:
            store.link_claims(session, ids[0], "supports", ids[1], note="see")


def _export(database: claims.Database, fmt: str = "jsonl") -> str:
    out = io.StringIO()
    with database.read() as session:
        export_claims(session, out, fmt)
    return out.getvalue()


def _import(database: claims.Database, text: str, fmt: str = "jsonl") -> claims.io.ImportSummary:
    with database.write() as session:
        return import_stream(session, io.StringIO(text), fmt, ImportOptions())


def _distinct(specs: list[dict]) -> list[dict]:
    """Claims without an external id are known by source and text: keep those distinct."""
    kept, seen = [], set()
    for spec in specs:
        key = (spec["via"], text_key(spec["text"]))
        if spec["external"] or key not in seen:
            kept.append(spec)
            seen.add(key)
    return kept


def _fresh_target(backend_url: str, scratch: str) -> str:
    if "://" in backend_url:
        _reset_pg_schema(backend_url)
        return backend_url
    return os.path.join(scratch, "target.db")


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(specs=st.lists(claim_specs, max_size=6), link=st.booleans(), fmt=st.sampled_from(
    ["jsonl", "json"]))
def test_export_import_export_is_identical(db_url: str, specs: list[dict], link: bool,
                                           fmt: str) -> None:
    specs = _distinct(specs)
    with tempfile.TemporaryDirectory() as scratch:
        origin = claims.open_database(os.path.join(scratch, "origin.db"))
        target = claims.open_database(_fresh_target(db_url, scratch))
        try:
            _fill(origin, specs, link)
            first = _export(origin, fmt)
            summary = _import(target, first, fmt)
            assert summary.created == len(specs) and summary.rejected == 0
            assert _export(target, fmt) == first
            again = _import(target, first, fmt)
            assert (again.created, again.updated, again.unchanged) == (0, 0, len(specs))
            assert _export(target, fmt) == first
        finally:
            origin.close()
            target.close()


def test_export_carries_history_links_and_via_chain(seeded: Cli) -> None:
    seeded.ok("status", "3", "false", "--note", "checked", "--evidence", "menafn-putin-iran-treaty")
    records = [json.loads(line) for line in seeded.ok("export").stdout.splitlines()]
    kinds = [r["type"] for r in records]
    # Sources first (each after the one it came via), then entities, then claims.
    assert kinds == sorted(kinds, key=["source", "entity", "claim"].index)
    sources = [r["key"] for r in records if r["type"] == "source"]
    assert sources.index("menafn-putin-iran-treaty") < sources.index(
        "guardian-us-iran-uranium-proposal")
    third = [r for r in records if r["type"] == "claim"][2]
    assert [(h["from"], h["to"], h["evidence"]) for h in third["history"]][-1] == (
        third["history"][0]["to"], "false", "menafn-putin-iran-treaty")
    assert "id" not in third
    linked = [r for r in records if r["type"] == "claim" and r["links"]]
    assert linked and all("external_id" in link["to"] or "text" in link["to"]
                          for r in linked for link in r["links"])
    iran = next(r for r in records if r["type"] == "entity" and r["name"] == "Iran")
    assert iran["kind"] == "country" and "Tehran" in iran["aliases"]


def test_export_applies_the_list_filters(seeded: Cli) -> None:
    wanted = {c["external_id"] for c in json.loads(
        seeded.ok("list", "--tag", "treaty", "--format", "json").stdout)}
    lines = seeded.ok("export", "--tag", "treaty").stdout.splitlines()
    got = {json.loads(line)["external_id"] for line in lines
           if json.loads(line)["type"] == "claim"}
    assert got == wanted and wanted


def test_csv_export_is_one_flat_row_per_claim(seeded: Cli, tmp_path: Path) -> None:
    target = tmp_path / "claims.csv"
    run = seeded.ok("export", "--format", "csv", "--output", str(target))
    assert run.stdout == "" and "Exported 20 claim(s)" in run.stderr
    rows = list(csv.DictReader(target.open(encoding="utf-8", newline="")))
    listed = json.loads(seeded.ok("list", "--format", "json").stdout)
    assert len(rows) == len(listed)
    first = next(r for r in rows if r["external_id"] == "seed:treaty-enacted")
    record = next(c for c in listed if c["external_id"] == "seed:treaty-enacted")
    assert first["about"].split(" | ") == record["about"]
    assert first["tags"].split(" | ") == record["tags"]
    assert first["rating"] == "" and first["status"] == record["status"]


def test_csv_export_reimports_with_the_pipe_separator(seeded: Cli, tmp_path: Path) -> None:
    target = tmp_path / "claims.csv"
    seeded.ok("export", "--format", "csv", "--output", str(target))
    run = seeded.ok("import", str(target), "--list-sep", "|")
    assert "0 created, 0 updated, 20 unchanged" in run.stderr

