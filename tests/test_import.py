"""claims import: CSV/TSV with column maps, idempotence, updates, all-or-nothing, rejects."""

from __future__ import annotations

import io
import json
from pathlib import Path

import claims
from claims.database.engine import Database
from claims.writes.entities import add_entity
from tests.conftest import Cli, snapshot

FIXTURES = Path(__file__).parent / "fixtures"
LIAR_MAP = ["--no-header", "--map", "1=external_id", "--map", "2=status", "--map", "3=text",
            "--map", "4=tag", "--map", "5=speaker",
            "--status-map", "pants-fire=false", "--status-map", "barely-true=mostly-false"]


def _source(cli: Cli, key: str = "desk") -> None:
    cli.ok("source", "add", key, "--outlet", "Desk", "--title", "Desk notes")


def _claims(cli: Cli, *args: str) -> list[dict]:
    return json.loads(cli.ok("list", "--format", "json", *args).stdout)


def _database_with_desk(db_url: str) -> Database:
    """The database open, with the one source the library-level import tests use."""
    database = claims.open_database(db_url)
    with database.write() as session:
        claims.writes.store.add_source(session, "desk", title="Desk", outlet="Desk")
    return database


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_liar_tsv_with_a_stray_quote_gives_one_record_per_line(cli: Cli) -> None:
    _source(cli, "liar")
    run = cli.ok("import", str(FIXTURES / "liar_sample.tsv"), "--source", "liar", *LIAR_MAP)
    assert "5 created, 0 updated, 0 unchanged, 0 rejected" in run.stderr
    claims = {c["external_id"]: c for c in _claims(cli)}
    assert len(claims) == 5
    # The stray quote stays in its own statement instead of swallowing the next lines.
    assert claims["101.json"]["text"] == 'Says the moon is made of "green cheese.'
    assert claims["102.json"]["text"] == "The river rose 3 metres in April."
    assert claims["101.json"]["status"] == "false"
    assert claims["103.json"]["status"] == "mostly-false"
    assert claims["104.json"]["tags"] == ["infrastructure", "transport"]
    # Names resolve case-insensitively: 'Jane-Doe' is the 'jane-doe' created two lines up.
    assert claims["104.json"]["speaker"] == "jane-doe"
    assert "2 entities and 0 sources created" in run.stderr


def test_reimporting_the_same_file_changes_nothing(cli: Cli) -> None:
    _source(cli, "liar")
    args = ("import", str(FIXTURES / "liar_sample.tsv"), "--source", "liar", *LIAR_MAP)
    cli.ok(*args)
    before = snapshot(cli.url)
    run = cli.ok(*args)
    assert "0 created, 0 updated, 5 unchanged, 0 rejected" in run.stderr
    assert snapshot(cli.url) == before


def test_without_external_ids_records_match_by_source_and_text(cli: Cli, tmp_path: Path) -> None:
    _source(cli)
    path = _write(tmp_path, "a.csv", "claim,verdict\nRain is wet.,true\nSnow is hot.,false\n")
    cli.ok("import", path, "--source", "desk", "--map", "claim=text", "--map", "verdict=status")
    again = _write(tmp_path, "b.csv", "claim,verdict\n  Rain   is wet. ,true\nSnow is hot.,false\n")
    run = cli.ok("import", again, "--source", "desk", "--map", "claim=text",
                 "--map", "verdict=status")
    assert "0 created, 0 updated, 2 unchanged" in run.stderr
    assert len(_claims(cli)) == 2


