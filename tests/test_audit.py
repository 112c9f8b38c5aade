"""The audit log end to end: who and when, history, delete/restore/purge, undo, --as-of."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import Cli, snapshot

SOURCE = "menafn-putin-iran-treaty"


def log(cli: Cli, *args: str) -> list[dict]:
    return json.loads(cli.ok("log", "--format", "json", *args).stdout)


def add(cli: Cli, text: str, *args: str) -> int:
    return int(cli.ok("add", text, "--source", SOURCE, *args).stdout)


def now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def test_each_write_is_one_change_set_with_actor_and_command(seeded: Cli) -> None:
    new = add(seeded, "A claim to audit", "--about", "Iran")
    seeded.ok("--as", "bob", "edit", str(new), "--text", "An audited claim", "--tag", "x")
    run = seeded("status", str(new), "false", env={"CLAIMS_USER": "carol"})
    assert run.exit_code == 0
    newest = log(seeded, "--claim", str(new))
    assert [s["by"] for s in newest[:2]] == ["carol", "bob"]
    assert newest[0]["command"] == f"claims status {new} false"
    edit = newest[1]
    claim_change = next(c for c in edit["changes"] if c["kind"] == "claims")
    assert claim_change["before"]["text"] == "A claim to audit"
    assert claim_change["after"]["text"] == "An audited claim"
    assert {"kind": "claim_tags", "row": f"{new}/x", "op": "insert", "before": None,
            "after": None, "purged": False} in edit["changes"]
    assert newest[-1]["counts"]["claims"] == {"insert": 1, "update": 1}
    assert log(seeded, "--actor", "bob", "--limit", "5")[0]["id"] == edit["id"]


def test_seed_import_entity_and_source_writes_are_logged(cli: Cli, tmp_path: Path) -> None:
    cli.ok("seed")
    cli.ok("entity", "add", "Atlantis", "--kind", "place")
    cli.ok("entity", "alias", "Atlantis", "Lost city")
    cli.ok("source", "edit", SOURCE, "--title", "Retitled")
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"text": "Imported claim", "source": SOURCE}) + "\n")
    cli.ok("import", str(path))
    sets = log(cli)
    commands = [s["command"].split()[1] for s in sets[:5]]
    assert commands == ["import", "source", "entity", "entity", "seed"]
    assert sets[0]["counts"]["claims"]["insert"] == 1
    assert sets[2]["counts"] == {"entity_names": {"insert": 1}}
    assert log(cli, "--source", SOURCE)[0]["id"] == sets[0]["id"]
    assert log(cli, "--entity", "Lost city")[0]["id"] == sets[2]["id"]
    assert json.loads(cli.ok("source", "show", SOURCE, "--format", "json").stdout)["title"] \
        == "Retitled"


def test_a_write_that_changes_nothing_leaves_no_change_set(seeded: Cli) -> None:
    before = len(log(seeded))
    seeded.ok("seed")
    assert len(log(seeded)) == before


def test_database_url_passwords_are_masked_in_the_command() -> None:
    from claims.database.engine import masked_command

    shown = masked_command(["--db", "postgresql+psycopg://u:s3cret@h/db", "list",
                            "--db=postgresql://u:pw2@h/db"])
    assert "s3cret" not in shown and "pw2" not in shown and "***" in shown


def test_history_shows_edits_and_status_changes_with_who(seeded: Cli) -> None:
    new = add(seeded, "History claim")
    seeded.ok("--as", "ann", "edit", str(new), "--text", "History claim, edited",
              "--about", "Iran", "--said-on", "2025-01-02")
    seeded.ok("--as", "ann", "status", str(new), "true", "--note", "checked")
    seeded.ok("link", str(new), "supports", "1")
    seeded.ok("unlink", str(new), "supports", "1")
    rows = json.loads(seeded.ok("history", str(new), "--format", "json").stdout)
    kinds = [r.get("kind", "status") for r in rows]
    assert kinds == ["status", "text", "said_on", "about", "status", "link", "link"]
    assert rows[0].keys() == {"from", "to", "note", "evidence", "at", "by"}
    assert rows[1]["from"] == "History claim" and rows[1]["by"] == "ann"
    assert rows[5]["to"] == f"{new} supports 1" and rows[6]["from"] == f"{new} supports 1"
    shown = json.loads(seeded.ok("show", str(new), "--format", "json").stdout)
    assert [h["by"] for h in shown["history"]][-1] == "ann"


def test_delete_keeps_the_claim_and_restore_brings_it_back(seeded: Cli) -> None:
    before = json.loads(seeded.ok("show", "5", "--format", "json").stdout)
    seeded.ok("--as", "dan", "delete", "5", "--yes")
    gone = seeded("show", "5")
    assert gone.exit_code == 1 and "deleted by dan" in gone.stderr
    assert 5 not in [r["id"] for r in json.loads(seeded.ok("list", "-f", "json").stdout)]
    assert '"id": 5,' not in seeded.ok("export", "--format", "jsonl").stdout
    seeded.ok("restore", "5")
    after = json.loads(seeded.ok("show", "5", "--format", "json").stdout)
    assert {k: v for k, v in after.items()} == before
    again = seeded("restore", "5")
    assert again.exit_code == 1 and "is not deleted" in again.stderr


def test_claim_ids_are_never_reused(seeded: Cli) -> None:
    newest = add(seeded, "Newest claim")
    seeded.ok("delete", str(newest), "--yes")
    assert add(seeded, "After the delete") == newest + 1


def test_purge_removes_the_content_from_the_log(seeded: Cli) -> None:
    secret = "A takedown-worthy sentence"
    new = add(seeded, secret, "--quote", "quoted secret")
    seeded.ok("edit", str(new), "--text", secret + " again")
    refused = seeded("delete", str(new), "--purge")
    assert refused.exit_code == 1 and "--yes" in refused.stderr
    seeded.ok("delete", str(new), "--purge", "--yes")
    dump = seeded.ok("log", "--format", "json").stdout
    assert "takedown" not in dump and "quoted secret" not in dump
    entries = log(seeded, "--claim", str(new))
    assert len(entries) == 3 and entries[0]["action"] == "purge"
    assert entries[1]["command"] == "(purged)"
    assert seeded("restore", str(new)).exit_code == 1
    assert "purged" in seeded("show", str(new)).stderr
    assert add(seeded, "Next one") == new + 1


def test_undo_reverts_the_actors_newest_change_set(seeded: Cli) -> None:
    seeded.ok("--as", "eve", "status", "3", "false")
    seeded.ok("--as", "fay", "edit", "4", "--text", "Fay's text")
    seeded.ok("--as", "eve", "undo")
    shown = json.loads(seeded.ok("show", "3", "--format", "json").stdout)
    assert shown["status"] == "unverified"
    assert [h["to"] for h in shown["history"]] == ["unverified", "false", "unverified"]
    assert json.loads(seeded.ok("show", "4", "-f", "json").stdout)["text"] == "Fay's text"
    undo_set = log(seeded, "--limit", "1")[0]
    assert undo_set["action"] == "undo" and undo_set["by"] == "eve"
    twice = seeded("undo", str(undo_set["undoes"]))
    assert twice.exit_code == 1 and f"already undone by change set {undo_set['id']}" \
        in twice.stderr
    seeded.ok("undo", str(undo_set["id"]))  # redo
    assert json.loads(seeded.ok("show", "3", "-f", "json").stdout)["status"] == "false"


def test_undo_refuses_when_a_later_change_touched_the_same_rows(seeded: Cli) -> None:
    seeded.ok("edit", "6", "--text", "First edit")
    first = log(seeded, "--limit", "1")[0]["id"]
    seeded.ok("edit", "6", "--text", "Second edit")
    second = log(seeded, "--limit", "1")[0]["id"]
    before = snapshot(seeded.url)
    run = seeded("undo", str(first))
    assert run.exit_code == 1 and f"change set {second}" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
    assert snapshot(seeded.url) == before


def test_undoing_an_import_removes_what_it_created(cli: Cli, tmp_path: Path) -> None:
    cli.ok("seed")
    listed = cli.ok("list", "--format", "json").stdout
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in [
        {"text": "Imported one", "source": "new-src", "speaker": "Nobody Known"},
        {"type": "source", "key": "new-src", "title": "T", "outlet": "O"},
        {"text": "Imported two", "source": SOURCE, "status": "false"},
    ]))
    updated = {"type": "claim", "external_id": "seed:treaty-cooperation-areas",
               "text": "Rewritten by an import", "source": SOURCE, "status": "false"}
    path.write_text(path.read_text().splitlines()[1] + "\n"
                    + "\n".join(path.read_text().splitlines()[::2]) + "\n"
                    + json.dumps(updated) + "\n")
    cli.ok("import", str(path))
    assert "Rewritten" in cli.ok("list", "--format", "json").stdout
    cli.ok("undo")
    assert cli.ok("list", "--format", "json").stdout == listed
    history = json.loads(cli.ok("history", "3", "--format", "json").stdout)
    assert [(h["from"], h["to"]) for h in history if "kind" not in h][-2:] == [
        ("unverified", "false"), ("false", "unverified")]  # history kept, status put back
    assert cli("source", "show", "new-src").exit_code == 1


def test_bad_input_is_one_line_and_writes_nothing(seeded: Cli) -> None:
    before = snapshot(seeded.url)
    for args, code in [(("undo", "999"), 1), (("restore", "3"), 1), (("restore", "999"), 1),
                       (("list", "--as-of", "2999-01-01"), 1),
                       (("list", "--as-of", "1999-01-01"), 1),
                       (("list", "--as-of", "soon"), 2), (("show", "3", "--as-of",
                                                           "2026-01-01T10:00"), 2),
                       (("delete", "3", "--purge"), 1)]:
        run = seeded(*args)
        assert run.exit_code == code, args
        assert "Error:" in run.stderr and "Traceback" not in run.stderr
        if code == 1:
            assert len(run.stderr.strip().splitlines()) == 1, run.stderr
    assert snapshot(seeded.url) == before


READS = [("list",), ("show", "3"), ("history", "3"), ("search", "treaty"),
         ("export", "--format", "jsonl"), ("graph", "5"), ("related", "5"), ("conflicts",),
         ("entity", "show", "Iran"), ("source", "show", SOURCE), ("stats", "--by", "speaker"),
         ("reviews", "3")]


def _outputs(cli: Cli, *extra: str) -> dict[tuple[str, ...], str]:
    found = {}
    for args in READS:
        run = cli(*args, *extra)
        found[args] = f"{run.exit_code}\n{run.stdout}"
    return found


def test_as_of_prints_what_each_command_printed_then(seeded: Cli) -> None:
    moments = [(now(), _outputs(seeded))]
    seeded.ok("edit", "3", "--text", "Changed text", "--tag", "zz", "--not-about", "Iran")
    seeded.ok("status", "3", "false", "--note", "wrong")
    seeded.ok("review", "add", "3", "false", "--by", "Fact Desk", "--label", "Wrong")
    seeded.ok("delete", "5", "--yes")
    seeded.ok("entity", "alias", "Iran", "Persia")
    seeded.ok("source", "edit", SOURCE, "--title", "New title")
    moments.append((now(), _outputs(seeded)))
    seeded.ok("restore", "5")
    add(seeded, "A later claim", "--about", "Iran")
    seeded.ok("link", "3", "contradicts", "4")
    seeded.ok("status", "3", "true")
    seeded.ok("entity", "merge", "Persia", "Russia")
    moments.append((now(), _outputs(seeded)))
    seeded.ok("undo")
    for when, printed in moments:
        assert _outputs(seeded, "--as-of", when) == printed, when



def test_writes_from_a_sqlite_shell_are_logged_without_a_change_set(seeded: Cli,
                                                                    backend: str) -> None:
    if backend != "sqlite":
        pytest.skip("a sqlite3 shell is SQLite's")
    with sqlite3.connect(seeded.url) as conn:
        conn.execute("UPDATE claims SET text = 'typed in a shell' WHERE id = 2")
    with sqlite3.connect(seeded.url) as conn:
        row = conn.execute("SELECT change_set_id, kind, op, before FROM changes "
                           "ORDER BY id DESC LIMIT 1").fetchone()
    assert row[:3] == (None, "claims", "update") and "typed" not in row[3]


def test_upgrading_from_0003_starts_the_log_with_the_stored_history(blank_db_url: str) -> None:
    from claims.database.engine import make_engine, resolve_url
    from claims.database.migrate import migrate
    from tests.test_migrations_safety import COUNT, fill_at_revision_0001_layout

    engine = make_engine(resolve_url(blank_db_url))
    migrate(engine, "0003")
    fill_at_revision_0001_layout(engine)
    if engine.dialect.name == "postgresql":  # the fill gives ids itself; sequences catch up
        with engine.begin() as conn:
            for table in ("sources", "entities", "entity_names", "claims", "status_history",
                          "links"):
                conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                     f"(SELECT max(id) FROM {table}))")
    engine.dispose()
    cli = Cli(blank_db_url)
    first = log(cli)[-1]
    assert first["action"] == "start" and first["by"] == "(before the log)"
    assert first["counts"] == {"status_history": {"insert": COUNT}}
    assert json.loads(cli.ok("history", "3", "-f", "json").stdout)[0]["by"] == "(before the log)"
    cli.ok("--as", "gus", "status", "3", "false")
    assert [h["by"] for h in json.loads(cli.ok("history", "3", "-f", "json").stdout)] == \
        ["(before the log)", "gus"]
    newest = int(cli.ok("add", "After the upgrade", "--source", "wire-1").stdout)
    cli.ok("delete", str(newest), "--yes")
    assert int(cli.ok("add", "And another", "--source", "wire-1").stdout) == newest + 1


def test_log_as_tsv_gives_each_change_sets_time(cli: Cli) -> None:
    cli.ok("source", "add", "wire", "--outlet", "AP", "--title", "Wire")
    cli.ok("add", "A claim.", "--source", "wire")
    rows = [line.split("\t") for line in cli.ok("log", "--format", "tsv").stdout.splitlines()]
    records = json.loads(cli.ok("log", "--format", "json").stdout)
    assert [row[1] for row in rows] == [r["at"] for r in records]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", row[1]) for row in rows)
