"""Duplicate and near-duplicate claims: refused from the same source, flagged from another,
similar ones warned about; the same rules for a Python caller of store.add_claim."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claims.database.engine import Database
from claims.errors import ConflictError
from claims.parse import normalise_text as normalise
from claims.writes import store
from tests.conftest import Cli, snapshot

ORIGINAL = "Iran has enriched uranium to 60% purity at Fordow."


@pytest.fixture
def first(db: Database) -> int:
    with db.write() as session:
        store.add_source(session, "wire-1", title="Wire", outlet="Wire")
        store.add_source(session, "wire-2", title="Other wire", outlet="Other")
        store.add_claim(session, "Russia signed a treaty with Iran.", source="wire-1")
        return store.add_claim(session, ORIGINAL, source="wire-1").claim.id


def test_normalise_ignores_case_whitespace_and_punctuation() -> None:
    assert normalise("  IRAN has enriched\turanium -- to 60% purity at Fordow!! ") == \
        normalise(ORIGINAL)
    assert normalise("Iran has enriched uranium to 90% purity at Fordow.") != normalise(ORIGINAL)


@pytest.mark.parametrize("variant", [
    ORIGINAL, "iran has ENRICHED uranium to 60 % purity at Fordow", "Iran has enriched uranium, "
    "to 60% purity, at  Fordow", "“Iran has enriched uranium to 60% purity at Fordow”",
])
def test_same_text_from_same_source_is_refused_naming_it(
    cli: Cli, first: int, variant: str
) -> None:
    before = snapshot(cli.url)
    run = cli("add", variant, "--source", "wire-1")
    assert run.exit_code == 1
    assert run.stdout == ""
    assert run.stderr.startswith(f"Error: claim {first} from source 'wire-1' already says this")
    assert "--force" in run.stderr and len(run.stderr.strip().splitlines()) == 1
    assert snapshot(cli.url) == before


def test_force_adds_it_anyway_and_still_says_so(cli: Cli, first: int) -> None:
    run = cli.ok("add", ORIGINAL, "--source", "wire-1", "--force")
    new_id = int(run.stdout)
    assert new_id != first
    assert f"claim {first} from the same source" in run.stderr


def test_same_text_from_another_source_is_added_with_a_repeats_hint(
    cli: Cli, first: int
) -> None:
    run = cli.ok("add", ORIGINAL.upper(), "--source", "wire-2")
    new_id = int(run.stdout)
    assert f"claim {first} says the same" in run.stderr
    assert f"claims link {new_id} repeats {first}" in run.stderr
    cli.ok("link", str(new_id), "repeats", str(first))


def test_similar_text_is_added_with_ids_and_scores(cli: Cli, first: int) -> None:
    run = cli.ok("add", "Iran has enriched uranium to 60% purity at Fordow, officials say.",
                 "--source", "wire-1")
    new_id = int(run.stdout)
    warning = run.stderr.strip()
    assert warning.startswith("Warning: similar claims") and f"{first} (" in warning
    assert f"claims similar {new_id}" in warning


def test_unrelated_text_adds_silently(cli: Cli, first: int) -> None:
    run = cli.ok("add", "Bushehr's first unit began operating in 2011.", "--source", "wire-1")
    assert run.stderr == ""


def test_library_caller_gets_the_same_rules(db: Database, first: int) -> None:
    with pytest.raises(ConflictError, match=f"claim {first} from source 'wire-1'"), \
            db.write() as session:
        store.add_claim(session, ORIGINAL.lower(), source="wire-1")
    with db.write() as session:
        result = store.add_claim(session, ORIGINAL.lower(), source="wire-1", force=True)
        other = store.add_claim(session, ORIGINAL, source="wire-2")
    assert any(str(first) in w for w in result.warnings)
    assert any(f"claims link {other.claim.id} repeats {first}" in w for w in other.warnings)


def test_similar_lists_candidates_best_first(cli: Cli, first: int) -> None:
    near = int(cli.ok("add", "Iran enriched uranium to 60% purity at Fordow, IAEA says.",
                      "--source", "wire-2").stdout)
    same = int(cli.ok("add", ORIGINAL, "--source", "wire-2").stdout)
    rows = json.loads(cli.ok("similar", str(first), "--format", "json").stdout)
    assert [r["id"] for r in rows] == [same, near]
    assert rows[0]["score"] == 100 and rows[0]["same_text"] is True
    assert rows[0]["score"] >= rows[1]["score"] >= 80
    assert first not in [r["id"] for r in rows]
    strict = json.loads(cli.ok("similar", str(first), "--min-score", "100", "-f", "json").stdout)
    assert [r["id"] for r in strict] == [same]


def test_similar_unknown_claim_is_one_line_error(cli: Cli, first: int) -> None:
    run = cli("similar", "999")
    assert run.exit_code == 1 and run.stderr.startswith("Error: no claim with id 999")


def test_every_writer_keeps_the_text_hash(cli: Cli, first: int, tmp_path: Path) -> None:
    """add, edit and import all store the hash that duplicate checks and import matching
    look claims up by; a stale one would let the same text in twice."""
    from sqlalchemy import text

    from claims.database.engine import make_engine, resolve_url
    from claims.parse import text_hash

    cli.ok("edit", str(first), "--text", "Iran enriched uranium to 90% at Fordow.")
    path = tmp_path / "more.jsonl"
    path.write_text(json.dumps({"type": "claim", "text": "Imported: a new claim.",
                                "source": "wire-2"}) + "\n", encoding="utf-8")
    cli.ok("import", str(path))
    engine = make_engine(resolve_url(cli.url))
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT text, text_hash FROM claims")).all()
    engine.dispose()
    assert len(rows) == 3
    assert all(stored == text_hash(claim_text) for claim_text, stored in rows)
    # The edited text is now the one a same-source duplicate is refused against.
    refused = cli("add", "IRAN enriched uranium -- to 90% at Fordow", "--source", "wire-1")
    assert refused.exit_code == 1 and f"claim {first} " in refused.stderr


def test_near_duplicates_are_looked_up_by_the_rare_words(db: Database) -> None:
    """A common word would make the candidate lookup read most of the database; the
    lookup keeps to the words few claims hold, and to pairs of common words that few
    claims hold together, and a near-duplicate is still found among many claims sharing
    the common words."""
    from claims.reads.duplicates import CandidateKeys, candidate_words, similar_to_text

    with db.write() as session:
        store.add_source(session, "desk", title="Desk", outlet="Desk")
        for n in range(12):
            store.add_claim(session, f"Officials in Tehran commented on construction item {n}",
                            source="desk")
        near = store.add_claim(session, "Rosatom will finish Bushehr unit two by 2030",
                               source="desk").claim.id
    text = "Rosatom will finish Bushehr unit two by 2030, officials in Tehran said"
    with db.connect() as conn:
        rare = candidate_words(conn, normalise(text), cap=5)
        common = candidate_words(conn, normalise("Officials in Tehran commented"), cap=5)
    with db.read() as session:
        found = similar_to_text(session, text)
    assert rare == CandidateKeys(["2030", "bushehr", "by", "finish", "rosatom", "two",
                                  "unit", "will"], [])
    # Every pair of these common words is in all twelve claims: none is rare.
    assert common == CandidateKeys([], [])
    assert [s.claim_id for s in found] == [near]