def test_an_updated_file_updates_without_blanking(cli: Cli, tmp_path: Path) -> None:
    _source(cli)
    first = _write(tmp_path, "v1.csv",
                   "id,text,quote,who,verdict,topics\n"
                   "a1,Prices fell.,prices fell by half,Ann Smith,unverified,economy\n")
    mapping = ["--source", "desk", "--map", "id=external_id", "--map", "text=text",
               "--map", "quote=quote", "--map", "who=speaker", "--map", "verdict=status",
               "--map", "topics=tag"]
    cli.ok("import", first, *mapping)
    # The second version leaves the quote empty, drops the speaker column, changes the verdict.
    second = _write(tmp_path, "v2.csv",
                    "id,text,quote,verdict,topics\na1,Prices fell sharply.,,false,prices\n")
    run = cli.ok("import", second, "--source", "desk", "--map", "id=external_id",
                 "--map", "text=text", "--map", "quote=quote", "--map", "verdict=status",
                 "--map", "topics=tag")
    assert "0 created, 1 updated, 0 unchanged" in run.stderr
    [claim] = _claims(cli)
    assert claim["text"] == "Prices fell sharply."
    assert claim["quote"] == "prices fell by half"
    assert claim["speaker"] == "Ann Smith"
    assert claim["tags"] == ["economy", "prices"]
    history = json.loads(cli.ok("history", str(claim["id"]), "--format", "json").stdout)
    statuses = [h for h in history if "kind" not in h]  # edits are there too, with a kind
    assert [(h["from"], h["to"]) for h in statuses] == [(None, "unverified"),
                                                       ("unverified", "false")]


def test_first_bad_record_stops_the_import_and_writes_nothing(cli: Cli, tmp_path: Path) -> None:
    _source(cli)
    path = _write(tmp_path, "bad.csv",
                  "text,status,speaker\nOne.,true,Ann\nTwo.,pants-fire,Bob\nThree.,false,Cy\n")
    before = snapshot(cli.url)
    run = cli("import", path, "--source", "desk")
    assert run.exit_code == 1
    assert f"{path}:3: unknown status 'pants-fire'" in run.stderr
    assert "--status-map" in run.stderr
    assert run.stdout == ""
    assert snapshot(cli.url) == before


def test_skip_invalid_imports_the_good_and_reports_the_bad(cli: Cli, tmp_path: Path) -> None:
    _source(cli)
    path = _write(tmp_path, "mixed.csv",
                  "text,status\nOne.,true\n,false\nThree.,nonsense\nFour.,false\n")
    rejects = tmp_path / "rejects.jsonl"
    run = cli.ok("import", path, "--source", "desk", "--skip-invalid", "--rejects", str(rejects))
    assert "2 created, 0 updated, 0 unchanged, 2 rejected" in run.stderr
    assert [c["text"] for c in _claims(cli)] == ["One.", "Four."]
    rows = [json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()]
    assert [(r["line"], r["record"]) for r in rows] == [(3, ",false"), (4, "Three.,nonsense")]
    assert "empty claim text" in rows[0]["reason"]
    # Without --rejects the reasons go to stderr, one line each.
    other = _write(tmp_path, "again.csv", "text,status\nFive.,bogus\n")
    run = cli.ok("import", other, "--source", "desk", "--skip-invalid")
    assert "rejected line 2: unknown status 'bogus'" in run.stderr


def test_unknown_names_become_entities_without_near_miss_refusal(seeded: Cli,
                                                                 tmp_path: Path) -> None:
    # 'Irann' is a near miss of 'Iran': 'claims add' would refuse it, an import creates it.
    path = _write(tmp_path, "n.csv", "text,speaker,about\n"
                  'A claim.,Irann,"tehran, rosatom"\n')
    run = seeded.ok("import", path, "--source", "menafn-putin-iran-treaty")
    assert "1 entities and 0 sources created" in run.stderr
    [claim] = _claims(seeded, "--speaker", "Irann")
    assert claim["about"] == ["Iran", "Rosatom"]


def test_a_source_column_creates_sources_by_name(cli: Cli, tmp_path: Path) -> None:
    path = _write(tmp_path, "s.tsv", "text\twhere\nOne.\ta radio ad\nTwo.\ta radio ad\n")
    run = cli.ok("import", path, "--map", "text=text", "--map", "where=source")
    assert "2 created" in run.stderr and "1 sources created" in run.stderr
    assert {c["source"] for c in _claims(cli)} == {"a-radio-ad"}


def test_a_record_without_any_source_is_refused(cli: Cli, tmp_path: Path) -> None:
    path = _write(tmp_path, "x.csv", "text\nOrphan.\n")
    run = cli("import", path)
    assert run.exit_code == 1
    assert ":2: the record names no source" in run.stderr


