"""Finding schema.org ClaimReview in what real pages and feeds carry.

Input is bytes: an HTML page (every ``<script type="application/ld+json">`` block, read
with the Lexbor HTML5 parser of ``selectolax``), a JSON-LD document, or JSON Lines. Inside,
reviews may sit at the top, in arrays, in ``@graph``, in (nested) ``ItemList``s or as any
property's value; types and property names may be written bare, ``schema:``-prefixed or
as full ``http(s)://schema.org/`` IRIs. The other nodes of the page are kept as context
(``Page``): a review's ``{"@id": ...}`` references resolve through them, and a review that
lacks its date or publisher may take the page article's.

Hostile input fails with one ``InvalidError`` line: too large, not UTF-8, nested too
deeply, or holding no ClaimReview at all.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, overload

from claims.errors import InvalidError

MAX_BYTES = 32 * 1024 * 1024  # far above any real fact-check page (the largest seen: 0.6 MB)
MAX_DEPTH = 200  # JSON nesting; real JSON-LD stays under 20
ARTICLE_TYPES = {"NewsArticle", "Article", "ReportageNewsArticle", "BlogPosting", "WebPage",
                 "AnalysisNewsArticle", "ScholarlyArticle"}
Node = dict[str, Any]


@dataclass
class Page:
    """The nodes of one input besides its reviews: by ``@id``, and its articles."""

    by_id: dict[str, Node] = field(default_factory=dict)
    articles: list[Node] = field(default_factory=list)

    # A node resolves to a node; anything else (a string, a list) comes back as it was.
    @overload
    def resolve(self, value: Node) -> Node: ...
    @overload
    def resolve(self, value: Any) -> Any: ...
    def resolve(self, value: Any) -> Any:
        """A ``{"@id": ...}`` reference replaced by the node it names, when the page has it."""
        if isinstance(value, dict) and set(value) <= {"@id", "name"} and "@id" in value:
            found = self.by_id.get(str(value["@id"]))
            if found is not None:
                return {**found, **value}
        return value

    def article_for(self, url: str | None) -> Node | None:
        """The page's article for a review: the one at the review's URL, else the only one
        that names a publisher."""
        matching = [a for a in self.articles
                    if url and url in (_text(a.get("url")), _text(a.get("mainEntityOfPage")),
                                       _text(a.get("@id")))]
        dated = [a for a in matching if a.get("datePublished")]
        if dated or matching:
            return (dated or matching)[0]
        with_publisher = [a for a in self.articles if a.get("publisher")]
        return with_publisher[0] if with_publisher else None


def decode(data: bytes, label: str) -> str:
    if len(data) > MAX_BYTES:
        raise InvalidError(f"{label} is {len(data) / 1e6:.1f} MB, over the {MAX_BYTES // 2**20}"
                           " MiB a page or JSON-LD file may have", "split it into smaller files")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidError(f"{label} is not valid UTF-8 (byte {exc.start})",
                           "convert it to UTF-8 first") from None


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:1024].lower()
    return head.startswith(("<!doctype", "<html", "<head", "<script", "<meta", "<body", "<!--"))


def html_blocks(text: str) -> list[str]:
    """The text of every JSON-LD script block of an HTML page."""
    try:
        from selectolax.lexbor import LexborHTMLParser
    except ImportError:
        raise InvalidError("reading HTML pages needs the selectolax parser",
                           "pip install 'claims[html]'") from None
    tree = LexborHTMLParser(text)
    return [node.text() or "" for node in tree.css("script")
            if (node.attributes.get("type") or "").split(";")[0].strip().lower()
            == "application/ld+json"]


def parse_json(text: str, label: str) -> list[Any]:
    """One JSON value, or JSON Lines (one value a line). Control characters inside strings
    are allowed: real pages put raw newlines there."""
    try:
        return [_loads(text)]
    except json.JSONDecodeError:
        pass
    values = []
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                values.append(_loads(line))
            except json.JSONDecodeError as exc:
                raise InvalidError(f"{label}:{number}: not valid JSON ({exc.msg})",
                                   "fix the JSON") from None
    return values


def _loads(text: str) -> Any:
    try:
        value = json.loads(text, strict=False)
    except RecursionError:
        raise InvalidError(f"JSON nested deeper than {MAX_DEPTH} levels",
                           "no real ClaimReview is nested this deeply") from None
    _check_depth(value)
    return value


def _check_depth(value: Any) -> None:
    stack = [(value, 1)]
    while stack:
        current, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise InvalidError(f"JSON nested deeper than {MAX_DEPTH} levels",
                               "no real ClaimReview is nested this deeply")
        if isinstance(current, dict):
            stack.extend((v, depth + 1) for v in current.values())
        elif isinstance(current, list):
            stack.extend((v, depth + 1) for v in current)


def documents(data: bytes, label: str) -> list[Any]:
    """The JSON values an input holds: each JSON-LD block of a page, or the file's JSON.
    Blocks a page gets wrong (not JSON at all) are skipped: they are never the review."""
    text = decode(data, label)
    if not looks_like_html(text):
        return parse_json(text, label)
    found = []
    for block in html_blocks(text):
        try:
            found.extend(parse_json(block, label))
        except InvalidError as exc:
            if "nested deeper" in str(exc):
                raise
    return found


def short_name(value: Any) -> str:
    """``https://schema.org/ClaimReview``, ``schema:ClaimReview`` -> ``ClaimReview``."""
    text = str(value)
    return text.rsplit("/", 1)[-1].rsplit(":", 1)[-1].rsplit("#", 1)[-1]


def types(node: Node) -> set[str]:
    value = node.get("@type")
    values = value if isinstance(value, list) else [value]
    return {short_name(v) for v in values if v}


def _plain(value: Any) -> Any:
    """Property names without their schema.org prefix, all the way down."""
    if isinstance(value, dict):
        return {(k if k.startswith("@") else short_name(k)): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def find_reviews(values: list[Any]) -> tuple[list[Node], Page]:
    """Every ClaimReview node in the values, in document order, and the page's context."""
    page = Page()
    reviews: list[Node] = []
    stack: list[Any] = [_plain(v) for v in reversed(values)]
    while stack:
        current = stack.pop()
        if isinstance(current, list):
            stack.extend(reversed(current))
            continue
        if not isinstance(current, dict):
            continue
        kinds = types(current)
        if "ClaimReview" in kinds:
            reviews.append(current)
            continue
        if "@id" in current and len(current) > 1:
            page.by_id.setdefault(str(current["@id"]), current)
        if kinds & ARTICLE_TYPES:
            page.articles.append(current)
        stack.extend(reversed(list(current.values())))
    return reviews, page


def _text(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("@id") or value.get("url")
    return str(value) if isinstance(value, str | int | float) else None


def iter_objects(value: Any) -> Iterator[Node]:
    if isinstance(value, dict):
        yield value
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict):
                yield item
