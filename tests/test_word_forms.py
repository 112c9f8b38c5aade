"""Search finds other forms of a word (revision 0008), exact forms first, on both engines."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import inspect, text

from claims.database.engine import current_revision, make_engine, resolve_url
from claims.database.migrate import migrate
from tests.conftest import Cli

TEXTS = [
    "Officials say vaccines reached Tehran.",           # 1
    "The vaccinated share rose in March.",              # 2
    "A vaccine arrived at the border.",                 # 3
    "Iran enriched uranium to 60% at Fordow.",          # 4
    "Iran will enrich uranium further.",                # 5
    "Tehrán denied the nuclear deals.",                 # 6
    "Тегеран заявил о новых санкциях.",  # noqa: RUF001  (7)
    "ایران اعلام کرد",                                  # 8
    "The nuclear programme deal was signed.",           # 9
]


@pytest.fixture
def forms(cli: Cli) -> Cli:
    cli.ok("source", "add", "desk", "--outlet", "Desk", "--title", "Desk")
    for claim_text in TEXTS:
        cli.ok("add", claim_text, "--source", "desk")
    return cli


def found(cli: Cli, query: str) -> list[int]:
    return [r["id"] for r in json.loads(cli.ok("search", query, "--format", "json").stdout)]


def test_a_word_finds_its_forms_exact_form_first(forms: Cli) -> None:
    vaccine = found(forms, "vaccine")
    assert set(vaccine) == {1, 2, 3}
    assert vaccine[0] == 3
    vaccines = found(forms, "vaccines")
    assert set(vaccines) == {1, 2, 3} and vaccines[0] == 1
    enrich = found(forms, "enrich")
    assert enrich == [5, 4]
    assert found(forms, "enriched") == [4, 5]


def test_accents_scripts_and_phrases_still_work(forms: Cli) -> None:
    assert found(forms, "tehran")[:2] in ([1, 6], [6, 1])
    assert found(forms, "TEHRAN") == found(forms, "tehran")
    assert found(forms, "ТЕГЕРАН") == [7]
    assert found(forms, "ایران") == [8]
    # A phrase is still a phrase (of word forms): "nuclear deal" is not "nuclear programme deal".
    assert found(forms, '"nuclear deal"') == [6]
    assert set(found(forms, "nuclear deal")) == {6, 9}


def test_snippets_mark_the_form_found(forms: Cli) -> None:
    rows = json.loads(forms.ok("search", "vaccine", "--format", "json").stdout)
    snippets = {r["id"]: r["snippet"] for r in rows}
    assert "[vaccinated]" in snippets[2] and "[vaccines]" in snippets[1]


def test_edits_and_deletes_keep_the_stemmed_index(forms: Cli) -> None:
    forms.ok("edit", "3", "--text", "A shipment of insulin arrived.")
    assert 3 not in found(forms, "vaccine")
    assert found(forms, "shipments") == [3]


# --- revision 0008 ------------------------------------------------------------------------


def stem_objects(url: str) -> set[str]:
    engine = make_engine(resolve_url(url))
    try:
        if engine.dialect.name == "sqlite":
            with engine.connect() as conn:
                return {name for (name,) in conn.execute(text(
                    "SELECT name FROM sqlite_master WHERE name LIKE 'claims_fts_stem%'"))}
        return {c["name"] for c in inspect(engine).get_columns("claims")
                if c["name"] == "search_vector_stem"}
    finally:
        engine.dispose()


def test_0008_indexes_claims_stored_before_it_and_downgrades_cleanly(db_url: str) -> None:
    engine = make_engine(resolve_url(db_url))
    migrate(engine, "0003")
    assert stem_objects(db_url) == set()
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO sources (id, key, title, outlet, kind, created_at) "
                          "VALUES (1, 'old', 'Old', 'Old', 'article', '2025-01-01 00:00:00')"))
        for i, claim_text in enumerate(TEXTS[:3], start=1):
            conn.execute(text("INSERT INTO claims (id, text, source_id, created_at, updated_at)"
                              " VALUES (:id, :text, 1, '2025-01-01', '2025-01-01')"),
                         {"id": i, "text": claim_text})
            conn.execute(text("INSERT INTO status_history (id, claim_id, to_status, at) "
                              "VALUES (:id, :id, 'unverified', '2025-01-01')"), {"id": i})
            conn.execute(text("UPDATE claims SET status_event_id = :id WHERE id = :id"),
                         {"id": i})
    engine.dispose()

    cli = Cli(db_url)
    assert set(found(cli, "vaccine")) == {1, 2, 3}
    assert found(cli, "vaccine")[0] == 3
    assert stem_objects(db_url)

    engine = make_engine(resolve_url(db_url))
    migrate(engine, "0003")
    assert current_revision(engine) == "0003"
    engine.dispose()
    assert stem_objects(db_url) == set()
    again = found(cli, "vaccinated")  # upgraded again on open, index rebuilt
    assert again[0] == 2 and set(again) == {1, 2, 3}


@pytest.mark.parametrize("size", [1, 2])
def test_pages_cross_from_exact_forms_to_other_forms(forms: Cli, size: int) -> None:
    """Exact matches and other forms come from two queries; pages still tile the list."""
    import claims
    from claims.reads.query import ClaimFilter
    from claims.search.ranking import search_claims

    database = claims.open_database(forms.url)
    try:
        with database.connect() as conn:
            whole = [r["id"] for r in search_claims(conn, "vaccine")]
            pages = [r["id"] for offset in range(0, len(whole) + size, size)
                     for r in search_claims(conn, "vaccine",
                                            ClaimFilter(limit=size, offset=offset))]
            narrowed = search_claims(conn, "vaccine", ClaimFilter(limit=5, statuses=["false"]))
    finally:
        database.close()
    assert whole == found(forms, "vaccine") and len(whole) == 3
    assert pages == whole
    assert narrowed == []