def test_csv_row_with_a_runaway_quote_is_an_error_not_a_merge(cli: Cli, tmp_path: Path) -> None:
    _source(cli)
    path = _write(tmp_path, "q.csv", 'text,status\n"Broken,true\nNext.,false\n')
    run = cli("import", path, "--source", "desk")
    assert run.exit_code == 1
    assert "fields where 2 were expected" in run.stderr


def test_format_comes_from_the_extension_or_the_option(cli: Cli, tmp_path: Path) -> None:
    _source(cli)
    path = _write(tmp_path, "claims.txt", '{"text": "From stdin.", "source": "desk"}\n')
    run = cli("import", path)
    assert run.exit_code == 1 and "cannot tell the format" in run.stderr
    assert cli("import", "-").exit_code == 2
    run = cli.ok("import", "-", "--format", "jsonl", input=Path(path).read_text())
    assert "1 created" in run.stderr
    assert _claims(cli)[0]["text"] == "From stdin."


def test_bad_column_map_is_reported(cli: Cli, tmp_path: Path) -> None:
    _source(cli)
    path = _write(tmp_path, "m.csv", "a,b\nx,y\n")
    run = cli("import", path, "--source", "desk", "--map", "a=colour")
    assert run.exit_code == 2 and "cannot read column map 'a=colour'" in run.stderr
    run = cli("import", path, "--source", "desk", "--map", "zzz=text")
    assert run.exit_code == 1 and "no column 'zzz' in the header" in run.stderr


def test_many_records_span_batches(db_url: str, tmp_path: Path) -> None:
    """More records than one batch, with repeats inside a batch, through the library."""
    from claims.io.api import import_stream
    from claims.io.batching import ImportOptions
    from claims.io.tabular import ColumnMap

    lines = ["id\ttext\tstatus"] + [f"k{i % 1500}\tClaim {i % 1500}\ttrue" for i in range(2600)]
    path = tmp_path / "big.tsv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    database = _database_with_desk(db_url)
    try:
        with database.write() as session, path.open(encoding="utf-8") as stream:
            summary = import_stream(
                session, stream, "tsv",
                ImportOptions(label="big.tsv", default_source="desk", batch_size=1000),
                column_map=ColumnMap.parse(["id=external_id", "text=text", "status=status"]))
        assert (summary.created, summary.unchanged, summary.rejected) == (1500, 1100, 0)
        with database.read() as session:
            from claims.reads.query import count_claims

            assert count_claims(session) == 1500
    finally:
        database.close()


# --- sources, entities and links written in bulk ----------------------------------------


def _jsonl(tmp_path: Path, name: str, records: list[dict]) -> str:
    return _write(tmp_path, name, "".join(json.dumps(r, ensure_ascii=False) + "\n"
                                          for r in records))


def _entity(name: str, *aliases: str, kind: str = "country") -> dict:
    return {"type": "entity", "name": name, "kind": kind, "description": None,
            "aliases": list(aliases)}


def _claim(external_id: str, *links: tuple[str, str]) -> dict:
    return {"type": "claim", "text": f"Claim {external_id}.", "source": "desk",
            "external_id": external_id,
            "links": [{"kind": kind, "to": {"external_id": to}} for kind, to in links]}


DESK = {"type": "source", "key": "desk", "title": "Desk notes", "outlet": "Desk"}


