"""Every environment variable is read in one place (claims.settings), and each still does
what its page says, from the command line and from Python alike."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

import claims
from tests.conftest import Cli

ROOT = Path(__file__).resolve().parent.parent


def test_only_settings_reads_the_environment() -> None:
    readers = []
    for path in (ROOT / "claims").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        if re.search(r"os\.environ|getenv\(|envvar=", source):
            readers.append(str(path.relative_to(ROOT)))
    # The CLI's CLAIMS_DEBUG (a traceback instead of one line) is the command line's own.
    assert sorted(readers) == ["claims/cli/helpers.py", "claims/settings.py"]
    helpers = (ROOT / "claims/cli/helpers.py").read_text(encoding="utf-8")
    assert re.findall(r'os\.environ\.get\("(\w+)"\)', helpers) == ["CLAIMS_DEBUG"]


def test_a_bad_record_cap_in_the_environment_is_one_line(cli: Cli, tmp_path: Path) -> None:
    data = tmp_path / "one.jsonl"
    data.write_text('{"type": "claim", "text": "A claim.", "source": "s"}\n', encoding="utf-8")
    run = cli("import", str(data), env={"CLAIMS_MAX_RECORD_BYTES": "lots"})
    assert run.exit_code == 1
    assert run.stderr.strip().splitlines() == [
        "Error: CLAIMS_MAX_RECORD_BYTES='lots' is not a number of bytes (set it to a whole "
        "number of at least 1, or unset it)"]
    assert "A claim." not in cli.ok("list", "--format", "tsv").stdout


def test_the_record_cap_from_the_environment_applies(cli: Cli, tmp_path: Path) -> None:
    data = tmp_path / "long.jsonl"
    data.write_text('{"type": "claim", "text": "' + "x" * 200 + '", "source": "s"}\n',
                    encoding="utf-8")
    run = cli("import", str(data), env={"CLAIMS_MAX_RECORD_BYTES": "100"})
    assert run.exit_code == 1
    assert "longer than 100 bytes" in run.stderr


def test_csv_formulas_from_the_environment_reach_export_and_list(seeded: Cli) -> None:
    seeded.ok("add", "=1+2 is the sum", "--source", "menafn-putin-iran-treaty")
    guarded = seeded.ok("export", "--format", "csv").stdout
    kept = seeded("export", "--format", "csv", env={"CLAIMS_CSV_FORMULAS": "1"}).stdout
    texts = [row["text"] for row in csv.DictReader(io.StringIO(guarded))]
    assert "'=1+2 is the sum" in texts
    assert "=1+2 is the sum" in [row["text"] for row in csv.DictReader(io.StringIO(kept))]


def test_the_desk_name_from_the_environment_is_the_librarys(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from claims.settings import desk_name

    monkeypatch.delenv("CLAIMS_PUBLISHER", raising=False)
    assert desk_name() == "Our desk"
    monkeypatch.setenv("CLAIMS_PUBLISHER", "  Env Desk ")
    assert desk_name() == "Env Desk"
    assert desk_name("Given") == "Given"
    monkeypatch.setenv("CLAIMS_PUBLISHER", "   ")
    assert desk_name() == "Our desk"


def test_a_library_caller_gives_the_actor_in_its_context(db_url: str) -> None:
    db = claims.open_database(db_url, context=claims.Context(actor="ann", command="a script"))
    with db.write() as session:
        claims.add_source(session, "wire", title="Wire", outlet="AP")
    with db.read() as session:
        change_sets = claims.list_change_sets(session, claims.LogFilter())
    db.close()
    newest = change_sets[0]
    assert (newest["by"], newest["command"]) == ("ann", "a script")
