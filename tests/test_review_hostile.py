"""Hostile pages and JSON-LD: one clear line each, exit 1, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims.errors import InvalidError
from claims.reviews import jsonld
from tests.conftest import Cli, snapshot


def _refused(cli: Cli, path: Path, *needles: str) -> None:
    before = snapshot(cli.url)
    run = cli("import", str(path))
    assert run.exit_code == 1
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ")
    for needle in needles:
        assert needle in lines[0]
    assert "Traceback" not in run.stderr
    assert snapshot(cli.url) == before


def test_a_50_mb_page_is_refused(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "huge.html"
    with path.open("w", encoding="utf-8") as out:
        out.write("<html><body>")
        chunk = "<p>" + "x" * 1000 + "</p>\n"
        for _ in range(50 * 1024):
            out.write(chunk)
        out.write("</body></html>")
    _refused(cli, path, "MB", "over the 32 MiB")


def test_deep_nesting_is_refused(cli: Cli, tmp_path: Path) -> None:
    depth = 100_000
    path = tmp_path / "deep.html"
    block = '{"@type": "ClaimReview", "x": ' + "[" * depth + "]" * depth + "}"
    path.write_text(f'<html><script type="application/ld+json">{block}</script></html>',
                    encoding="utf-8")
    _refused(cli, path, "nested deeper than")


def test_deep_nesting_in_a_json_file_is_refused(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "deep.jsonld"
    path.write_text('{"@type": "ClaimReview", "x": ' + '{"a": ' * 100_000 + "1"
                    + "}" * 100_001, encoding="utf-8")
    _refused(cli, path, "nested deeper than")


def test_invalid_utf8_is_refused(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "bad.html"
    path.write_bytes(b'<html><script type="application/ld+json">{"@type": "ClaimReview", '
                     b'"claimReviewed": "caf\xe9"}</script></html>')
    _refused(cli, path, "not valid UTF-8")


def test_a_page_without_json_ld_is_refused(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "plain.html"
    path.write_text("<!DOCTYPE html><html><body><p>No markup here.</p></body></html>",
                    encoding="utf-8")
    _refused(cli, path, "holds no ClaimReview")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(["@type", "@graph", "claimReviewed", "itemReviewed",
                                       "author", "reviewRating", "url", "datePublished",
                                       "alternateName", "ratingValue", "bestRating",
                                       "worstRating", "appearance", "name", "itemListElement"]),
                      children, max_size=6),
    max_leaves=30)
review_like = st.fixed_dictionaries({"@type": st.just("ClaimReview")},
                                    optional={"claimReviewed": st.text(max_size=30),
                                              "author": json_values,
                                              "reviewRating": json_values,
                                              "itemReviewed": json_values,
                                              "datePublished": json_values,
                                              "url": json_values})


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(value=st.one_of(json_values, review_like, st.lists(review_like, max_size=3)),
       as_html=st.booleans())
def test_any_json_ld_imports_or_fails_with_one_line(cli: Cli, tmp_path: Path, value: object,
                                                    as_html: bool) -> None:
    text = json.dumps(value, ensure_ascii=False)
    path = tmp_path / ("any.html" if as_html else "any.jsonld")
    path.write_text(f'<html><script type="application/ld+json">{text}</script></html>'
                    if as_html else text, encoding="utf-8")
    before = snapshot(cli.url)
    run = cli("import", str(path), "--dry-run", "--format", "claimreview")
    assert "Traceback" not in run.stderr
    if run.exit_code != 0:
        assert run.exit_code == 1
        assert len(run.stderr.strip().splitlines()) == 1
    assert snapshot(cli.url) == before


@given(data=st.binary(max_size=300))
@settings(max_examples=200, deadline=None)
def test_any_bytes_give_documents_or_one_invalid_error(data: bytes) -> None:
    try:
        jsonld.find_reviews(jsonld.documents(data, "x"))
    except InvalidError as exc:
        assert "\n" not in str(exc)
