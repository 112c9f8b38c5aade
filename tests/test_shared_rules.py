"""``claims add`` (and the other one-at-a-time commands) and ``claims import`` refuse the
same bad inputs with the same messages: each rule and its wording live in claims.writes.rules or
claims.reads.lookup, and both routes use them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import Cli

DESK = {"type": "source", "key": "desk", "title": "Desk notes", "outlet": "Desk"}


def _jsonl(tmp_path: Path, records: list[dict]) -> str:
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return str(path)


def _refusal(cli: Cli, *args: str) -> str:
    """The one-line message of a refused command, without the 'Error: ' prefix."""
    run = cli(*args)
    assert run.exit_code == 1, run.stderr
    match = re.fullmatch(r"Error: (.+)\n", run.stderr)
    assert match, run.stderr
    return match.group(1)


def _import_refusal(cli: Cli, path: str) -> str:
    """The message an import gives for its first bad line, as ``FILE:LINE: message``."""
    run = cli("import", path)
    assert run.exit_code == 1, run.stderr
    match = re.fullmatch(
        r"Error: (.+) \(nothing was imported; fix it, or pass --skip-invalid\)\n", run.stderr)
    assert match, run.stderr
    return match.group(1)


def _claim(external_id: str, *links: tuple[str, str], source: str = "desk") -> dict:
    return {"type": "claim", "text": f"Claim {external_id}.", "source": source,
            "external_id": external_id,
            "links": [{"kind": kind, "to": {"external_id": to}} for kind, to in links]}


CASES = {
    "taken URL": (
        ["source", "add", "b", "--title", "B", "--outlet", "O", "--url", "https://a.test/"],
        [{**DESK, "key": "b", "url": "https://a.test/"}], 1),
    "name of another entity": (
        ["entity", "add", "Persia", "--kind", "country", "--alias", "tehran"],
        [{"type": "entity", "name": "Persia", "aliases": ["tehran"]}], 1),
    "own name given twice": (
        ["entity", "add", "Russia", "--kind", "country", "--alias", "Moscow",
         "--alias", "moscow"],
        [{"type": "entity", "name": "Russia", "aliases": ["Moscow", "moscow"]}], 1),
    "source key with spaces": (
        ["source", "add", "a b", "--title", "T", "--outlet", "O"],
        [{**DESK, "key": "a b"}], 1),
    "unknown via source": (
        ["source", "add", "relay", "--title", "T", "--outlet", "O", "--via", "nope"],
        [{**DESK, "key": "relay", "via": "nope"}], 1),
    "unknown source": (
        ["add", "Claim x.", "--source", "nope"],
        [_claim("x", source="nope")], 1),
    "self link": (
        ["link", "1", "supports", "1"],
        [_claim("a", ("supports", "a"))], 1),
    "updates loop": (
        ["link", "1", "updates", "2"],
        [_claim("a", ("updates", "b"))], 1),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_claims_add_and_import_refuse_alike(cli: Cli, tmp_path: Path, case: str) -> None:
    cli.ok("source", "add", "desk", "--title", "Desk notes", "--outlet", "Desk")
    cli.ok("source", "add", "a", "--title", "A", "--outlet", "O", "--url", "https://a.test/")
    cli.ok("entity", "add", "Iran", "--kind", "country", "--alias", "Tehran")
    # Claims 1 (a) and 2 (b), b updating a: the loop case links a to b.
    cli.ok("import", _jsonl(tmp_path, [_claim("a"), _claim("b", ("updates", "a"))]))
    command, records, line = CASES[case]
    one_by_one = _refusal(cli, *command)
    path = _jsonl(tmp_path, records)
    assert _import_refusal(cli, path) == f"{path}:{line}: {one_by_one}"