def _fill_one_by_one(database: object) -> None:
    """The reference: everything written through ``claims.writes.store``, one row at a time."""
    from claims.writes import store

    with database.write() as session:  # type: ignore[attr-defined]
        store.add_source(session, "wire", title="Wire", outlet="AP", url="https://w.test/1")
        store.add_source(session, "relay", title="Relay", outlet="Daily", via="wire",
                         published="2024-02-29", kind="report", notes="copied")
        store.add_source(session, "relay-2", title="Relay 2", outlet="Daily", via="relay")
        add_entity(session, "Iran", kind="country", aliases=["Tehran", "ایران"],
                         description="a country")
        add_entity(session, "Rosatom", kind="organization", aliases=["Росатом"])
        add_entity(session, "Ann Smith", kind="person")
        ids = [store.add_claim(session, f"Claim number {n}.", source=source, speaker=speaker,
                               about=about, external_id=f"c{n}").claim.id
               for n, (source, speaker, about) in enumerate([
                   ("relay", "Ann Smith", ["Iran"]), ("relay-2", None, ["Rosatom", "Tehran"]),
                   ("wire", "Iran", []), ("relay", None, [])])]
        store.link_claims(session, ids[1], "updates", ids[0], note="newer")
        store.link_claims(session, ids[2], "updates", ids[1])
        store.link_claims(session, ids[3], "contradicts", ids[0])
        store.link_claims(session, ids[0], "supports", ids[2])


def test_bulk_import_writes_what_one_by_one_writes(db_url: str, tmp_path: Path) -> None:
    """Sources (a via chain), entities with aliases and links, imported in batches smaller
    than the file, export exactly as the same data written through ``claims.writes.store``."""
    import io

    from claims.io.api import import_stream
    from claims.io.batching import ImportOptions
    from claims.io.export import export_claims

    reference = claims.open_database(tmp_path / "reference.db")
    target = claims.open_database(db_url)
    try:
        _fill_one_by_one(reference)
        out = io.StringIO()
        with reference.read() as session:
            export_claims(session, out, "jsonl")
        expected = out.getvalue()
        with target.write() as session:
            summary = import_stream(session, io.StringIO(expected), "jsonl",
                                    ImportOptions(batch_size=2))
        assert (summary.sources_created, summary.entities_created, summary.links_created,
                summary.created) == (3, 3, 4, 4)
        out = io.StringIO()
        with target.read() as session:
            export_claims(session, out, "jsonl")
        assert out.getvalue() == expected
    finally:
        reference.close()
        target.close()


def test_an_alias_given_twice_in_one_file_is_a_line_error(cli: Cli, tmp_path: Path) -> None:
    path = _jsonl(tmp_path, "e.jsonl", [
        DESK, _entity("Iran", "Tehran"), _entity("Russia", "Moscow"),
        _entity("Persia", "TEHRAN")])
    before = snapshot(cli.url)
    run = cli("import", path)
    assert run.exit_code == 1
    assert f"{path}:4: the name 'TEHRAN' is already 'Iran' name or alias" in run.stderr
    assert snapshot(cli.url) == before
    # With --skip-invalid the other records go in and only that one is rejected.
    run = cli.ok("import", path, "--skip-invalid")
    assert "rejected line 4" in run.stderr and "2 entities and 1 sources created" in run.stderr
    entities = json.loads(cli.ok("entity", "list", "--format", "json").stdout)
    assert sorted(e["name"] for e in entities) == ["Iran", "Russia"]


def test_an_alias_repeating_its_own_name_or_a_stored_name_is_refused(cli: Cli,
                                                                      tmp_path: Path) -> None:
    cli.ok("entity", "add", "Iran", "--kind", "country", "--alias", "Tehran")
    own = _jsonl(tmp_path, "own.jsonl", [_entity("Russia", "Moscow", "moscow")])
    run = cli("import", own)
    assert run.exit_code == 1
    assert f"{own}:1: the name 'moscow' is already its own name or alias" in run.stderr
    stored = _jsonl(tmp_path, "stored.jsonl", [_entity("Russia"), _entity("Persia", "tehran")])
    before = snapshot(cli.url)
    run = cli("import", stored)
    assert run.exit_code == 1
    assert f"{stored}:2: the name 'tehran' is already 'Iran' name or alias" in run.stderr
    assert snapshot(cli.url) == before


def test_an_entity_named_twice_is_updated_not_duplicated(cli: Cli, tmp_path: Path) -> None:
    path = _jsonl(tmp_path, "twice.jsonl", [
        _entity("Iran", "Tehran"), {"type": "entity", "name": "tehran", "kind": "place",
                                    "aliases": ["Persia"]}])
    run = cli.ok("import", path)
    assert "1 entities and 0 sources created" in run.stderr
    [iran] = json.loads(cli.ok("entity", "list", "--format", "json").stdout)
    assert (iran["name"], iran["kind"], iran["aliases"]) == ("Iran", "place", ["Tehran", "Persia"])


