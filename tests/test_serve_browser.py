"""``claims serve`` in a real browser: the system's headless Chromium (Debian's ``chromium``;
.ci/run installs it) driven by Playwright, which never downloads a browser here. Skipped,
saying why, only when no Chromium is installed."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Cli

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
# A word of claim 7's quote ("an accusation Tehran firmly denies") and of no claim's text.
QUOTE_WORD = "firmly"

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="no chromium installed (apt-get install chromium)")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(url: str, server: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if server.poll() is not None:
            raise AssertionError(f"claims serve exited: {server.stderr.read().decode()}")  # type: ignore[union-attr]
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"claims serve never answered on {url}")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory,
           sqlite_templates: dict[str, Path]) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("serve")
    path = folder / "newsroom.db"
    shutil.copyfile(sqlite_templates["seeded"], path)
    for args in (["measure", "add", "enriched uranium", "--entity", "Iran", "--unit", "kg"],
                 ["figure", "add", "6", "about 275 kg", "--measure", "enriched uranium"],
                 ["review", "add", "6", "false", "--by", "PolitiFact", "--label",
                  "Pants on Fire"]):
        Cli(str(path)).ok(*args)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "claims", "--db", str(path), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        env={**os.environ, "CLAIMS_DEBUG": "0"},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base + "/-/versions.json", server)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def page(served: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    profile = tmp_path_factory.mktemp("chromium-profile")
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, args=LAUNCH_FLAGS, headless=True,
            viewport={"width": 1280, "height": 900},
        )
        try:
            yield browser.new_page()
        finally:
            browser.close()


def _column(page: object, name: str) -> list[str]:
    return [t.strip() for t in page.locator(f"td.col-{name}").all_inner_texts()]  # type: ignore[attr-defined]


def test_the_first_page_is_the_claims_with_status_names(
        page: object, served: str, tmp_path: Path) -> None:
    page.goto(served + "/")  # type: ignore[attr-defined]
    assert page.url.endswith("/newsroom/claims_view")  # type: ignore[attr-defined]
    statuses = _column(page, "status")
    assert len(statuses) == 20
    assert {"disputed", "true", "mostly-true", "unverified"} <= set(statuses)
    texts = _column(page, "text")
    assert any(t.startswith("Iran denies that it seeks to weaponise") for t in texts)
    headers = page.locator("table.rows-and-columns th").all_inner_texts()  # type: ignore[attr-defined]
    assert not any("text_hash" in h or "status_event_id" in h for h in headers)
    page.screenshot(path=str(tmp_path / "claims.png"), full_page=True)  # type: ignore[attr-defined]


def test_a_status_facet_narrows_the_rows(page: object, served: str) -> None:
    page.goto(served + "/newsroom/claims_view")  # type: ignore[attr-defined]
    facet = page.locator(".facet-info[data-column='status'] a", has_text="disputed")  # type: ignore[attr-defined]
    facet.first.click()
    page.wait_for_url("**status=disputed**")  # type: ignore[attr-defined]
    statuses = _column(page, "status")
    assert statuses and set(statuses) == {"disputed"}
    assert len(statuses) < 20


def test_the_search_box_finds_a_claim_by_a_word_of_its_quote(page: object, served: str) -> None:
    page.goto(served + "/newsroom/claims_view")  # type: ignore[attr-defined]
    page.fill("input#_search", QUOTE_WORD)  # type: ignore[attr-defined]
    page.press("input#_search", "Enter")  # type: ignore[attr-defined]
    page.wait_for_url(f"**_search={QUOTE_WORD}**")  # type: ignore[attr-defined]
    assert _column(page, "id") == ["7"]
    assert "firmly denies" in " ".join(_column(page, "quote"))


def test_the_entity_query_finds_claims_through_a_persian_alias(
        page: object, served: str, tmp_path: Path) -> None:
    page.goto(served + "/newsroom/entity_claims")  # type: ignore[attr-defined]
    page.fill("input[name='name']", "ایران")  # type: ignore[attr-defined]
    page.locator("form.sql input[type='submit']").first.click()  # type: ignore[attr-defined]
    page.wait_for_load_state()  # type: ignore[attr-defined]
    ids = _column(page, "id")
    assert "7" in ids and len(ids) >= 10
    about = page.locator("td.col-entities").all_inner_texts()  # type: ignore[attr-defined]
    said_by = _column(page, "speaker")
    assert all('"Iran"' in a or s == "Iran" for a, s in zip(about, said_by, strict=True))
    page.screenshot(path=str(tmp_path / "entity.png"), full_page=True)  # type: ignore[attr-defined]


def test_the_claims_page_shows_reviews_and_figures_beside_the_status(
        page: object, served: str) -> None:
    page.goto(served + "/newsroom/claims_view?id=6")  # type: ignore[attr-defined]
    headers = [h.strip() for h in page.locator(  # type: ignore[attr-defined]
        "table.rows-and-columns th").all_inner_texts()]
    assert headers[3:7] == ["status", "rating", "reviews", "figures"]
    assert _column(page, "reviews") == ["PolitiFact: Pants on Fire"]
    assert _column(page, "figures") == ["about 275 kg (enriched uranium)"]
