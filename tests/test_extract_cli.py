"""``claims extract`` through the CLI on both engines: output, the JSONL round trip into
``claims import``, --add and --review with the duplicate check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Cli, snapshot

STORY = Path(__file__).parent / "fixtures" / "extract" / "story.txt"
SOURCE = "menafn-putin-iran-treaty"


@pytest.fixture
def story_source(seeded: Cli) -> str:
    seeded.ok("source", "add", "wire-lavrov", "--outlet", "Wire", "--title", "Lavrov hails treaty")
    return "wire-lavrov"


def proposals(cli: Cli, *args: str) -> list[dict[str, object]]:
    return json.loads(cli.ok("extract", str(STORY), "--format", "json", *args).stdout)


def test_proposes_the_story_claims_with_known_speakers(seeded: Cli) -> None:
    found = proposals(seeded)

    def starting(prefix: str) -> dict[str, object]:
        return next(p for p in found if str(p["text"]).startswith(prefix))

    assert len(found) == 7
    first = starting("Russian Foreign Minister")
    assert first["speaker"] == "Sergey Lavrov" and first["kind"] == "attributed"
    assert first["about"] == ["Iran"]  # a demonym ("Russian") names no entity
    quote = starting("“Our cooperation")
    assert quote["quote"] == "Our cooperation with Tehran will only grow stronger"
    assert quote["kind"] == "quote" and quote["speaker"] == "Sergey Lavrov"
    assert starting("He said the Bushehr")["speaker"] == "Sergey Lavrov"
    assert starting("Iran's foreign ministry")["speaker"] == "Iran"
    assert starting("Washington has accused")["speaker"] == "United States"
    assert starting("A charge the Kremlin denies")["speaker"] == "Kremlin"
    assert starting("Units 2 and 3")["speaker"] == "Rosatom"
    texts = " ".join(str(p["text"]) for p in found)
    for junk in ("hail treaty", "By Test Desk", "What comes next", "Photo:", "newsletter"):
        assert junk not in texts
    story = STORY.read_text()
    for p in found:
        start, end = p["span"]  # type: ignore[misc]
        assert str(p["text"])[1:] in story[start:end]


def test_speakers_resolve_through_persian_and_cyrillic_aliases(seeded: Cli, tmp_path: Path) -> None:
    path = tmp_path / "aliases.txt"
    path.write_text("Сергей Лавров said the treaty would take effect within weeks.\n"
                    "مسعود پزشکیان said Iran would honour every commitment.\n", encoding="utf-8")
    found = json.loads(seeded.ok("extract", str(path), "--format", "json").stdout)
    assert [p["speaker"] for p in found] == ["Sergey Lavrov", "Masoud Pezeshkian"]


def test_jsonl_imports_as_it_stands(seeded: Cli, story_source: str) -> None:
    lines = seeded.ok("extract", str(STORY), "--format", "jsonl", "--source", story_source,
                      "--said-on", "2025-04-22").stdout
    records = [json.loads(line) for line in lines.splitlines()]
    assert all(r["type"] == "claim" and r["source"] == story_source for r in records)
    run = seeded.ok("import", "-", "--format", "jsonl", input=lines)
    assert "7 created" in run.stderr or "created" in run.stderr
    stored = json.loads(seeded.ok("list", "--source", story_source, "--format", "json").stdout)
    assert len(stored) == len(records) == 7
    lavrov = [c for c in stored if c["speaker"] == "Sergey Lavrov"]
    assert len(lavrov) == 3 and all(c["said_on"] == "2025-04-22" for c in stored)
    # Importing the same proposals again changes nothing.
    before = snapshot(seeded.url)
    seeded.ok("import", "-", "--format", "jsonl", input=lines)
    assert snapshot(seeded.url) == before


def test_add_records_them_and_a_second_run_finds_them_duplicates(seeded: Cli,
                                                                   story_source: str) -> None:
    run = seeded.ok("extract", str(STORY), "--source", story_source, "--add", "--tag", "extracted")
    ids = [int(line) for line in run.stdout.split()]
    assert len(ids) == 7 and "added 7 claims, skipped 0 duplicates" in run.stderr
    assert "new entities: Kremlin" in run.stderr
    shown = json.loads(seeded.ok("show", str(ids[1]), "--format", "json").stdout)
    assert shown["quote"] == "Our cooperation with Tehran will only grow stronger"
    assert shown["tags"] == ["extracted"]
    marked = proposals(seeded, "--source", story_source)
    assert sorted(p["duplicate_of"] for p in marked) == sorted(ids)  # type: ignore[type-var]
    again = seeded.ok("extract", str(STORY), "--source", story_source, "--add")
    assert again.stdout == "" and "added 0 claims, skipped 7 duplicates" in again.stderr


def test_a_claim_already_in_the_source_is_flagged(seeded: Cli, tmp_path: Path) -> None:
    path = tmp_path / "seed-sentence.txt"
    path.write_text("Bushehr's first unit became operational in 2011.\n")
    found = proposals_of(seeded, path, "--source", SOURCE)
    assert found[0]["duplicate_of"] is not None


def proposals_of(cli: Cli, path: Path, *args: str) -> list[dict[str, object]]:
    return json.loads(cli.ok("extract", str(path), "--format", "json", *args).stdout)


def test_review_accepts_edits_skips_and_quits(seeded: Cli, story_source: str) -> None:
    answers = "\n".join([
        "a",                                   # 1: accept
        "t", "Lavrov called the partnership unbreakable.", "a",   # 2: edit text, accept
        "k",                                   # 3: skip
        "s", "Masoud Pezeshkian", "a",         # 4: edit speaker, accept
        "q",                                   # 5: quit
    ]) + "\n"
    run = seeded("extract", str(STORY), "--source", story_source, "--review", input=answers)
    assert run.exit_code == 0, run.stderr
    assert "[1/7] attributed" in run.stderr
    stored = json.loads(seeded.ok("list", "--source", story_source, "--format", "json").stdout)
    assert len(stored) == 3
    texts = {c["text"]: c["speaker"] for c in stored}
    assert texts["Lavrov called the partnership unbreakable."] == "Sergey Lavrov"
    assert texts["Iran's foreign ministry spokesman said the agreement was not aimed at any "
                 "third country."] == "Masoud Pezeshkian"


def test_csv_has_a_header_and_a_row_per_candidate(seeded: Cli) -> None:
    lines = seeded.ok("extract", str(STORY), "--format", "csv").stdout.splitlines()
    assert lines[0].startswith("n,type,text,quote,speaker,about") and len(lines) == 8


def test_review_and_add_need_a_source(seeded: Cli) -> None:
    for flag in ("--add", "--review"):
        run = seeded("extract", str(STORY), flag)
        assert run.exit_code == 2 and "--source" in run.stderr


def test_unknown_source_is_one_line_and_a_bad_date_a_usage_error(seeded: Cli) -> None:
    run = seeded("extract", str(STORY), "--source", "no-such-source")
    assert run.exit_code == 1
    assert run.stderr.count("\n") == 1 and run.stderr.startswith("Error: ")
    run = seeded("extract", str(STORY), "--said-on", "April")
    assert run.exit_code == 2 and "'April' is not a date (" in run.stderr