def test_a_via_source_must_come_first(cli: Cli, tmp_path: Path) -> None:
    relay = {"type": "source", "key": "relay", "title": "Relay", "outlet": "Daily", "via": "wire"}
    wire = {"type": "source", "key": "wire", "title": "Wire", "outlet": "AP"}
    path = _jsonl(tmp_path, "via.jsonl", [relay, wire])
    run = cli("import", path)
    assert run.exit_code == 1 and f"{path}:1: no source with key 'wire'" in run.stderr
    path = _jsonl(tmp_path, "via-ok.jsonl", [wire, relay])
    cli.ok("import", path)
    shown = json.loads(cli.ok("source", "show", "relay", "--format", "json").stdout)
    assert shown["via"] == "wire"


def test_an_updates_cycle_inside_one_file_is_refused(cli: Cli, tmp_path: Path) -> None:
    path = _jsonl(tmp_path, "cycle.jsonl", [
        DESK, _claim("a", ("updates", "b")), _claim("b", ("updates", "c")),
        _claim("c", ("updates", "a"))])
    before = snapshot(cli.url)
    run = cli("import", path)
    assert run.exit_code == 1
    assert f"{path}:4: claim 1 already updates claim 3, directly or through others" \
        in run.stderr
    assert snapshot(cli.url) == before
    run = cli.ok("import", path, "--skip-invalid")
    assert "3 created" in run.stderr and "2 links added" in run.stderr
    assert "rejected line 4" in run.stderr


def test_self_links_and_unknown_targets_are_line_errors(cli: Cli, tmp_path: Path) -> None:
    path = _jsonl(tmp_path, "self.jsonl", [DESK, _claim("a", ("supports", "a"))])
    run = cli("import", path)
    assert run.exit_code == 1 and f"{path}:2: claim 1 cannot be linked to itself" in run.stderr
    path = _jsonl(tmp_path, "lost.jsonl", [DESK, _claim("a", ("supports", "nowhere"))])
    run = cli("import", path)
    assert run.exit_code == 1
    assert f"{path}:2: linked claim not found: external id 'nowhere'" in run.stderr


def test_links_already_stored_are_skipped_on_reimport(cli: Cli, tmp_path: Path) -> None:
    plain = _jsonl(tmp_path, "plain.jsonl", [DESK, _claim("a"), _claim("b"), _claim("c")])
    cli.ok("import", plain)
    cli.ok("link", "2", "supports", "1")
    cli.ok("link", "1", "contradicts", "2")  # the file says it the other way round
    path = _jsonl(tmp_path, "links.jsonl", [
        DESK, _claim("a"), _claim("b", ("supports", "a"), ("contradicts", "a")),
        _claim("c", ("repeats", "a"), ("updates", "b"), ("supports", "a"))])
    run = cli.ok("import", path)
    assert "0 created, 0 updated, 3 unchanged" in run.stderr and "3 links added" in run.stderr
    before = snapshot(cli.url)
    run = cli.ok("import", path)
    assert "links added" not in run.stderr  # the summary names links only when some were
    assert snapshot(cli.url) == before
    shown = json.loads(cli.ok("show", "2", "--format", "json").stdout)
    assert len(shown["links"]) == 2 + 1  # the two stored, and 'c updates b' pointing in


def test_records_match_stored_texts_that_differ_in_case_and_punctuation(
        cli: Cli, tmp_path: Path) -> None:
    """Matching goes through the stored normalised-text hash, so a stored text spelled with
    other case and punctuation is the same claim, not only one differing in white space."""
    _source(cli)
    cli.ok("add", "Rain is wet, says the Met Office.", "--source", "desk", "--status", "true")
    path = _write(tmp_path, "a.csv",
                  "claim,verdict\n\"RAIN is wet -- says the met office\",false\n"
                  "Snow is hot.,false\n")
    run = cli.ok("import", path, "--source", "desk", "--map", "claim=text",
                 "--map", "verdict=status")
    assert "1 created, 1 updated, 0 unchanged" in run.stderr
    stored = {r["text"]: r["status"] for r in _claims(cli)}
    # The stored spelling stays; the status change is a new history entry.
    assert stored == {"Rain is wet, says the Met Office.": "false", "Snow is hot.": "false"}


