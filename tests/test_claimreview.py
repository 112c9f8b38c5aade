"""ClaimReview JSON-LD export, one document per review: every property checked against the
schema.org vocabulary (tests/fixtures/schemaorg_claimreview.json), every required and
recommended property present, the export round trip, and reading ClaimReview back."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from claims.reviews.export import RECOMMENDED, REQUIRED
from tests.conftest import Cli

FIXTURES = Path(__file__).parent / "fixtures"
PAGES = FIXTURES / "pages"


@cache
def vocabulary() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    data = json.loads((FIXTURES / "schemaorg_claimreview.json").read_text(encoding="utf-8"))
    allowed: dict[str, set[str]] = {}
    for kind in data["types"]:
        props, current = set(), kind
        while current:
            props |= set(data["types"][current])
            current = data["parents"].get(current)
        allowed[kind] = props
    return allowed, {k: set(v) for k, v in data["ranges"].items()}


def _check(node: dict, path: str = "$") -> None:
    allowed, ranges = vocabulary()
    kind = node["@type"]
    assert kind in allowed, f"{path}: unexpected type {kind}"
    extra = set(node) - allowed[kind]
    assert not extra, f"{path} ({kind}) has properties schema.org does not define: {extra}"
    for key, value in node.items():
        for child in value if isinstance(value, list) else [value]:
            if isinstance(child, dict):
                assert child["@type"] in ranges[key], f"{path}.{key}: {child['@type']}"
                _check(child, f"{path}.{key}")


def _get(node: dict, path: str) -> object:
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None  # type: ignore[assignment]
    return node


def _export(cli: Cli, *args: str) -> tuple[list[dict], str]:
    run = cli.ok("export", "--format", "claimreview", *args)
    return json.loads(run.stdout), run.stderr


def _desk_reviews(cli: Cli) -> None:
    cli.ok("source", "add", "s1", "--outlet", "Wire", "--title", "T", "--published", "2024-01-02",
           "--url", "https://wire.example/t")
    cli.ok("entity", "add", "Ann Lee", "--kind", "person")
    cli.ok("entity", "add", "Acme", "--kind", "organization")
    ann = cli.ok("add", "Ann said it.", "--source", "s1", "--speaker", "Ann Lee",
                 "--said-on", "2024-01-01").stdout.strip()
    acme = cli.ok("add", "Acme said it.", "--source", "s1", "--speaker", "Acme",
                  "--said-on", "2024-01-03").stdout.strip()
    cli.ok("review", "add", ann, "true", "--url", "https://desk.example/ann",
           "--published", "2024-02-01", "--label", "Cierto")
    cli.ok("review", "add", acme, "false", "--url", "https://desk.example/acme",
           "--published", "2024-02-02", "--explanation", "No such report exists.")
    cli.ok("review", "add", acme, "mostly-false")  # no URL: left out, counted
    cli.ok("review", "add", ann, "false", "--by", "Other Checker", "--url", "https://o.example/1",
           "--published", "2024-03-01")


def test_every_property_exists_on_its_schema_org_type_and_none_is_missing(cli: Cli) -> None:
    _desk_reviews(cli)
    reviews, stderr = _export(cli, "--all-reviews")
    assert len(reviews) == 3
    assert "Left out 1 review(s) (no url" in stderr
    for review in reviews:
        _check(review)
        assert review["@context"] == "https://schema.org"
        for path in REQUIRED + RECOMMENDED:
            assert _get(review, path) not in (None, [], ""), path


def test_the_export_carries_each_reviews_own_facts(cli: Cli) -> None:
    _desk_reviews(cli)
    reviews, _ = _export(cli)
    by_claim = {r["claimReviewed"]: r for r in reviews}
    assert set(by_claim) == {"Ann said it.", "Acme said it."}  # ours only by default
    ann, acme = by_claim["Ann said it."], by_claim["Acme said it."]
    assert (ann["url"], ann["datePublished"]) == ("https://desk.example/ann", "2024-02-01")
    assert ann["author"] == {"@type": "Organization", "name": "Our desk",
                             "url": "https://desk.example/"}
    assert ann["reviewRating"] == {"@type": "Rating", "ratingValue": 5, "bestRating": 5,
                                   "worstRating": 1, "alternateName": "Cierto", "name": "Cierto"}
    assert ann["itemReviewed"]["author"] == {"@type": "Person", "name": "Ann Lee"}
    assert acme["itemReviewed"]["author"] == {"@type": "Organization", "name": "Acme"}
    assert acme["itemReviewed"]["datePublished"] == "2024-01-03"
    assert acme["reviewBody"] == "No such report exists."
    assert acme["itemReviewed"]["firstAppearance"]["url"] == "https://wire.example/t"


def test_a_publishers_own_scale_is_exported_as_it_gave_it(cli: Cli) -> None:
    cli.ok("import", str(PAGES / "africa_check.html"))
    [review], _ = _export(cli, "--all-reviews")
    assert review["reviewRating"]["ratingValue"] == 1
    assert (review["reviewRating"]["bestRating"], review["reviewRating"]["worstRating"]) == (6, 1)
    assert review["reviewRating"]["alternateName"] == "Incorrect"


def test_check_lists_what_each_review_lacks(cli: Cli) -> None:
    cli.ok("import", str(PAGES / "india_today.html"))
    run = cli.ok("review", "check", "--all-reviews", "--format", "json")
    [row] = json.loads(run.stdout)
    assert row["publisher"] == "India Today"
    assert row["missing"] == ["itemReviewed.datePublished"]  # the page never says when
    same = cli.ok("export", "--format", "claimreview", "--check", "--all-reviews")
    assert "itemReviewed.datePublished" in same.stdout


def test_export_import_export_gives_the_same_bytes(cli: Cli, tmp_path: Path) -> None:
    """From a SQLite database into an empty one of the engine under test, and back."""
    origin = Cli(str(tmp_path / "origin.db"))
    _desk_reviews(origin)
    origin.ok("import", str(PAGES))
    first = origin.ok("export", "--format", "claimreview", "--all-reviews").stdout
    path = tmp_path / "reviews.jsonld"
    path.write_text(first, encoding="utf-8")
    run = cli.ok("import", str(path))
    assert "0 rejected" in run.stderr
    assert cli.ok("export", "--format", "claimreview", "--all-reviews").stdout == first
    again = cli.ok("import", str(path))
    assert "0 reviews created, 0 updated" in again.stderr
    assert cli.ok("export", "--format", "claimreview", "--all-reviews").stdout == first


def test_our_reviews_read_back_set_our_status(cli: Cli, tmp_path: Path) -> None:
    origin = Cli(str(tmp_path / "origin.db"))
    _desk_reviews(origin)
    path = tmp_path / "ours.jsonld"
    path.write_text(origin.ok("export", "--format", "claimreview").stdout, encoding="utf-8")
    cli.ok("import", str(path))
    statuses = {c["text"]: c["status"] for c in json.loads(
        cli.ok("list", "--format", "json").stdout)}
    assert statuses == {"Ann said it.": "true", "Acme said it.": "false"}


def test_hand_written_claimreview_with_foreign_ratings(cli: Cli) -> None:
    run = cli.ok("import", str(FIXTURES / "claimreview_hand.json"))
    assert "2 reviews created" in run.stderr and "2 sources created" in run.stderr
    claims = {c["text"]: c for c in json.loads(cli.ok("list", "--format", "json").stdout)}
    moon = claims["The moon is made of green cheese."]
    assert (moon["speaker"], moon["said_on"], moon["status"]) == ("Jane Doe", "2024-02-28",
                                                                  "unverified")
    [review] = json.loads(cli.ok("reviews", str(moon["id"]), "--format", "json").stdout)
    assert (review["publisher"], review["rating"]) == ("Example Fact Check", "false")
    river = claims["The river rose three metres in April."]
    # 9 on a 0-10 scale is 5 on ours (1 + round(9 / 10 * 4) = 5): true. No author: the
    # publisher is the review page's host.
    [review] = json.loads(cli.ok("reviews", str(river["id"]), "--format", "json").stdout)
    assert (review["publisher"], review["rating"]) == ("factcheck.example.org", "true")
    entity = json.loads(cli.ok("entity", "show", "Jane Doe", "--format", "json").stdout)
    assert entity["kind"] == "person"


def test_claimreview_one_object_per_line(cli: Cli, tmp_path: Path) -> None:
    reviews = json.loads((FIXTURES / "claimreview_hand.json").read_text(encoding="utf-8"))
    path = tmp_path / "reviews.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in reviews) + "\n", encoding="utf-8")
    assert "2 reviews created" in cli.ok("import", str(path)).stderr


def test_graph_item_lists_and_full_iris_are_found(cli: Cli, tmp_path: Path) -> None:
    hand = json.loads((FIXTURES / "claimreview_hand.json").read_text(encoding="utf-8"))
    first, second = hand
    second = {("http://schema.org/" + k if not k.startswith("@") else k): v
              for k, v in second.items()}
    second["@type"] = "https://schema.org/ClaimReview"
    wrapped = {"@context": "http://schema.org", "@graph": [
        {"@type": "ItemList", "itemListElement": [
            {"@type": "ListItem", "item": {"@type": "ItemList",
                                           "itemListElement": [first]}},
            {"@type": "ListItem", "item": second}]}]}
    path = tmp_path / "wrapped.jsonld"
    path.write_text(json.dumps(wrapped), encoding="utf-8")
    assert "2 reviews created" in cli.ok("import", str(path)).stderr


def test_claimreview_format_refuses_other_objects(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"text": "not a review"}', encoding="utf-8")
    run = cli("import", str(path), "--format", "claimreview")
    assert run.exit_code == 1 and "x.json:1: not a ClaimReview object" in run.stderr
