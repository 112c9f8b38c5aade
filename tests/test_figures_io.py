"""Figures, measures and due dates through export and import, both engines."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.conftest import Cli, snapshot
from tests.test_figures import PROGRESS, SEEDED_17, progress_measure


def test_jsonl_round_trip_keeps_figures_measures_and_due_dates(
        seeded: Cli, tmp_path: Path, db_url: str) -> None:
    progress_measure(seeded)
    seeded.ok("figure", "add", SEEDED_17, "17%", "--measure", PROGRESS)
    seeded.ok("edit", SEEDED_17, "--due", "2024-10-31")
    exported = seeded.ok("export", "--format", "jsonl").stdout
    records = [json.loads(line) for line in exported.splitlines()]
    (measure,) = [r for r in records if r["type"] == "measure"]
    assert measure == {"type": "measure", "name": PROGRESS,
                       "entity": "Bushehr nuclear power plant", "unit": "%",
                       "only_grows": True, "tolerance": 5.0, "description": None,
                       "aliases": ["Bushehr units 2-3 construction progress",
                                   "پیشرفت واحدهای ۲ و ۳ بوشهر"]}
    claim = next(r for r in records if r.get("external_id") == "seed:bushehr-units-2-3-progress")
    assert claim["due"] == "2024-10-31"
    assert claim["figures"] == [{"measure": PROGRESS, "entity": "Bushehr nuclear power plant",
                                 "value": 17.0, "unit": "%", "qualifier": None, "lower": None,
                                 "upper": None, "as_of": "2025-04-21", "written": "17%"}]
    path = tmp_path / "all.jsonl"
    path.write_text(exported, encoding="utf-8")
    target = Cli(str(tmp_path / "copy.db"))
    target.ok("import", str(path))
    assert target.ok("export", "--format", "jsonl").stdout == exported
    before = snapshot(target.url)
    target.ok("import", str(path))  # again: nothing new
    assert snapshot(target.url) == before


def test_csv_export_has_due_and_figures_and_csv_import_reads_them(
        seeded: Cli, tmp_path: Path) -> None:
    progress_measure(seeded)
    seeded.ok("figure", "add", SEEDED_17, "17%", "--measure", PROGRESS)
    seeded.ok("edit", SEEDED_17, "--due", "2026")
    rows = list(csv.DictReader(io.StringIO(seeded.ok("export", "--format", "csv").stdout)))
    row = next(r for r in rows if r["id"] == SEEDED_17)
    assert (row["due"], row["figures"]) == ("2026-12-31", f"{PROGRESS}: 17%")
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("claim,pct,series,deadline\n"
                     "Units 2 and 3 are 30% complete.,30%,Bushehr 2-3 progress,October 2024\n",
                     encoding="utf-8")
    seeded.ok("import", str(sheet), "--source", "menafn-putin-iran-treaty", "--map",
              "claim=text", "--map", "pct=figure", "--map", "series=measure",
              "--map", "deadline=due")
    figures = json.loads(seeded.ok("figure", "list", "--format", "json").stdout)
    assert sorted(f["written"] for f in figures) == ["17%", "30%"]
    due = json.loads(seeded.ok("due", "--all", "--format", "json").stdout)
    assert [d["due"] for d in due] == ["2024-10-31", "2026-12-31"]


def test_a_record_with_a_bad_figure_stops_the_import_or_is_rejected(
        seeded: Cli, tmp_path: Path) -> None:
    progress_measure(seeded)
    lines = [
        {"text": "Good one.", "source": "menafn-putin-iran-treaty",
         "figures": [{"measure": PROGRESS, "written": "20%"}]},
        {"text": "Wrong unit.", "source": "menafn-putin-iran-treaty",
         "figures": [{"measure": PROGRESS, "written": "20 MW"}]},
        {"text": "Bad date.", "source": "menafn-putin-iran-treaty", "due": "whenever"},
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    before = snapshot(seeded.url)
    stopped = seeded("import", str(path))
    assert stopped.exit_code == 1 and "nothing was imported" in stopped.stderr
    assert snapshot(seeded.url) == before
    rejects = tmp_path / "rejects.jsonl"
    skipped = seeded("import", str(path), "--skip-invalid", "--rejects", str(rejects))
    assert skipped.exit_code == 0
    assert "1 created" in skipped.stderr and "2 rejected" in skipped.stderr
    reasons = {r["line"]: r["reason"] for r in map(json.loads, rejects.read_text().splitlines())}
    assert "a figure in MW cannot be a value of" in reasons[2]
    assert "cannot read due date 'whenever'" in reasons[3]
    figures = json.loads(seeded.ok("figure", "list", "--format", "json").stdout)
    assert [f["written"] for f in figures] == ["20%"]