def test_links_to_claims_further_down_the_file_are_written(db_url: str, tmp_path: Path) -> None:
    """Links are written batch by batch as their targets appear; one pointing forward waits
    until the claim it names has been imported, in whichever batch that is."""
    from claims.io.api import import_stream
    from claims.io.batching import ImportOptions
    from claims.reads.query import list_claims
    from claims.reads.records import claim_links

    lines = [json.dumps({"type": "claim", "external_id": f"c{n}", "text": f"Claim {n}.",
                         "source": "desk",
                         "links": ([{"kind": "contradicts", "to": {"external_id": "c0"}}]
                                   if n == 5 else
                                   [{"kind": "updates", "to": {"external_id": "c9"}}]
                                   if n == 1 else [])})
             for n in range(10)]
    path = tmp_path / "linked.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    database = _database_with_desk(db_url)
    try:
        with database.write() as session, path.open(encoding="utf-8") as stream:
            summary = import_stream(session, stream, "jsonl",
                                    ImportOptions(label="linked.jsonl", batch_size=2))
        assert (summary.created, summary.links_created) == (10, 2)
        with database.connect() as conn:
            ids = {r["external_id"]: r["id"] for r in list_claims(conn)}
            links = {name: [(link["kind"], link["direction"], link["other"]["id"])
                            for link in claim_links(conn, ids[name])]
                     for name in ("c0", "c1", "c5", "c9")}
    finally:
        database.close()
    assert links == {
        "c0": [("contradicts", "incoming", ids["c5"])],
        "c1": [("updates", "outgoing", ids["c9"])],
        "c5": [("contradicts", "outgoing", ids["c0"])],
        "c9": [("updates", "incoming", ids["c1"])],
    }


def test_a_replayed_batch_leaves_no_link_of_its_failed_attempt(pg_url: str,
                                                                tmp_path: Path) -> None:
    """A batch that fails in the database is replayed record by record. Links queued by
    the failed attempt named claim ids that the rollback took away (PostgreSQL never hands
    a sequence value out twice); only the replay's own links may be written. PostgreSQL
    only: SQLite accepts the over-long tag that makes the batch fail."""
    from claims.io.api import import_stream
    from claims.io.batching import ImportOptions

    database = _database_with_desk(pg_url)
    with database.write() as session:
        target = claims.writes.store.add_claim(session, "The target.", source="desk").claim.id
    records = [
        {"type": "claim", "external_id": "a", "text": "Claim A.", "source": "desk",
         "links": [{"kind": "supports", "to": {"source": "desk", "text": "The target."}}]},
        {"type": "claim", "external_id": "a", "text": "Claim A.", "source": "desk"},
        {"type": "claim", "external_id": "b", "text": "Claim B.", "source": "desk",
         "tags": ["x" * 300]},
    ]
    stream = io.StringIO("".join(json.dumps(r) + "\n" for r in records))
    rejected: list[str] = []
    try:
        with database.write() as session:
            summary = import_stream(
                session, stream, "jsonl",
                ImportOptions(label="replay.jsonl", skip_invalid=True, batch_size=10),
                on_reject=lambda r: rejected.append(f"{r.line}: {r.reason}"))
        with database.connect() as conn:
            from claims.reads.query import list_claims
            from claims.reads.records import claim_links

            by_external = {r["external_id"]: r["id"] for r in list_claims(conn)}
            links = claim_links(conn, target)
    finally:
        database.close()
    assert (summary.created, summary.rejected, summary.links_created) == (1, 1, 1), rejected
    assert [r.split(":")[0] for r in rejected] == ["3"]
    assert [(link["direction"], link["other"]["id"]) for link in links] == [
        ("incoming", by_external["a"])]
