"""Chinese, Japanese and Korean found by their characters (issue 17, revision 0011), on both
engines, with the other scripts, accents and phrases as before."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from claims.database.engine import Database, current_revision, make_engine, resolve_url
from claims.database.migrate import migrate
from claims.search.ranking import search_claims
from claims.writes import store
from tests.conftest import Cli

TEXTS = {
    "zh": "伊朗核计划引发争议。",
    "ja": "イランの核開発が進む",
    "ko": "이란의 핵 프로그램",
    "mixed": "Tehran says the 核计划 talks resume in Muscat.",
    "accented": "Le porte-parole a parlé à Téhéran.",
    "cyrillic": "Тегеран отверг обвинения.",
    "persian": "ایران به غنی‌سازی اورانیوم ادامه می‌دهد.",
    "phrase": "The nuclear programme deal was signed.",
}


@pytest.fixture
def corpus(cli: Cli) -> dict[str, int]:
    cli.ok("source", "add", "desk", "--outlet", "Desk", "--title", "Desk")
    return {name: int(cli.ok("add", claim_text, "--source", "desk").stdout.split()[0])
            for name, claim_text in TEXTS.items()}


def found(cli: Cli, query: str) -> set[int]:
    run = cli.ok("search", "--format", "json", "--", query)
    return {row["id"] for row in json.loads(run.stdout)}


@pytest.mark.parametrize(("query", "expected"), [
    ("核计划", {"zh", "mixed"}),
    ("伊朗", {"zh"}),
    ("伊朗核计划", {"zh"}),
    ("计划 伊朗", {"zh"}),
    ("核", {"zh", "ja", "mixed"}),
    ("核開発", {"ja"}),
    ("イラン", {"ja"}),
    ("이란", {"ko"}),
    ("美国", set()),
    ("核计划 muscat", {"mixed"}),
    ('"talks resume"', {"mixed"}),
    ('"resume talks"', set()),
    ('"nuclear programme"', {"phrase"}),
    ("téhéran", {"accented"}),
    ("TEHERAN", {"accented"}),
    ("тегеран", {"cyrillic"}),
    ("ایران", {"persian"}),
])
def test_every_script_is_found(cli: Cli, corpus: dict[str, int], query: str,
                               expected: set[str]) -> None:
    assert found(cli, query) == {corpus[name] for name in expected}


HAN = "伊朗核计划引发争议美国制裁谈判协议"


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=HAN, min_size=2, max_size=12), st.data())
def test_any_run_of_characters_finds_the_claim(db: Database, run: str,
                                               data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(run) - 1))
    piece = run[start:data.draw(st.integers(start + 1, len(run)))]
    with db.write() as session:
        if not session.scalar(text("SELECT count(*) FROM sources WHERE key = 'desk'")):
            store.add_source(session, "desk", title="Desk", outlet="Desk")
        claim_id = store.add_claim(session, f"据报道{run}。", source="desk", force=True).claim.id
    with db.connect() as conn:
        assert claim_id in [r["id"] for r in search_claims(conn, piece)]


def test_0011_refolds_stored_claims_and_downgrades(db_url: str) -> None:
    engine = make_engine(resolve_url(db_url))
    migrate(engine, "0007")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO sources (id, key, title, outlet, kind, created_at) "
                          "VALUES (1, 'old', 'Old', 'Old', 'article', '2025-01-01 00:00:00')"))
        conn.execute(text("INSERT INTO claims (id, text, source_id, created_at, updated_at, "
                          "text_copy) VALUES (1, :t, 1, '2025-01-01', '2025-01-01', 0)"),
                     {"t": TEXTS["zh"]})
        conn.execute(text("INSERT INTO status_history (id, claim_id, to_status, at) "
                          "VALUES (1, 1, 'unverified', '2025-01-01')"))
        conn.execute(text("UPDATE claims SET status_event_id = 1 WHERE id = 1"))
    engine.dispose()

    cli = Cli(db_url)  # opening upgrades to the head
    assert found(cli, "核计划") == {1}
    assert found(cli, "争议") == {1}

    engine = make_engine(resolve_url(db_url))
    try:
        migrate(engine, "0007")
        assert current_revision(engine) == "0007"
        if engine.dialect.name == "postgresql":
            with engine.connect() as conn:  # the fold of 0002 again: a run is one word
                folded = conn.execute(text("SELECT claims_fold('伊朗核计划')")).scalar_one()
            assert folded == "伊朗核计划"
    finally:
        engine.dispose()
    assert found(cli, "核计划") == {1}  # upgraded again on open


def test_the_revision_spaces_out_the_ranges_the_library_looks_up() -> None:
    import importlib.util
    from pathlib import Path

    from claims.schema.cjk import CJK_RANGES

    path = Path(__file__).parents[1] / "migrations" / "versions" / "0011_cjk_search.py"
    spec = importlib.util.spec_from_file_location("revision_0011", path)
    assert spec is not None and spec.loader is not None
    revision = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(revision)

    def escape(code: int) -> str:
        return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"

    ranges = "".join(f"{escape(low)}-{escape(high)}" for low, high in CJK_RANGES)
    assert f"[{ranges}]" == revision.CJK_CLASS
