"""ClaimReview JSON-LD: every property checked against its schema.org type; import back."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Cli

FIXTURES = Path(__file__).parent / "fixtures"

# Properties schema.org defines on each type we write (own and inherited ones we use):
# ClaimReview < Review < CreativeWork < Thing; Claim < CreativeWork < Thing; Rating < Thing.
THING = {"@type", "@context", "name", "identifier", "url", "alternateName"}
CREATIVE_WORK = THING | {"author", "datePublished", "publisher", "keywords", "about", "text",
                         "headline"}
ALLOWED = {
    "ClaimReview": CREATIVE_WORK | {"claimReviewed", "reviewRating", "itemReviewed"},
    "Claim": CREATIVE_WORK | {"appearance", "firstAppearance"},
    "Rating": THING | {"ratingValue", "bestRating", "worstRating"},
    "CreativeWork": CREATIVE_WORK,
    "Organization": THING,
    "Person": THING,
    "Thing": THING,
}
# Which type each property's value must be (when it is an object).
EXPECTED = {
    "reviewRating": {"Rating"}, "itemReviewed": {"Claim"},
    "author": {"Person", "Organization"}, "publisher": {"Organization", "Person"},
    "appearance": {"CreativeWork"}, "firstAppearance": {"CreativeWork"}, "about": {"Thing"},
}


def _check(node: dict, path: str = "$") -> None:
    kind = node["@type"]
    assert kind in ALLOWED, f"{path}: unexpected type {kind}"
    extra = set(node) - ALLOWED[kind]
    assert not extra, f"{path} ({kind}) has properties schema.org does not define: {extra}"
    for key, value in node.items():
        for child in value if isinstance(value, list) else [value]:
            if isinstance(child, dict):
                assert child["@type"] in EXPECTED[key], f"{path}.{key}: {child['@type']}"
                _check(child, f"{path}.{key}")


def _reviews(cli: Cli, *args: str) -> tuple[list[dict], str]:
    run = cli.ok("export", "--format", "claimreview", *args)
    return json.loads(run.stdout), run.stderr


def test_every_property_exists_on_its_schema_org_type(seeded: Cli) -> None:
    seeded.ok("status", "1", "mostly-false", "--note", "partly")
    reviews, _ = _reviews(seeded, "--publisher", "Claims Desk")
    assert reviews
    for review in reviews:
        _check(review)
        assert review["@context"] == "https://schema.org"
        assert review["author"] == {"@type": "Organization", "name": "Claims Desk"}


def test_ratings_follow_the_status_scale(seeded: Cli) -> None:
    seeded.ok("status", "1", "mostly-false")
    listed = {c["text"]: c for c in json.loads(seeded.ok("list", "--format", "json").stdout)}
    reviews, stderr = _reviews(seeded)
    verdicts = [c for c in listed.values() if c["rating"] is not None]
    assert len(reviews) == len(verdicts)
    assert f"Left out {len(listed) - len(verdicts)} claim(s)" in stderr
    for review in reviews:
        claim = listed[review["claimReviewed"]]
        rating = review["reviewRating"]
        assert (rating["ratingValue"], rating["alternateName"]) == (claim["rating"],
                                                                    claim["status"])
        assert (rating["bestRating"], rating["worstRating"]) == (5, 1)
        item = review["itemReviewed"]
        assert item["appearance"][0]["identifier"] == claim["source"]
        assert item["firstAppearance"] == item["appearance"][-1]
        if claim["speaker"]:
            assert item["author"]["name"] == claim["speaker"]
        assert "author" not in review


def test_speaker_kind_decides_person_or_organization(cli: Cli) -> None:
    cli.ok("source", "add", "s1", "--outlet", "Wire", "--title", "T", "--published", "2024-01-02")
    cli.ok("entity", "add", "Ann Lee", "--kind", "person")
    cli.ok("entity", "add", "Acme", "--kind", "organization")
    cli.ok("add", "Ann said it.", "--source", "s1", "--speaker", "Ann Lee", "--status", "true",
           "--said-on", "2024-01-01")
    cli.ok("add", "Acme said it.", "--source", "s1", "--speaker", "Acme", "--status", "false")
    reviews, _ = _reviews(cli, "--publisher", "Desk")
    authors = {r["claimReviewed"]: r["itemReviewed"]["author"]["@type"] for r in reviews}
    assert authors == {"Ann said it.": "Person", "Acme said it.": "Organization"}
    ann = next(r for r in reviews if r["claimReviewed"] == "Ann said it.")
    assert ann["itemReviewed"]["datePublished"] == "2024-01-01"
    assert ann["itemReviewed"]["appearance"][0]["datePublished"] == "2024-01-02"


def test_publisher_comes_from_the_environment(seeded: Cli) -> None:
    run = seeded("export", "--format", "claimreview", env={"CLAIMS_PUBLISHER": "Env Desk"})
    assert run.exit_code == 0
    assert {r["author"]["name"] for r in json.loads(run.stdout)} == {"Env Desk"}


def test_our_claimreview_imports_into_an_empty_database(seeded: Cli, tmp_path: Path,
                                                        db_url: str) -> None:
    reviews, _ = _reviews(seeded, "--publisher", "Desk")
    path = tmp_path / "reviews.jsonld"
    path.write_text(json.dumps(reviews), encoding="utf-8")
    empty = Cli(str(tmp_path / "other.db"))
    run = empty.ok("import", str(path))
    assert f"{len(reviews)} created, 0 updated" in run.stderr
    back = {c["text"]: c for c in json.loads(empty.ok("list", "--format", "json").stdout)}
    for review in reviews:
        claim = back[review["claimReviewed"]]
        assert claim["status"] == review["reviewRating"]["alternateName"]
        assert claim["source"] == review["itemReviewed"]["appearance"][0]["identifier"]
        assert claim["external_id"] == review.get("identifier")
    # Importing the same reviews again changes nothing.
    assert f"0 created, 0 updated, {len(reviews)} unchanged" in empty.ok(
        "import", str(path)).stderr


def test_hand_written_claimreview_with_foreign_ratings(cli: Cli) -> None:
    path = str(FIXTURES / "claimreview_hand.json")
    run = cli.ok("import", path, "--status-map", "pants on fire=false")
    assert "2 created" in run.stderr and "2 sources created" in run.stderr
    claims = {c["external_id"]: c for c in json.loads(cli.ok("list", "--format", "json").stdout)}
    moon = claims["https://factcheck.example.org/reviews/moon-cheese"]
    assert (moon["status"], moon["speaker"], moon["said_on"]) == ("false", "Jane Doe",
                                                                  "2024-02-28")
    river = claims["https://factcheck.example.org/reviews/river"]
    # 9 on a 0-10 scale is 5 on ours (round(1 + 9 * 4 / 10) = 5): true.
    assert river["status"] == "true"
    entity = json.loads(cli.ok("entity", "show", "Jane Doe", "--format", "json").stdout)
    assert entity["kind"] == "person"


def test_unmapped_foreign_label_falls_back_to_the_rating_value(cli: Cli) -> None:
    run = cli.ok("import", str(FIXTURES / "claimreview_hand.json"))
    assert "2 created" in run.stderr
    statuses = {c["text"]: c["status"] for c in json.loads(
        cli.ok("list", "--format", "json").stdout)}
    # 'Pants on Fire' is nobody's label here; its rating 1 of 1-6 is our 1: false.
    assert statuses["The moon is made of green cheese."] == "false"


def test_claimreview_one_object_per_line(cli: Cli, tmp_path: Path) -> None:
    reviews = json.loads((FIXTURES / "claimreview_hand.json").read_text(encoding="utf-8"))
    path = tmp_path / "reviews.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in reviews) + "\n", encoding="utf-8")
    run = cli.ok("import", str(path), "--format", "claimreview")
    assert "2 created" in run.stderr


def test_claimreview_format_refuses_other_objects(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"text": "not a review"}', encoding="utf-8")
    run = cli("import", str(path), "--format", "claimreview")
    assert run.exit_code == 1 and "x.json:1: not a ClaimReview object" in run.stderr
