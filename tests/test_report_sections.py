"""claims report: each claim's reviews, the figures' timelines (as claims.figures.timeline
gives them), and text from the database that cannot break out: HTML escaped, Markdown on
one line with no cell-ending pipe."""

from __future__ import annotations

import copy
import html
import json
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import claims
from claims.figures.timeline import timeline
from claims.reads.query import ClaimFilter
from claims.report import build_report, render_report
from claims.report.filters import md_escape, md_url, web_url
from tests.conftest import Cli

HOSTILE = "<script>alert(1)</script> a | b\nnew line $5 & *x* [y](z) `c`"


# Any text, with pieces of markup mixed in often enough that every run tries them.
MARKUP = st.lists(st.sampled_from(["<b>", "</dl>", "<script>alert(1)</script>", "&amp;", '"',
                                   "'", "|", "\n", "<!--", "]]>"]) | st.text(), max_size=6
                  ).map("".join)


def with_figures_and_reviews(cli: Cli) -> Cli:
    cli.ok("measure", "add", "Bushehr 2-3 progress", "--entity", "Bushehr", "--unit", "%",
           "--only-grows")
    cli.ok("figure", "add", "20", "17%", "--measure", "Bushehr 2-3 progress")
    cli.ok("review", "add", "20", "false", "--by", "PolitiFact", "--label", "Pants on Fire",
           "--published", "2025-04-25", "--url", "https://checker.example/bushehr 17")
    return cli


def table_cells(line: str) -> int:
    """How many cells a Markdown table row has: pipes not escaped by a backslash."""
    pipes, escaped = 0, False
    for char in line:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "|":
            pipes += 1
    return pipes - 1


def test_markdown_report_has_reviews_and_the_timeline_of_a_measure(seeded: Cli) -> None:
    with_figures_and_reviews(seeded)
    # An older figure from a claim outside the report: in the timeline, not bold.
    seeded.ok("figure", "add", "16", "30%", "--measure", "Bushehr 2-3 progress",
              "--as-of", "2019-11-10")
    text = seeded.ok("report", "--tag", "construction").stdout
    assert "- **Reviews:**\n  - PolitiFact (2025-04-25): Pants on Fire (read as false) " \
           "<https://checker.example/bushehr%2017>\n" in text
    section = text[text.index("## Figures over time"):]
    assert "### Bushehr 2-3 progress (Bushehr nuclear power plant, %)" in section
    rows = [line for line in section.splitlines() if line.startswith("| 20")]
    assert rows == [
        "| 2019-11-10 | 30% | 30 | 16 |  | menafn-putin-iran-treaty | true |  |",
        "| 2025-04-21 | 17% | 17 | **20** |  | menafn-putin-iran-treaty | unproven "
        "| backwards |",
    ]
    assert "Stale: no counted figure for over 365 days (last: 2025-04-21)." in section


def test_the_report_reuses_the_timeline_and_the_reviews_as_their_commands_give_them(
        seeded: Cli) -> None:
    with_figures_and_reviews(seeded)
    reviews = json.loads(seeded.ok("reviews", "20", "--format", "json").stdout)
    database = claims.open_database(seeded.url)
    try:
        with database.read() as session:
            report = build_report(session, ClaimFilter(tags=["construction"]))
            expected = timeline(session, "Bushehr 2-3 progress")
    finally:
        database.close()
    [claim] = [c for group in report["groups"] for c in group["claims"]]
    assert claim["reviews"] == reviews
    [series] = report["timelines"]
    assert [{k: v for k, v in f.items() if k != "selected"} for f in series["figures"]] \
        == expected["figures"]
    assert {k: v for k, v in series.items() if k != "figures"} == \
        {k: v for k, v in expected.items() if k != "figures"}


