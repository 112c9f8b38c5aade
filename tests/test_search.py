"""Full-text search: whatever users type, every script, ranking, filters, formats, raw
FTS5 syntax, the index following edits and deletes, and the 0002 migration itself."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import Connection, inspect

import claims
from claims.database.engine import Database, make_engine, resolve_url
from claims.database.migrate import migrate
from claims.reads.lookup import get_source
from claims.schema.fulltext import query_terms
from claims.writes import store
from tests.conftest import Cli

SOURCE = "wire-1"
TEXTS = {
    "us_iran": "US-Iran talks resumed in Muscat on Saturday.",
    "percent": "Inflation reached 17% last year, the central bank said.",
    "disaster": "Trump called the nuclear deal a disaster.",
    "covid": "COVID-19 cases fell sharply in the spring.",
    "cyrillic": "Тегеран отверг обвинения в обогащении урана.",
    "latin": "Officials in Tehran denied the report.",
    "accented": "Le porte-parole a parlé à Téhéran.",
    "persian": "ایران به غنی‌سازی اورانیوم ادامه می‌دهد.",
    "words": "Iran and Russia or China near the border signed a pact.",
    "dash": "The US\u2013Iran channel runs through Oman.",  # an en dash
}


@pytest.fixture
def corpus(db: Database) -> dict[str, int]:
    """One claim per case above, from one source; name -> id."""
    ids = {}
    with db.write() as session:
        store.add_source(session, SOURCE, title="Wire", outlet="Wire")
        store.add_source(session, "wire-2", title="Other wire", outlet="Other")
        for name, text in TEXTS.items():
            ids[name] = store.add_claim(session, text, source=SOURCE).claim.id
    return ids


def found(cli: Cli, query: str, *options: str) -> list[int]:
    # After "--" a query starting with "-" is still the query, as in a shell.
    run = cli.ok("search", "--format", "json", *options, "--", query)
    return [row["id"] for row in json.loads(run.stdout)]


@pytest.mark.parametrize(("query", "expected"), [
    ("US-Iran", {"us_iran", "dash"}),
    ("us iran", {"us_iran", "dash"}),
    ("17%", {"percent"}),
    ("%17", {"percent"}),
    ('"disaster"', {"disaster"}),
    ('"nuclear deal"', {"disaster"}),
    ("COVID-19", {"covid"}),
    ("covid", {"covid"}),
    ("тегеран", {"cyrillic"}),
    ("ТЕГЕРАН", {"cyrillic"}),
    ("Tehrán", {"latin"}),
    ("tehran", {"latin"}),
    ("téhéran", {"accented"}),
    ("TEHERAN", {"accented"}),
    ("ایران", {"persian"}),
    ("غنی‌سازی", {"persian"}),
    ("iran AND russia", {"words"}),
    ("iran OR", {"words"}),
    ("NEAR border", {"words"}),
    ("NOT", set()),
    ('"disaster', {"disaster"}),
    ('disaster"', {"disaster"}),
    ("(disaster", {"disaster"}),
    ("disaster)", {"disaster"}),
    ("deal*", {"disaster"}),
    ("'deal'", {"disaster"}),
    ("col:deal", set()),
    ("^deal", {"disaster"}),
    ("-deal", {"disaster"}),
    ("+deal", {"disaster"}),
])
def test_typed_queries_are_words_never_syntax(
    cli: Cli, corpus: dict[str, int], query: str, expected: set[str]
) -> None:
    assert set(found(cli, query)) == {corpus[name] for name in expected}


@pytest.mark.parametrize("query", ["", "   ", "%", "()", '"', "*", "---", "AND OR NOT"])
def test_queries_without_matches_find_nothing_quietly(
    cli: Cli, corpus: dict[str, int], query: str
) -> None:
    run = cli.ok("search", "--format", "json", "--", query)
    assert json.loads(run.stdout) == []
    assert run.stderr == "no claims match\n"  # one line, no error


def test_query_terms_keep_balanced_phrases_and_drop_stray_quotes() -> None:
    assert query_terms('"nuclear deal" Iran') == ["nuclear deal", "Iran"]
    assert query_terms('"nuclear deal Iran') == ["nuclear", "deal", "Iran"]
    assert query_terms("( ) % US-Iran") == ["US-Iran"]


def test_text_outranks_quote(db: Database, cli: Cli) -> None:
    with db.write() as session:
        store.add_source(session, SOURCE, title="Wire", outlet="Wire")
        in_quote = store.add_claim(session, "A statement about stockpiles and centrifuges.",
                                   source=SOURCE, quote="uranium").claim.id
        in_text = store.add_claim(session, "Iran holds enriched uranium in two places.",
                                  source=SOURCE).claim.id
    assert found(cli, "uranium") == [in_text, in_quote]


def test_table_shows_a_highlighted_snippet_and_tsv_marks_matches(
    cli: Cli, corpus: dict[str, int]
) -> None:
    tsv = cli.ok("search", "disaster", "--format", "tsv").stdout.strip().split("\t")
    assert tsv[0] == str(corpus["disaster"])
    assert "[disaster]" in tsv[-1]
    table = cli.ok("search", "disaster", "--format", "table").stdout
    assert "disaster" in table and "[disaster]" not in table


def test_every_output_format(cli: Cli, corpus: dict[str, int]) -> None:
    rows = json.loads(cli.ok("search", "tehran", "-f", "json").stdout)
    assert rows[0]["id"] == corpus["latin"] and {"score", "snippet", "status"} <= set(rows[0])
    lines = cli.ok("search", "tehran", "-f", "jsonl").stdout.splitlines()
    assert [json.loads(line)["id"] for line in lines] == [r["id"] for r in rows]
    table = list(csv.DictReader(io.StringIO(cli.ok("search", "tehran", "-f", "csv").stdout)))
    assert [int(r["id"]) for r in table] == [r["id"] for r in rows]


def test_filters_of_list_apply(db: Database, cli: Cli, corpus: dict[str, int]) -> None:
    with db.write() as session:
        other = store.add_claim(session, "Tehran talks stalled.", source="wire-2",
                                status="false", tags=["talks"]).claim.id
    assert set(found(cli, "tehran")) == {corpus["latin"], other}
    assert found(cli, "tehran", "--source", "wire-2") == [other]
    assert found(cli, "tehran", "--status", "false") == [other]
    assert found(cli, "tehran", "--tag", "talks") == [other]
    assert found(cli, "tehran", "--source", SOURCE) == [corpus["latin"]]
    assert len(found(cli, "tehran", "--limit", "1")) == 1


def test_unknown_filter_value_is_one_line_error(cli: Cli, corpus: dict[str, int]) -> None:
    run = cli("search", "tehran", "--source", "nope")
    assert run.exit_code == 1 and run.stderr.startswith("Error: no source") and run.stdout == ""


@pytest.mark.parametrize(("query", "expected"), [
    ("nucl*", {"disaster"}),
    ("iran NOT russia", {"persian_free"}),
    ("(russia OR disaster) AND china", {"words"}),
    ('"nuclear deal"', {"disaster"}),
    ("NEAR(iran border, 10)", {"words"}),
])
def test_raw_passes_fts5_syntax(
    cli: Cli, corpus: dict[str, int], query: str, expected: set[str]
) -> None:
    ids = set(found(cli, query, "--raw"))
    if expected == {"persian_free"}:
        assert corpus["us_iran"] in ids and corpus["words"] not in ids
    else:
        assert ids == {corpus[name] for name in expected}


@pytest.mark.parametrize("query", ["iran AND", "(iran", 'iran "deal', "OR iran", "iran )"])
def test_raw_malformed_is_one_clear_line(cli: Cli, corpus: dict[str, int], query: str) -> None:
    run = cli("search", "--raw", "--", query)
    assert run.exit_code == 1
    assert run.stdout == ""
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: malformed search expression")


def test_index_follows_edit_and_delete(db: Database, cli: Cli, corpus: dict[str, int]) -> None:
    target = corpus["disaster"]
    cli.ok("edit", str(target), "--text", "Trump called the accord a catastrophe.",
           "--quote", "worst deal ever")
    assert found(cli, "disaster") == []
    assert found(cli, "catastrophe") == [target]
    assert found(cli, "worst") == [target]
    cli.ok("status", str(target), "false")
    assert found(cli, "catastrophe") == [target]
    cli.ok("delete", str(target), "--yes")
    assert found(cli, "catastrophe") == []
    assert found(cli, "worst") == []


def insert_with_core(conn: Connection, source_id: int, texts: list[str]) -> None:
    """Claims written the way a bulk import does: Core inserts, no ORM, no library."""
    from claims.schema.models import Claim, StatusEvent
    from claims.schema.tables import utcnow

    now = utcnow()
    for text in texts:
        claim_id = conn.execute(Claim.__table__.insert().values(
            text=text, source_id=source_id, created_at=now, updated_at=now)
        ).inserted_primary_key[0]
        event_id = conn.execute(StatusEvent.__table__.insert().values(
            claim_id=claim_id, to_status="unverified", at=now)).inserted_primary_key[0]
        conn.execute(Claim.__table__.update().where(Claim.id == claim_id)
                     .values(status_event_id=event_id))


def test_bulk_core_inserts_are_indexed(db: Database, cli: Cli, corpus: dict[str, int]) -> None:
    with db.write() as session:
        source_id = get_source(session, SOURCE).id
        insert_with_core(session.connection(), source_id,
                         [f"Bulk claim number {n} about zirconium." for n in range(3)])
    assert len(found(cli, "zirconium")) == 3


def _fts_objects(url: str) -> set[str]:
    engine = make_engine(resolve_url(url))
    try:
        inspector = inspect(engine)
        if engine.dialect.name == "sqlite":
            with engine.connect() as conn:
                rows = conn.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE name LIKE 'claims_fts%'").all()
            return {row[0] for row in rows}
        columns = {c["name"] for c in inspector.get_columns("claims")}
        return {"search_vector"} & columns
    finally:
        engine.dispose()


def test_migration_backfills_existing_claims_and_downgrade_removes_index(
    blank_db_url: str,
) -> None:
    from claims.schema.models import Source
    from claims.schema.tables import utcnow

    engine = make_engine(resolve_url(blank_db_url))
    try:
        migrate(engine, "0001")
        with engine.begin() as conn:
            conn.execute(Source.__table__.insert(), {"key": "old", "title": "Old", "outlet": "O",
                                                    "kind": "article", "created_at": utcnow()})
            insert_with_core(conn, 1, ["Тегеран и Вашингтон", "Older claim about Téhéran."])
        assert _fts_objects(blank_db_url) == set()
        migrate(engine, "head")
        assert _fts_objects(blank_db_url)
        cli = Cli(blank_db_url)
        assert found(cli, "тегеран") == [1]
        assert found(cli, "teheran") == [2]
        migrate(engine, "0001")
        assert _fts_objects(blank_db_url) == set()
        migrate(engine, "head")
        assert found(cli, "older") == [2]
    finally:
        engine.dispose()


def test_library_search_is_one_import(db_url: str, corpus: dict[str, int]) -> None:
    from claims.search.ranking import search_claims

    database = claims.open_database(db_url)
    with database.read() as session:
        hits = search_claims(session, "US-Iran", claims.ClaimFilter(limit=1), marks=("<", ">"))
    database.close()
    assert len(hits) == 1 and "<" in hits[0]["snippet"]
