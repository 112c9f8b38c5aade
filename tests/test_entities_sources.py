"""Entity and source commands: names and aliases in every script, merge, via chains."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Cli, snapshot


def entity(cli: Cli, name: str) -> dict:
    return json.loads(cli.ok("entity", "show", name, "-f", "json").stdout)


def test_entity_add_creates_exactly_that_name_with_aliases(cli: Cli) -> None:
    run = cli.ok(
        "entity",
        "add",
        "Islamic Republic of Iran",
        "--kind",
        "country",
        "--alias",
        "Tehran",
        "--alias",
        "ایران",
        "--description",
        "A country",
    )
    assert run.stdout.strip().isdigit()
    shown = entity(cli, "TEHRAN")
    assert shown["name"] == "Islamic Republic of Iran"
    assert shown["aliases"] == ["Tehran", "ایران"]
    assert shown["kind"] == "country" and shown["description"] == "A country"


@pytest.mark.parametrize("lookup", ["тегеран", "ТЕГЕРАН", "Тегеран", "  тегеран  "])
def test_cyrillic_names_resolve_case_insensitively(cli: Cli, lookup: str) -> None:
    cli.ok("entity", "add", "Тегеран", "--kind", "place")
    assert entity(cli, lookup)["name"] == "Тегеран"


def test_persian_alias_resolves_in_filters(seeded: Cli) -> None:
    by_persian = json.loads(seeded.ok("list", "--about", "ایران", "-f", "json").stdout)
    by_english = json.loads(seeded.ok("list", "--about", "Iran", "-f", "json").stdout)
    assert by_persian == by_english and by_persian


def test_accents_are_a_different_spelling_not_the_same_name(cli: Cli) -> None:
    cli.ok("entity", "add", "Tehran", "--kind", "place")
    run = cli("add", "x", "--source", "s", "--about", "Tehrán")
    assert run.exit_code == 1  # the source 's' doesn't exist, but the name is checked too
    cli.ok("source", "add", "s", "--outlet", "O", "--title", "T")
    typo = cli("add", "x", "--source", "s", "--about", "Tehrán")
    assert typo.exit_code == 1 and "did you mean 'Tehran'" in typo.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (["Iran", "--kind", "country"], "already"),
        (["iran", "--kind", "country"], "already"),
        (["Persia", "--kind", "country", "--alias", "TEHRAN"], "'TEHRAN' is already 'Iran'"),
        (["Persia", "--kind", "country", "--alias", "Persia"], "already its own"),
        (["", "--kind", "country"], "empty name"),
    ],
)
def test_entity_add_conflicts(seeded: Cli, args: list[str], message: str) -> None:
    before = snapshot(seeded.url)
    run = seeded("entity", "add", *args)
    assert run.exit_code == 1 and message in run.stderr, run.stderr
    assert snapshot(seeded.url) == before


def test_entity_add_bad_kind_is_a_usage_error(cli: Cli) -> None:
    run = cli("entity", "add", "X", "--kind", "planet")
    assert run.exit_code == 2 and "organization" in run.stderr


def test_entity_alias_and_its_uniqueness(seeded: Cli) -> None:
    seeded.ok("entity", "alias", "Iran", "Persia")
    assert entity(seeded, "persia")["name"] == "Iran"
    before = snapshot(seeded.url)
    taken = seeded("entity", "alias", "Russia", "PERSIA")
    assert taken.exit_code == 1 and "already 'Iran'" in taken.stderr
    unknown = seeded("entity", "alias", "Atlantis", "Poseidonia")
    assert unknown.exit_code == 1 and "no entity named 'Atlantis'" in unknown.stderr
    assert snapshot(seeded.url) == before


def test_entity_list_by_kind(seeded: Cli) -> None:
    people = json.loads(seeded.ok("entity", "list", "--kind", "person", "-f", "json").stdout)
    assert {"Vladimir Putin", "Donald Trump"} <= {p["name"] for p in people}
    assert {p["kind"] for p in people} == {"person"}
    assert "Putin" in next(p for p in people if p["name"] == "Vladimir Putin")["aliases"]


def test_entity_show_has_claims_by_and_about_and_record(seeded: Cli) -> None:
    iran = entity(seeded, "tehran")
    assert iran["claims_by"] and all(c["speaker"] == "Iran" for c in iran["claims_by"])
    assert iran["claims_about"] and all("Iran" in c["about"] for c in iran["claims_about"])
    assert sum(iran["record"].values()) == len(iran["claims_by"])
    statuses = [c["status"] for c in iran["claims_by"]]
    assert iran["record"] == {s: statuses.count(s) for s in iran["record"]}


def test_entity_edit_changes_kind(seeded: Cli) -> None:
    seeded.ok("add", "x", "--source", "menafn-putin-iran-treaty", "--speaker", "Ali Vaez")
    assert entity(seeded, "Ali Vaez")["kind"] == "other"
    seeded.ok("entity", "edit", "ali vaez", "--kind", "person", "--description", "Analyst")
    assert entity(seeded, "Ali Vaez")["kind"] == "person"


def test_merge_moves_claims_and_aliases_and_keeps_the_old_name(seeded: Cli) -> None:
    seeded.ok("entity", "add", "Islamic Rep. Iran", "--kind", "country", "--alias", "IRI")
    cid = int(
        seeded.ok(
            "add",
            "Merged claim.",
            "--source",
            "menafn-putin-iran-treaty",
            "--speaker",
            "IRI",
            "--about",
            "Islamic Rep. Iran",
            "--about",
            "Iran",
        ).stdout
    )
    seeded.ok("entity", "merge", "Islamic Rep. Iran", "Iran")
    shown = json.loads(seeded.ok("show", str(cid), "-f", "json").stdout)
    assert shown["speaker"] == "Iran" and shown["about"] == ["Iran"]
    iran = entity(seeded, "iri")
    assert iran["name"] == "Iran"
    assert {"Islamic Rep. Iran", "IRI", "Tehran"} <= set(iran["aliases"])
    names = {e["name"] for e in json.loads(seeded.ok("entity", "list", "-f", "json").stdout)}
    assert "Islamic Rep. Iran" not in names


def test_merge_errors(seeded: Cli) -> None:
    before = snapshot(seeded.url)
    same = seeded("entity", "merge", "Tehran", "Iran")
    assert same.exit_code == 1 and "same entity" in same.stderr
    unknown = seeded("entity", "merge", "Atlantis", "Iran")
    assert unknown.exit_code == 1 and "no entity named 'Atlantis'" in unknown.stderr
    assert snapshot(seeded.url) == before


# --- sources --------------------------------------------------------------------------------


def test_source_add_list_show_with_via_chain(cli: Cli) -> None:
    cli.ok(
        "source",
        "add",
        "wire",
        "--outlet",
        "MENAFN",
        "--title",
        "Wire story",
        "--published",
        "2025-04-21",
    )
    cli.ok(
        "source",
        "add",
        "guardian",
        "--outlet",
        "The Guardian",
        "--title",
        "US plan",
        "--via",
        "wire",
        "--url",
        "https://example.org/g",
        "--kind",
        "article",
    )
    cli.ok(
        "source",
        "add",
        "quote",
        "--outlet",
        "Blog",
        "--title",
        "Quoting",
        "--via",
        "guardian",
        "--kind",
        "social-post",
    )
    shown = json.loads(cli.ok("source", "show", "quote", "-f", "json").stdout)
    assert shown["via"] == "guardian" and shown["via_chain"] == ["guardian", "wire"]
    assert shown["kind"] == "social-post"
    wire = json.loads(cli.ok("source", "show", "wire", "-f", "json").stdout)
    assert wire["reports"] == ["guardian"] and wire["published"] == "2025-04-21"
    only = json.loads(cli.ok("source", "list", "--outlet", "the guardian", "-f", "json").stdout)
    assert [s["key"] for s in only] == ["guardian"]


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["menafn-putin-iran-treaty", "--outlet", "X", "--title", "T"], 1, "is taken"),
        (["new", "--outlet", "X", "--title", "T", "--via", "nope"], 1, "no source with key 'nope'"),
        (["new", "--outlet", "X", "--title", "T", "--published", "April"], 2, "is not a date"),
        (["new key", "--outlet", "X", "--title", "T"], 1, "contains spaces"),
        (["new", "--outlet", "", "--title", "T"], 1, "empty outlet"),
        (["new", "--outlet", "X", "--title", "T", "--kind", "podcast"], 2, "social-post"),
    ],
)
def test_source_add_bad_input(seeded: Cli, args: list[str], code: int, message: str) -> None:
    before = snapshot(seeded.url)
    run = seeded("source", "add", *args)
    assert run.exit_code == code and message in run.stderr, run.stderr
    assert snapshot(seeded.url) == before


def test_source_url_is_unique(cli: Cli) -> None:
    cli.ok("source", "add", "a", "--outlet", "X", "--title", "T", "--url", "https://x.org/1")
    run = cli("source", "add", "b", "--outlet", "X", "--title", "T", "--url", "https://x.org/1")
    assert run.exit_code == 1 and "already belongs to source 'a'" in run.stderr


def test_source_show_unknown(cli: Cli) -> None:
    run = cli("source", "show", "nope")
    assert run.exit_code == 1 and run.stderr.startswith("Error: no source with key 'nope'")
