"""``claims source edit``: change a source's title, outlet, URL, date, kind, via or notes."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from claims.errors import InvalidError
from claims.parse import clean_text, parse_date
from claims.reads.lookup import get_source
from claims.schema.models import Source
from claims.vocab import SourceKind, parse_choice
from claims.writes import rules


def edit_source(
    session: Session,
    key: str,
    *,
    title: str | None = None,
    outlet: str | None = None,
    url: str | None = None,
    published: str | date | None = None,
    kind: str | SourceKind | None = None,
    via: str | None = None,
    notes: str | None = None,
) -> Source:
    """Change what is given; ``None`` leaves a field alone, ``""`` clears an optional one."""
    source = get_source(session, key)
    if title is not None:
        source.title = clean_text(title, "title", required=True)
    if outlet is not None:
        source.outlet = clean_text(outlet, "outlet", required=True)
    if url is not None:
        source.url = _free_url(session, source, clean_text(url, "URL"))
    if published is not None:
        source.published = parse_date(published, "published date")
    if kind is not None:
        source.kind = parse_choice(SourceKind, kind, "source kind").value
    if via is not None:
        source.via = _via(session, source, via)
    if notes is not None:
        source.notes = clean_text(notes, "notes")
    session.flush()
    return source


def _free_url(session: Session, source: Source, url: str | None) -> str | None:
    if url is None:
        return None
    rules.check_url_free(session.scalar(
        select(Source.key).where(Source.url == url, Source.id != source.id)))
    return url


def _via(session: Session, source: Source, via: str) -> Source | None:
    if not via.strip():
        return None
    target = get_source(session, via)
    current: Source | None = target
    while current is not None:
        if current.id == source.id:
            raise InvalidError(f"source {source.key!r} cannot come through itself",
                               "name a source it reached us through")
        current = current.via
    return target
