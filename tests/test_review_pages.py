"""ClaimReview from real fact-checkers' pages: one small hand-made fixture per page of
../shared/data/claimreview-pages (the JSON-LD cut down to its telling parts, in minimal
HTML), each imported with no options, on both engines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Cli, snapshot

PAGES = Path(__file__).parent / "fixtures" / "pages"

# page: (claim text starts with, speaker, speaker kind, publisher, label, rating, review
# date, review URL)
EXPECTED = {
    "afp": ("The CDC lied", "multiple sources", "organization", "AFP Fact Check", "False",
            "false", "2020-06-24", "https://factcheck.afp.com/cdc-does-not-add-flu"),
    "africa_check": ("Interferon alpha-2b", "Mzwandile Masina", "organization", "Africa Check",
                     "Incorrect", "false", "2020-03-27",
                     "https://africacheck.org/fact-checks/reports/mayor-incorrect"),
    "aos_fatos": ("Drauzio Varella", "desinformação", "person", "Aos Fatos", "não_é_bem_assim",
                  "mostly-false", "2022-08-11",
                  "https://aosfatos.org/noticias/video-manipulado-drauzio/"),
    "comprova": ("Vídeo mostra casa", "Boatos de redes sociais", "person", "Comprova", "FALSO",
                 "false", "2022-05-30",
                 "https://projetocomprova.com.br/publicações/video-mostra-imovel-no-ceara/"),
    "fatabyyano": ("طائره عمانية", "منشورات مواقع التواصل الاجتماعي", "person",
                   "Fatabyyano Platform", "زائف", "false", "2022-08-24",
                   "https://fatabyyano.net/%d8%a7%d9%84%d9%85/"),
    "india_today": ("PM Modi, during", "Social media users", "organization", "India Today",
                    "Mostly false", "mostly-false", "2022-09-30",
                    "https://www.indiatoday.in/fact-check/story/pm-modi-2006828-2022-09-30"),
    "newtral": ("“Con ustedes", "Sergio Sayas", "person", "Newtral", "Engañoso",
                "mostly-false", "2022-10-06", "https://www.newtral.es/lista-espera/20221006/"),
    "tfc_taiwan": ("圖卡\uff1a美國", "Line, FB", "person", "台灣事實查核中心", "錯誤", "false",
                   "2022-04-08", "https://tfc-taiwan.org.tw/articles/7177"),
    "twenty_minutes": ("Le rôle de l'URSS", "Réseaux sociaux", "person", "20 minutes",
                       "really_false", "false", "2022-05-11",
                       "https://www.20minutes.fr/monde/ukraine/3288079-20220511-role-urss"),
    "vishvas_news": ("मौलवी ने", "Facebook user बसंत मलिक", "person", "Vishvas News", "False",
                     "false", "2022-10-18",
                     "https://www.vishvasnews.com/politics/fact-check-priyanka-gandhi-marriage/"),
}


def _json(cli: Cli, *args: str) -> object:
    return json.loads(cli.ok(*args, "--format", "json").stdout)


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_each_real_page_imports_with_no_options(cli: Cli, page: str) -> None:
    text, speaker, kind, publisher, label, rating, published, url = EXPECTED[page]
    run = cli.ok("import", str(PAGES / f"{page}.html"))
    assert "1 reviews created" in run.stderr and "0 rejected" in run.stderr
    [claim] = _json(cli, "list")
    assert claim["text"].startswith(text)
    assert claim["speaker"] == speaker
    assert claim["status"] == "unverified"  # another publisher's verdict is not ours
    assert _json(cli, "entity", "show", speaker)["kind"] == kind
    [review] = _json(cli, "reviews", str(claim["id"]))
    assert (review["publisher"], review["label"], review["rating"]) == (publisher, label, rating)
    assert (review["published"], review["url"]) == (published, url)
    assert _json(cli, "entity", "show", publisher)["kind"] == "organization"


def test_byline_is_the_author_and_the_page_names_the_publisher(cli: Cli) -> None:
    cli.ok("import", str(PAGES / "africa_check.html"))
    [review] = _json(cli, "reviews", "1")
    assert (review["publisher"], review["author"]) == ("Africa Check", "Taryn Willows")
    assert review["original"] == {"value": 1.0, "best": 6.0, "worst": 1.0}


def test_a_sentence_label_keeps_its_verdict_word_and_the_sentence_as_explanation(
        cli: Cli) -> None:
    cli.ok("import", str(PAGES / "comprova.html"))
    [review] = _json(cli, "reviews", "1")
    assert review["label"] == "FALSO"
    assert review["explanation"].startswith("FALSO: As imagens foram retiradas")


def test_the_claim_appeared_where_the_record_says(cli: Cli) -> None:
    cli.ok("import", str(PAGES / "comprova.html"))
    [claim] = _json(cli, "list")
    source = _json(cli, "source", "show", claim["source"])
    assert source["url"] == "https://kwai-video.com/p/TDQEC1Og"


def test_a_directory_of_pages_imports_at_once_and_again_changes_nothing(cli: Cli) -> None:
    first = cli.ok("import", str(PAGES))
    assert first.stderr.count("1 reviews created") == len(EXPECTED)
    before = snapshot(cli.url)
    again = cli.ok("import", str(PAGES))
    assert again.stderr.count("0 reviews created, 0 updated, 1 unchanged") == len(EXPECTED)
    assert snapshot(cli.url) == before


def test_dry_run_writes_nothing(cli: Cli) -> None:
    before = snapshot(cli.url)
    run = cli.ok("import", str(PAGES / "afp.html"), "--dry-run")
    assert "1 reviews created" in run.stderr and "dry run: nothing written" in run.stderr
    assert snapshot(cli.url) == before


def test_same_claim_from_two_publishers_is_one_claim_with_two_reviews(cli: Cli,
                                                                      tmp_path: Path) -> None:
    cli.ok("import", str(PAGES / "afp.html"))
    other = (PAGES / "afp.html").read_text(encoding="utf-8")
    other = other.replace("AFP Fact Check", "Other Checker").replace(
        "factcheck.afp.com/cdc", "other.example/cdc").replace(
        "The CDC lied about", "The CDC LIED about")
    (tmp_path / "other.html").write_text(other, encoding="utf-8")
    run = cli.ok("import", str(tmp_path / "other.html"))
    assert "1 matched" in run.stderr
    assert len(_json(cli, "list")) == 1
    assert [r["publisher"] for r in _json(cli, "reviews", "1")] == ["AFP Fact Check",
                                                                   "Other Checker"]
