"""claims stats, claims report, and the track records of entity/source show."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Cli

STATUSES = ["true", "mostly-true", "half-true", "mostly-false", "false", "unverified",
            "disputed", "unproven", "retracted", "outdated"]


def stats(cli: Cli, *args: str) -> list[dict[str, object]]:
    return json.loads(cli.ok("stats", *args, "--format", "json").stdout)


def test_stats_by_speaker_counts_each_status_and_the_false_share(seeded: Cli) -> None:
    seeded.ok("status", "6", "false")
    seeded.ok("status", "12", "mostly-false")
    seeded.ok("status", "5", "true")  # no speaker: the "(none)" group
    rows = {r["group"]: r for r in stats(seeded, "--by", "speaker")}
    trump = rows["Donald Trump"]
    assert trump["claims"] == 2 and trump["false"] == 1 and trump["mostly-false"] == 1
    assert trump["verdicts"] == 2 and trump["false_share"] == 1.0
    assert rows["Iran"]["false_share"] is None  # no verdicts
    assert list(trump)[2:12] == STATUSES  # scale order
    assert sum(r["claims"] for r in rows.values()) == 20  # (none) included


def test_stats_by_status_is_in_scale_order_and_by_month_in_date_order(seeded: Cli) -> None:
    groups = [r["group"] for r in stats(seeded, "--by", "status")]
    assert groups == [s for s in STATUSES if s in groups]
    months = [r["group"] for r in stats(seeded, "--by", "month")]
    assert months == ["2025-04", "(none)"]


def test_stats_take_the_list_filters_and_a_claim_counts_for_each_entity(seeded: Cli) -> None:
    rows = {r["group"]: r["claims"] for r in stats(seeded, "--by", "entity", "--tag", "bushehr")}
    listed = json.loads(seeded.ok("list", "--tag", "bushehr", "--format", "json").stdout)
    expected: dict[str, int] = {}
    for claim in listed:
        for name in claim["about"]:
            expected[name] = expected.get(name, 0) + 1
    assert rows == expected


def test_stats_of_nothing_say_so(seeded: Cli) -> None:
    run = seeded.ok("stats", "--status", "retracted", "--format", "json")
    assert json.loads(run.stdout) == [] and run.stderr == "no claims match\n"


def test_entity_and_source_show_carry_the_track_record(seeded: Cli) -> None:
    entity = json.loads(seeded.ok("entity", "show", "Trump", "--format", "json").stdout)
    assert entity["track_record"]["claims"] == 2
    assert entity["track_record"]["disputed"] == entity["record"]["disputed"] == 1
    source = json.loads(seeded.ok("source", "show", "menafn-putin-iran-treaty",
                                  "--format", "json").stdout)
    assert source["track_record"]["claims"] == len(source["claims"])


def test_report_markdown_groups_claims_by_status_with_conflicts_and_records(
        seeded: Cli) -> None:
    seeded.ok("edit", "7", "--quote", "a | pipe and *stars* <b>")
    text = seeded.ok("report", "--entity", "Iran").stdout
    assert text.startswith("# Claims report\n")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings[:3] == ["## true (rating 5): 2", "## unverified: 8", "## disputed: 2"]
    assert "## Contradicting claims" in text and "| yes | 7. Iran denies" in text
    assert "## Track records of the speakers" in text and "| Donald Trump | 2 |" in text
    assert r"> a \| pipe and \*stars\* \<b\>" in text  # escaped for Markdown
    assert "- **Source:** `menafn-putin-iran-treaty`" in text


def test_report_html_is_one_escaped_self_contained_file(seeded: Cli, tmp_path: Path) -> None:
    seeded.ok("edit", "7", "--quote", "<script>alert(1)</script>")
    out = tmp_path / "iran.html"
    run = seeded.ok("report", "--entity", "Iran", "--format", "html", "-o", str(out),
                    "--title", "Iran & us")
    assert run.stdout == "" and run.stderr == f"Wrote {out}\n"
    html = out.read_text()
    assert html.startswith("<!DOCTYPE html>") and "<title>Iran &amp; us</title>" in html
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<link" not in html and "src=" not in html  # nothing fetched
    assert html.count("<article") == 12


@pytest.mark.parametrize("args", [["--by", "nothing"], ["--since", "2025-02-30"]])
def test_stats_usage_errors(seeded: Cli, args: list[str]) -> None:
    assert seeded("stats", *args).exit_code == 2