def test_a_report_without_figures_or_reviews_has_no_such_sections(seeded: Cli) -> None:
    text = seeded.ok("report", "--speaker", "Lavrov").stdout
    assert "Figures over time" not in text and "**Reviews:**" not in text
    html_text = seeded.ok("report", "--speaker", "Lavrov", "--format", "html").stdout
    assert "Figures over time" not in html_text and "<strong>Reviews</strong>" not in html_text


def test_hostile_text_is_escaped_in_html_and_stays_in_its_markdown_cell(
        seeded: Cli, tmp_path: Path) -> None:
    with_figures_and_reviews(seeded)
    seeded.ok("edit", "20", "--text", HOSTILE + " Bushehr 17", "--quote", HOSTILE)
    seeded.ok("link", "20", "contradicts", "16", "--note", HOSTILE)
    seeded.ok("review", "add", "20", "unproven", "--by", "Checker <b>|</b>", "--label",
              HOSTILE, "--url", "javascript:alert(1)")
    seeded.ok("measure", "add", "p<i>|x", "--entity", "Bushehr")
    seeded.ok("figure", "add", "20", "17", "--measure", "p<i>|x")
    out = tmp_path / "r.html"
    seeded.ok("report", "--tag", "construction", "--format", "html", "-o", str(out))
    page = out.read_text()
    assert "<script>" not in page and "<i>" not in page and "<b>" not in page
    assert html.escape(HOSTILE.replace("\n", " "), quote=False) in " ".join(page.split())
    assert 'href="javascript' not in page and "javascript:alert(1)</li>" in page
    markdown = seeded.ok("report", "--tag", "construction").stdout
    tables = [line for line in markdown.splitlines() if line.startswith("|")]
    headers = [line for line in tables if line.startswith("|---")]
    assert len(headers) == 3  # conflicts, two timelines
    for line in tables:
        assert table_cells(line) in (5, 8), line
    assert "<script>" not in markdown and "javascript:alert(1)" in markdown


# --- the filters, for any text -------------------------------------------------------


def md_unescape(text: str) -> str:
    out, escaped = [], False
    for char in text:
        if escaped or char != "\\":
            out.append(char)
            escaped = False
        else:
            escaped = True
    return "".join(out)


@given(MARKUP)
def test_md_escape_keeps_any_text_on_one_line_in_one_cell_as_written(value: str) -> None:
    escaped = md_escape(value)
    assert "\n" not in escaped and "\r" not in escaped
    assert table_cells(f"| {escaped} |") == 1
    assert md_unescape(escaped) == " ".join(value.split())


@given(st.text())
def test_a_url_is_linked_only_when_it_is_http(value: str) -> None:
    url = web_url(value)
    if url is None:
        assert md_url(value) == md_escape(value)
        return
    assert url.lower().startswith(("http://", "https://"))
    assert all(33 <= ord(c) < 127 for c in url) and "<" not in url and ">" not in url
    assert md_url(value) == f"<{url}>"


class Tags(HTMLParser):
    """The elements of a page, counted, and the text of its title."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: Counter[str] = Counter()
        self.title, self._in_title = "", False
        self.feed(page)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def test_html_escapes_any_text_wherever_it_appears(seeded: Cli) -> None:
    with_figures_and_reviews(seeded)
    database = claims.open_database(seeded.url)
    try:
        with database.read() as session:
            base = build_report(session, ClaimFilter(tags=["construction"]))
    finally:
        database.close()

    expected = Tags(render_report(base, "html")).tags

    @settings(max_examples=50, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(MARKUP.filter(lambda t: t.strip()))
    def check(value: str) -> None:
        report: dict[str, Any] = copy.deepcopy(base)
        claim = report["groups"][0]["claims"][0]
        claim["text"] = claim["quote"] = value
        claim["reviews"][0]["label"] = claim["reviews"][0]["publisher"] = value
        report["timelines"][0]["figures"][0]["written"] = value
        report["title"] = value
        parsed = Tags(render_report(report, "html"))
        assert parsed.tags == expected  # no element came from the text
        assert parsed.title == value

    check()
