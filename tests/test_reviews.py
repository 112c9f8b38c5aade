"""Reviews as records: our desk's set the status, others' do not; disagreements; listing
filters; verdict labels; the ClaimsKG and LIAR presets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claims.reviews.verdicts import BUILTIN, label_key, lookup, read_label, scaled
from claims.vocab import Status
from tests.conftest import Cli, snapshot

FIXTURES = Path(__file__).parent / "fixtures"
PAGES = FIXTURES / "pages"


def _json(cli: Cli, *args: str) -> object:
    return json.loads(cli.ok(*args, "--format", "json").stdout)


def _claim(cli: Cli, text: str = "The river rose three metres.") -> str:
    cli.ok("source", "add", "wire", "--outlet", "Wire", "--title", "Wire copy")
    return cli.ok("add", text, "--source", "wire").stdout.strip()


def test_our_desks_review_sets_the_status_with_one_history_row(cli: Cli) -> None:
    claim = _claim(cli)
    review = cli.ok("review", "add", claim, "false", "--label", "Falso", "--url",
                    "https://desk.example/river", "--published", "2024-05-01",
                    "--explanation", "Gauges show 40 cm.", "--author", "Ann Lee").stdout.strip()
    shown = _json(cli, "show", claim)
    assert shown["status"] == "false"
    assert [(h["from"], h["to"], h["note"]) for h in shown["history"]] == [
        (None, "unverified", None), ("unverified", "false", "Gauges show 40 cm.")]
    [record] = shown["reviews"]
    assert record["id"] == int(review) and record["sets_status"] and record["ours"]
    assert (record["publisher"], record["label"], record["author"]) == ("Our desk", "Falso",
                                                                        "Ann Lee")


def test_another_publishers_review_leaves_our_status(cli: Cli) -> None:
    claim = _claim(cli)
    cli.ok("review", "add", claim, "false", "--by", "Other Checker", "--url", "https://o.x/1")
    shown = _json(cli, "show", claim)
    assert shown["status"] == "unverified" and len(shown["history"]) == 1
    assert [r["publisher"] for r in shown["reviews"]] == ["Other Checker"]
    assert not shown["reviews"][0]["sets_status"]


def test_desk_name_comes_from_claims_publisher(cli: Cli) -> None:
    claim = _claim(cli)
    run = cli("review", "add", claim, "true", "--by", "Env Desk",
              env={"CLAIMS_PUBLISHER": "Env Desk"})
    assert run.exit_code == 0
    assert _json(cli, "show", claim)["status"] == "true"


def test_a_bad_rating_is_one_line_and_writes_nothing(cli: Cli) -> None:
    claim = _claim(cli)
    before = snapshot(cli.url)
    run = cli("review", "add", claim, "bogus")
    assert run.exit_code == 2 and "'bogus' is not a status (choose one of:" in run.stderr
    assert snapshot(cli.url) == before


def test_conflicts_lists_claims_reviewers_disagree_on(cli: Cli) -> None:
    calm = _claim(cli)
    torn = cli.ok("add", "Taxes doubled overnight.", "--source", "wire").stdout.strip()
    cli.ok("review", "add", calm, "false", "--by", "A")
    cli.ok("review", "add", calm, "mostly-false", "--by", "B")  # one step: no conflict
    cli.ok("review", "add", torn, "true", "--by", "A")
    cli.ok("review", "add", torn, "half-true", "--by", "B")  # two steps
    found = _json(cli, "review", "conflicts")
    assert [c["claim_id"] for c in found] == [int(torn)]
    assert found[0]["reasons"] == ["A and B are 2 steps apart"]
    cli.ok("review", "add", calm, "mostly-false")  # ours against A's false
    found = {c["claim_id"]: c for c in _json(cli, "review", "conflicts")}
    assert found[int(calm)]["reasons"] == ["our status mostly-false against A's false"]


def test_list_filters_by_reviewer_and_rating(cli: Cli) -> None:
    first = _claim(cli)
    second = cli.ok("add", "Taxes doubled overnight.", "--source", "wire").stdout.strip()
    cli.ok("review", "add", first, "false", "--by", "AFP Fact Check")
    cli.ok("review", "add", second, "true", "--by", "Newtral")
    assert [c["id"] for c in _json(cli, "list", "--reviewed-by", "afp fact check")] == [
        int(first)]
    assert [c["id"] for c in _json(cli, "list", "--rating", "true")] == [int(second)]
    assert _json(cli, "list", "--reviewed-by", "Newtral", "--rating", "false") == []


# --- verdict labels -----------------------------------------------------------------------

SAMPLE_LABELS = ["False", "Partly False", "Missing Context", "Somewhat True", "Altered Image",
                 "Misleading", "Partlyfalse", "Incorrect", "Pants on Fire", "Mostly False",
                 "Miscaptioned", "Mixture", "Mostly True", "Correct Attribution", "Unproven",
                 "Decontextualized", "Not True", "Misattributed", "Mixed", "Fake", "Correct"]


@pytest.mark.parametrize("label", SAMPLE_LABELS)
def test_the_labels_of_the_claimskg_samples_are_known(label: str) -> None:
    assert lookup(label) is not None


def test_labels_compare_by_one_normalisation() -> None:
    spellings = ["partly false", "Partlyfalse", "PARTLY_FALSE", "partly-false", "Partly  False!"]
    assert len({label_key(s) for s in spellings}) == 1
    assert lookup("Partlyfalse", {label_key("partly false"): Status.FALSE}) is Status.FALSE


@pytest.mark.parametrize(("label", "status"), [
    ("Falso", "false"), ("Faux", "false"), ("Falsch", "false"), ("زائف", "false"),
    ("錯誤", "false"), ("證據不足", "unproven"), ("Engañoso", "mostly-false"),
    ("Trompeur", "mostly-false"), ("Fuorviante", "mostly-false"), ("भ्रामक", "mostly-false"),
    ("Hoaks", "false"), ("Verdadeiro", "true"), ("really_false", "false")])
def test_labels_in_ten_languages(label: str, status: str) -> None:
    assert lookup(label) == Status(status)


def test_sentences_keep_their_verdict_word_and_the_sentence() -> None:
    sentence = "FALSO: As imagens foram retiradas do canal de um corretor. O imóvel fica no Ceará."
    assert read_label(sentence) == ("FALSO", Status.FALSE, sentence)
    unknown = "This claim is a long sentence that names no verdict at all."
    assert read_label(unknown) == (unknown, None, unknown)


def test_numeric_ratings_scale_onto_ours_and_improper_scales_do_not() -> None:
    assert scaled(9, 10, 0) is Status.TRUE
    assert scaled(1, 6, 1) is Status.FALSE
    assert scaled(-1, -1, -1) is None
    assert scaled(7, 5, 1) is None
    assert all(isinstance(s, Status) for s in BUILTIN.values())


def test_status_map_matches_the_normalised_label(cli: Cli) -> None:
    cli.ok("import", str(FIXTURES / "claimskg_sample.csv"), "--preset", "claimskg",
           "--status-map", "partly false=false")
    claim = next(c for c in _json(cli, "list") if c["text"] == "Masks do not work.")
    [review] = _json(cli, "reviews", str(claim["id"]))
    assert (review["label"], review["rating"]) == ("Partlyfalse", "false")


def test_unmapped_labels_are_kept_and_counted_and_strict_rejects_them(cli: Cli) -> None:
    path = str(FIXTURES / "claimskg_sample.csv")
    before = snapshot(cli.url)
    strict = cli("import", path, "--preset", "claimskg", "--strict")
    assert strict.exit_code == 1 and "verdict label 'Other' is not mapped" in strict.stderr
    assert snapshot(cli.url) == before
    run = cli.ok("import", path, "--preset", "claimskg")
    assert "0 rejected" in run.stderr
    assert "1 reviews kept their label unmapped (status unverified): 'Other' (1)" in run.stderr
    claim = next(c for c in _json(cli, "list") if c["text"] == "Tetanus jabs are dangerous.")
    [review] = _json(cli, "reviews", str(claim["id"]))
    assert (review["label"], review["rating"]) == ("Other", "unverified")


# --- presets ------------------------------------------------------------------------------


def test_claimskg_preset_credits_speakers_publishers_and_recovers_titles(cli: Cli) -> None:
    run = cli.ok("import", str(FIXTURES / "claimskg_sample.csv"), "--preset", "claimskg")
    assert "5 reviews created" in run.stderr and "0 rejected" in run.stderr
    claims = {c["text"]: c for c in _json(cli, "list")}
    aap = claims["Onion and sugar flu remedy is a recipe for bad teeth"]  # from extra_title
    assert aap["speaker"] is None
    camps = claims["Biden announced quarantine camps for the unvaccinated."]
    assert camps["speaker"] is None  # Kelsey Tamakloe is PolitiFact's byline
    [review] = _json(cli, "reviews", str(camps["id"]))
    assert (review["publisher"], review["author"], review["rating"]) == (
        "PolitiFact", "Kelsey Tamakloe", "false")
    assert review["url"] == "http://www.politifact.com/factchecks/2021/jul/22/camps/"
    assert claims["A photo shows a procession in India."]["speaker"] == "Multiple persons"
    masks = claims["Masks do not work."]
    assert _json(cli, "reviews", str(masks["id"]))[0]["published"] == "2021-07-28"


def test_liar_slugs_resolve_to_the_entity_they_spell(cli: Cli) -> None:
    cli.ok("entity", "add", "Jane Doe", "--kind", "person")
    run = cli.ok("import", str(FIXTURES / "liar_sample.tsv"), "--preset", "liar")
    assert "0 rejected" in run.stderr
    names = {e["name"] for e in _json(cli, "entity", "list")}
    assert "Jane Doe" in names and "jane-doe" not in names
    assert "John Roe" in names and "john-roe" not in names
    by_jane = _json(cli, "list", "--speaker", "Jane Doe")
    assert len(by_jane) == 2
    [review] = _json(cli, "reviews", str(by_jane[0]["id"]))
    assert (review["publisher"], review["label"], review["rating"]) == ("PolitiFact",
                                                                       "pants-fire", "false")
    # Adding by the readable name now finds the entity, no "did you mean 'jane-doe'?".
    cli.ok("source", "add", "s", "--outlet", "O", "--title", "T")
    cli.ok("add", "Another thing.", "--source", "s", "--speaker", "Jane Doe")


def test_a_json_data_set_imports_with_a_field_map_and_date_format(cli: Cli,
                                                                  tmp_path: Path) -> None:
    records = [{"claim": "Wages fell 10% last year.", "who": {"name": "A Minister"},
                "verdict": "Misleading", "checked": {"url": "https://c.example/1",
                                                     "date": "31-10-2020"},
                "said": "29-10-2020", "by": "Checker One"}]
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    cli.ok("import", str(path), "--map", "claim=text", "--map", "who.name=speaker",
           "--map", "verdict=label", "--map", "checked.url=url", "--map",
           "checked.date=published", "--map", "said=said_on", "--map", "by=publisher",
           "--date-format", "%d-%m-%Y")
    [claim] = _json(cli, "list")
    assert (claim["speaker"], claim["said_on"]) == ("A Minister", "2020-10-29")
    [review] = _json(cli, "reviews", str(claim["id"]))
    assert (review["publisher"], review["rating"], review["published"]) == (
        "Checker One", "mostly-false", "2020-10-31")


def test_status_map_file_and_stdin(cli: Cli, tmp_path: Path) -> None:
    mapping = tmp_path / "labels.txt"
    mapping.write_text("# ours\nOther = disputed\n", encoding="utf-8")
    cli.ok("import", str(FIXTURES / "claimskg_sample.csv"), "--preset", "claimskg",
           "--status-map-file", str(mapping))
    claim = next(c for c in _json(cli, "list") if c["text"] == "Tetanus jabs are dangerous.")
    assert _json(cli, "reviews", str(claim["id"]))[0]["rating"] == "disputed"
    page = (PAGES / "tfc_taiwan.html").read_text(encoding="utf-8")
    run = cli.ok("import", "-", "--format", "claimreview", input=page)
    assert "1 reviews created" in run.stderr


def test_an_unknown_format_is_a_usage_error(cli: Cli) -> None:
    run = cli("import", str(PAGES / "afp.html"), "--format", "xml")
    assert run.exit_code == 2 and "unknown --format 'xml'" in run.stderr
