"""Moving a database keeps its past: ``claims export --with-log`` and ``claims import``
(a dump), and ``claims db copy``, carry the audit log, the history and the ids handed out;
deleting and restoring a claim brings back everything about it."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Cli, snapshot

SOURCE = "menafn-putin-iran-treaty"


def history_of_changes(cli: Cli) -> None:
    """Edits, a status, a link, a delete, an undo, a source edit, by two people."""
    cli.ok("seed")
    cli.ok("--as", "ann", "edit", "3", "--text", "Edited text of claim three.")
    cli.ok("--as", "ann", "status", "3", "false", "--note", "checked")
    cli.ok("--as", "bob", "link", "3", "supports", "4")
    cli.ok("--as", "bob", "delete", "20", "--yes")
    cli.ok("--as", "bob", "delete", "5", "--yes")
    cli.ok("--as", "bob", "undo")  # claim 5 comes back
    cli.ok("--as", "cy", "source", "edit", SOURCE, "--title", "Retitled")


def seen(cli: Cli) -> dict[str, str]:
    return {"log": cli.ok("log", "--format", "json").stdout,
            "history 3": cli.ok("history", "3", "--format", "json").stdout,
            "list": cli.ok("list", "--format", "json").stdout,
            "deleted": cli("show", "20").stderr}


def test_a_dump_moves_the_log_from_sqlite_to_postgresql_and_back(
        tmp_path: Path, pg_url: str) -> None:
    laptop = Cli(str(tmp_path / "laptop.db"))
    history_of_changes(laptop)
    expected = seen(laptop)
    assert json.loads(expected["log"])[0]["by"] == "cy"
    assert "deleted by bob" in expected["deleted"]

    dump = tmp_path / "laptop.jsonl"
    laptop.ok("export", "--with-log", "-o", str(dump))
    team = Cli(pg_url)
    loaded = team("import", str(dump))
    assert loaded.exit_code == 0, loaded.stderr
    assert seen(team) == expected

    again = tmp_path / "team.jsonl"
    team.ok("export", "--with-log", "-o", str(again))
    assert again.read_bytes() == dump.read_bytes()
    back = Cli(str(tmp_path / "back.db"))
    back.ok("import", str(again))
    assert seen(back) == expected
    assert snapshot(back.url) == snapshot(laptop.url)


def test_after_a_move_no_id_is_handed_out_twice(db_url: str, tmp_path: Path) -> None:
    """Claim 20 was deleted: it is the largest id ever given, and stays given."""
    laptop = Cli(str(tmp_path / "laptop.db"))
    history_of_changes(laptop)
    dump = tmp_path / "dump.jsonl"
    laptop.ok("export", "--with-log", "-o", str(dump))
    moved = Cli(db_url)
    moved.ok("import", str(dump))
    assert moved.ok("add", "A claim after the move.", "--source", SOURCE).stdout.strip() == "21"
    deletion = json.loads(laptop.ok("log", "--claim", "20", "--format", "json").stdout)[0]
    [removed] = [c for c in deletion["changes"] if (c["kind"], c["op"]) == ("claims", "delete")]
    moved.ok("restore", "20")
    assert json.loads(moved.ok("show", "20", "--format", "json").stdout)["text"] == \
        removed["before"]["text"]


def test_db_copy_carries_the_log_and_the_ids(db_url: str, tmp_path: Path) -> None:
    laptop = Cli(str(tmp_path / "laptop.db"))
    history_of_changes(laptop)
    expected = seen(laptop)
    laptop.ok("db", "copy", laptop.url, db_url)
    copied = Cli(db_url)
    assert seen(copied) == expected
    assert copied.ok("add", "After the copy.", "--source", SOURCE).stdout.strip() == "21"
    # The copy itself wrote no entry: the newest change set is the add just made.
    newest = json.loads(copied.ok("log", "--limit", "2", "--format", "json").stdout)
    assert newest[1]["id"] == json.loads(expected["log"])[0]["id"]


def test_a_dump_goes_only_into_an_empty_database(seeded: Cli, tmp_path: Path) -> None:
    dump = tmp_path / "dump.jsonl"
    seeded.ok("export", "--with-log", "-o", str(dump))
    before = snapshot(seeded.url)
    refused = seeded("import", str(dump))
    assert refused.exit_code == 1
    assert refused.stderr.count("\n") == 1 and "not empty" in refused.stderr
    assert snapshot(seeded.url) == before


def test_a_damaged_dump_names_its_line_and_writes_nothing(
        cli: Cli, tmp_path: Path) -> None:
    source = Cli(str(tmp_path / "source.db"))
    source.ok("seed")
    dump = tmp_path / "dump.jsonl"
    source.ok("export", "--with-log", "-o", str(dump))
    lines = dump.read_text(encoding="utf-8").splitlines(keepends=True)
    for number, damage in ((5, '{"table": "claims", "row": {"id": 1, "nope": 2}}\n'),
                           (7, "not json\n"),
                           (len(lines), '{"table": "sources", "row": {"id": 99}}\n')):
        broken = tmp_path / f"broken-{number}.jsonl"
        broken.write_text("".join([*lines[:number - 1], damage, *lines[number:]]),
                          encoding="utf-8")
        cli.ok("list")  # the database exists (and is empty)
        before = snapshot(cli.url)
        run = cli("import", str(broken))
        assert run.exit_code == 1, run.stderr
        assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr
        assert f"{broken}:{number}:" in run.stderr
        assert snapshot(cli.url) == before


def test_export_with_log_takes_no_filters(seeded: Cli) -> None:
    for extra in (["--about", "Iran"], ["--format", "csv"]):
        run = seeded("export", "--with-log", *extra)
        assert run.exit_code == 2 and "--with-log" in run.stderr and run.stdout == ""


def test_restore_brings_back_figures_due_date_and_reviews(seeded: Cli) -> None:
    seeded.ok("measure", "add", "Bushehr 2-3 progress", "--entity", "Bushehr", "--unit", "%")
    seeded.ok("figure", "add", "5", "17%", "--measure", "Bushehr 2-3 progress")
    seeded.ok("edit", "5", "--due", "2026-10-31")
    seeded.ok("review", "add", "5", "unproven", "--by", "Fact Desk", "--label", "Unproven")
    before = json.loads(seeded.ok("show", "5", "--format", "json").stdout)
    seeded.ok("delete", "5", "--yes")
    assert seeded("show", "5").exit_code == 1
    seeded.ok("restore", "5")
    after = json.loads(seeded.ok("show", "5", "--format", "json").stdout)
    assert after == before
    assert after["figures"] and after.get("due") and after["reviews"]


def test_an_import_never_takes_a_deleted_claims_id(seeded: Cli, tmp_path: Path) -> None:
    seeded.ok("delete", "20", "--yes")
    records = tmp_path / "new.jsonl"
    records.write_text(json.dumps({"text": "An imported claim after a delete.",
                                   "source": SOURCE}) + "\n", encoding="utf-8")
    seeded.ok("import", str(records))
    found = json.loads(seeded.ok("search", "imported claim after", "--format", "json").stdout)
    assert [r["id"] for r in found] == [21]
    assert seeded.ok("restore", "20")
