"""An import's new claims are logged as ranges of ids, not a row per row: the log, the
history, the filters, ``--as-of`` and ``undo`` read them as the rows they stand for."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path

from tests.conftest import Cli, snapshot

SOURCE = "menafn-putin-iran-treaty"


def import_three(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "three.jsonl"
    records = [{"text": f"Imported claim number {n} about Bushehr.", "source": SOURCE,
                "about": ["Iran", "Bushehr"], "tags": ["bulk"], "status": "disputed"}
               for n in (1, 2, 3)]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    cli.ok("--as", "imp", "import", str(path))


def test_an_import_is_one_change_set_of_ranges(seeded: Cli, tmp_path: Path) -> None:
    import_three(seeded, tmp_path)
    [newest] = json.loads(seeded.ok("log", "--limit", "1", "--format", "json").stdout)
    assert newest["by"] == "imp"
    assert newest["counts"] == {"claims": {"insert": 3}, "status_history": {"insert": 3},
                                "claim_entities": {"insert": 6}, "claim_tags": {"insert": 3}}
    claims_entry = [c for c in newest["changes"] if c["kind"] == "claims"]
    assert claims_entry == [{"kind": "claims", "row": "21..23", "op": "insert",
                             "before": None, "after": None, "purged": False, "rows": 3}]
    for query in (["--claim", "22"], ["--entity", "Bushehr"], ["--source", SOURCE]):
        found = json.loads(seeded.ok("log", "--format", "json", *query).stdout)
        assert found[0]["id"] == newest["id"], query
    assert json.loads(seeded.ok("log", "--claim", "2", "--format", "json").stdout)[0]["id"] \
        != newest["id"]
    history = json.loads(seeded.ok("history", "22", "--format", "json").stdout)
    assert [(h["to"], h["by"]) for h in history] == [("disputed", "imp")]


def test_as_of_before_an_import_and_its_undo_leave_no_trace(seeded: Cli,
                                                            tmp_path: Path) -> None:
    before = snapshot(seeded.url)
    listing = seeded.ok("list", "--format", "json").stdout
    moment = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    time.sleep(0.01)
    import_three(seeded, tmp_path)
    seeded.ok("edit", "23", "--text", "An imported claim, edited later.")
    assert seeded.ok("list", "--as-of", moment, "--format", "json").stdout == listing
    refused = seeded("--as", "imp", "undo")  # imp's newest is the import; 23 was edited since
    assert refused.exit_code == 1 and "changed the same rows later" in refused.stderr
    seeded.ok("undo")  # the edit (by this login)
    seeded.ok("--as", "imp", "undo")
    after = snapshot(seeded.url)
    assert {t: rows for t, rows in after.items() if t not in ("changes", "change_sets")} == \
        {t: rows for t, rows in before.items() if t not in ("changes", "change_sets")}
