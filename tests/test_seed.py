"""The seed data: the claims of the seed article, loadable twice without change."""

from __future__ import annotations

import json
import tomllib

from claims.writes.seed import seed_files
from tests.conftest import Cli, snapshot


def test_seeding_twice_changes_nothing(cli: Cli) -> None:
    first = cli.ok("seed")
    assert "Seeded:" in first.stderr
    after_first = snapshot(cli.url)
    second = cli.ok("seed")
    assert "nothing changed" in second.stderr
    assert snapshot(cli.url) == after_first


def test_seed_file_matches_what_is_loaded(seeded: Cli) -> None:
    data = tomllib.loads(seed_files()[0].read_text(encoding="utf-8"))
    claims = json.loads(seeded.ok("list", "-f", "json").stdout)
    assert len(claims) == len(data["claims"]) >= 12
    by_ref = {c["external_id"].removeprefix("seed:"): c for c in claims}
    for spec in data["claims"]:
        loaded = by_ref[spec["ref"]]
        assert loaded["text"] == spec["text"]
        assert loaded["status"] == spec["status"]
        assert loaded["quote"] == spec["quote"]


def test_seed_quotes_are_verbatim_and_short(seeded: Cli) -> None:
    claims = json.loads(seeded.ok("list", "-f", "json").stdout)
    assert all(c["quote"] for c in claims)
    assert all(len(c["quote"]) <= 120 for c in claims)


def test_seed_has_the_story_and_its_links(seeded: Cli) -> None:
    proposal = json.loads(
        seeded.ok("source", "show", "guardian-us-iran-uranium-proposal", "-f", "json").stdout
    )
    assert proposal["via_chain"] == ["menafn-putin-iran-treaty"]
    assert proposal["claims"]
    denial = next(
        c
        for c in json.loads(seeded.ok("list", "-f", "json").stdout)
        if c["external_id"] == "seed:tehran-denies-weaponisation"
    )
    shown = json.loads(seeded.ok("show", str(denial["id"]), "-f", "json").stdout)
    assert any(
        link["kind"] == "contradicts"
        and link["other"]["text"].startswith("Iran's nuclear programme")
        for link in shown["links"]
    )
    statuses = {c["status"] for c in json.loads(seeded.ok("list", "-f", "json").stdout)}
    assert len(statuses) >= 3
    for name in (
        "Tehran",
        "Washington",
        "U.S.",
        "Bushehr",
        "JCPOA",
        "Rosatom",
        "Putin",
        "Pezeshkian",
        "Lavrov",
        "Trump",
        "Netanyahu",
        "Russia",
    ):
        assert seeded("entity", "show", name, "-f", "json").exit_code == 0, name
