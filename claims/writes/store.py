"""Writes. Each function works inside the caller's transaction (``Database.write()``), so
a command that fails part-way leaves nothing behind: the whole transaction rolls back."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import ColumnElement, exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from claims.errors import ConflictError, InvalidError, NotFoundError
from claims.names import clean_name, find_entity, near_misses, resolve_entity
from claims.parse import clean_tag, clean_text, parse_date
from claims.reads.duplicates import check_new_claim
from claims.reads.lookup import get_claim, get_source
from claims.schema.models import (
    Claim,
    ClaimTag,
    Entity,
    Link,
    Source,
    StatusEvent,
)
from claims.schema.tables import utcnow
from claims.vocab import DEFAULT_STATUS, EntityKind, LinkKind, SourceKind, Status, parse_choice
from claims.writes import rules
from claims.writes.entities import add_entity
from claims.writes.statuses import NewStatus, append_statuses

# --- sources ------------------------------------------------------------------------------


def add_source(
    session: Session,
    key: str,
    *,
    title: str,
    outlet: str,
    url: str | None = None,
    published: str | date | None = None,
    kind: str | SourceKind = SourceKind.ARTICLE,
    via: str | None = None,
    notes: str | None = None,
) -> Source:
    fields = rules.source_fields(key, title=title, outlet=outlet, url=url, published=published,
                                 kind=kind, via=via, notes=notes)
    rules.check_key_free(fields.key, bool(session.scalar(
        select(exists().where(Source.key == fields.key)))))
    if fields.url:
        rules.check_url_free(session.scalar(select(Source.key).where(Source.url == fields.url)))
    source = Source(
        key=fields.key,
        title=fields.title,
        outlet=fields.outlet,
        url=fields.url,
        published=fields.published,
        kind=fields.kind,
        via=get_source(session, fields.via) if fields.via else None,
        notes=fields.notes,
    )
    session.add(source)
    session.flush()
    return source


# --- claims -------------------------------------------------------------------------------


@dataclass
class WriteResult:
    """A written claim and the entities that writing it created (for the caller to report)."""

    claim: Claim
    created_entities: list[Entity] = field(default_factory=list)
    # Same or similar claims already stored (add_claim), one sentence each, for the user.
    warnings: list[str] = field(default_factory=list)


class _NameResolver:
    """Finds or creates the entities a write names, refusing likely typos unless forced."""

    def __init__(self, session: Session, allow_new: bool) -> None:
        self.session = session
        self.allow_new = allow_new
        self.created: list[Entity] = []

    def __call__(self, name: str) -> Entity:
        display = clean_name(name)
        found = find_entity(self.session, display)
        if found is not None:
            return found
        if not self.allow_new:
            rules.check_not_likely_typo(display, near_misses(self.session, display))
        try:
            # A savepoint: if a concurrent writer (PostgreSQL) created the same name since
            # we looked, use theirs rather than fail the whole command.
            with self.session.begin_nested():
                entity = add_entity(self.session, display, kind=EntityKind.OTHER)
        except (IntegrityError, ConflictError):
            found = find_entity(self.session, display)
            if found is None:
                raise
            return found
        self.created.append(entity)
        return entity


def add_claim(
    session: Session,
    text: str,
    *,
    source: str,
    speaker: str | None = None,
    about: Sequence[str] = (),
    status: str | Status = DEFAULT_STATUS,
    quote: str | None = None,
    said_on: str | date | None = None,
    tags: Sequence[str] = (),
    note: str | None = None,
    external_id: str | None = None,
    allow_new_names: bool = False,
    force: bool = False,
) -> WriteResult:
    """Record a claim with its first status event. Unknown names become new entities.

    Refuses (ConflictError) a text that, normalised, equals a claim from the same source,
    unless ``force``; same text elsewhere and similar claims become ``warnings``."""
    status = parse_choice(Status, status, "status")
    claim_text = clean_text(text, "claim text", required=True)
    claim_source = get_source(session, source)
    duplicates = check_new_claim(session, claim_text, claim_source.id, force=force)
    resolve = _NameResolver(session, allow_new_names)
    now = utcnow()
    claim = Claim(
        text=claim_text,
        quote=clean_text(quote, "quote"),
        source=claim_source,
        said_on=parse_date(said_on, "said-on date"),
        external_id=clean_text(external_id, "external id"),
        speaker=resolve(named) if (named := clean_text(speaker, "speaker")) else None,
        created_at=now,
        updated_at=now,
        text_copy=_forced_copy(session, claim_source.id, claim_text) if force else 0,
    )
    claim.about = _unique(resolve(name) for name in about)
    claim.tag_rows = [ClaimTag(tag=t) for t in sorted({clean_tag(t) for t in tags})]
    session.add(claim)
    _flush(session, claim)
    _append_status(session, claim, status, note=note, evidence=None)
    return WriteResult(claim, resolve.created, duplicates.warnings(claim.id))


def _forced_copy(session: Session, source_id: int, claim_text: str) -> int:
    from claims.parse import text_hash
    from claims.schema.uniqueness import next_copy

    return next_copy(session, source_id, text_hash(claim_text))


def edit_claim(
    session: Session,
    claim_id: int,
    *,
    text: str | None = None,
    quote: str | None = None,
    speaker: str | None = None,
    add_about: Sequence[str] = (),
    remove_about: Sequence[str] = (),
    add_tags: Sequence[str] = (),
    remove_tags: Sequence[str] = (),
    said_on: str | date | None = None,
    allow_new_names: bool = False,
) -> WriteResult:
    """Change what is given; ``None`` leaves a field alone, ``""`` clears an optional one."""
    claim = get_claim(session, claim_id)
    resolve = _NameResolver(session, allow_new_names)
    if text is not None:
        claim.text = clean_text(text, "claim text", required=True)
    if quote is not None:
        claim.quote = clean_text(quote, "quote")
    if speaker is not None:
        claim.speaker = resolve(speaker) if clean_text(speaker, "speaker") else None
    if said_on is not None:
        claim.said_on = parse_date(said_on, "said-on date")
    _edit_about(session, claim, resolve, add_about, remove_about)
    _edit_tags(claim, add_tags, remove_tags)
    claim.updated_at = utcnow()
    _flush(session, claim)
    return WriteResult(claim, resolve.created)


def _edit_about(
    session: Session,
    claim: Claim,
    resolve: _NameResolver,
    add: Sequence[str],
    remove: Sequence[str],
) -> None:
    for name in remove:
        entity = resolve_entity(session, name)
        if entity not in claim.about:
            raise InvalidError(f"claim {claim.id} is not about {entity.name!r}",
                               "see 'claims show ID'")
        claim.about.remove(entity)
    for name in add:
        entity = resolve(name)
        if entity not in claim.about:
            claim.about.append(entity)


def _edit_tags(claim: Claim, add: Sequence[str], remove: Sequence[str]) -> None:
    current = {row.tag: row for row in claim.tag_rows}
    for tag in map(clean_tag, remove):
        if tag not in current:
            raise InvalidError(f"claim {claim.id} has no tag {tag!r}", "see 'claims show ID'")
        claim.tag_rows.remove(current.pop(tag))
    for tag in map(clean_tag, add):
        if tag not in current:
            current[tag] = ClaimTag(tag=tag)
            claim.tag_rows.append(current[tag])


def set_status(
    session: Session,
    claim_id: int,
    status: str | Status,
    *,
    note: str | None = None,
    evidence: str | None = None,
) -> StatusEvent:
    """Append a status change to the claim's history; the history row becomes current."""
    new = parse_choice(Status, status, "status")
    get_claim(session, claim_id)
    evidence_source = get_source(session, evidence) if evidence else None
    # Lock the claim row where the engine can (FOR UPDATE; SQLite's BEGIN IMMEDIATE already
    # serialises writers), so two concurrent changes queue up in order, and re-read it once
    # locked: a status_event_id read before the lock may already have been replaced.
    claim = session.get(Claim, claim_id, with_for_update=True, populate_existing=True)
    assert claim is not None, "the row was there and cannot vanish while we hold the lock"
    session.refresh(claim, ["status_event"])
    event = _append_status(session, claim, new, note=note, evidence=evidence_source)
    claim.updated_at = event.at
    session.flush()
    return event


def _append_status(
    session: Session,
    claim: Claim,
    status: Status,
    *,
    note: str | None,
    evidence: Source | None,
) -> StatusEvent:
    previous = claim.status_event.to_status if claim.status_event else None
    session.flush()
    [event_id] = append_statuses(session, claim.id, previous, [NewStatus(
        status.value, clean_text(note, "note"), evidence.id if evidence else None)])
    # The row and the claim's pointer were written in Core: the ORM's copy of the pointer is
    # old (only that: the claim's other fields are as the ORM holds them).
    session.expire(claim, ["status_event_id", "status_event"])
    event = session.get(StatusEvent, event_id)
    assert event is not None, "just written in this transaction"
    return event


def delete_claim(session: Session, claim_id: int) -> None:
    claim = get_claim(session, claim_id)
    # The claim points at its current history row and the rows point back; clear the
    # pointer first so the cascade can remove the rows in any order.
    claim.status_event = None
    session.flush()
    session.delete(claim)
    session.flush()


# --- links --------------------------------------------------------------------------------


def link_claims(
    session: Session, from_id: int, kind: str | LinkKind, to_id: int, *, note: str | None = None
) -> Link:
    """Link two claims. Refuses self-links, duplicates (both ways for symmetric kinds) and
    any ``updates`` link that would close a cycle. Never touches either claim's status."""
    link_kind = parse_choice(LinkKind, kind, "link kind")
    rules.check_not_self_link(from_id, to_id)
    get_claim(session, from_id)
    get_claim(session, to_id)
    if find_link(session, from_id, link_kind, to_id) is not None:
        raise ConflictError(f"claim {from_id} already {link_kind.value} claim {to_id}",
                            "see 'claims show ID'")
    if link_kind is LinkKind.UPDATES:
        rules.check_no_updates_loop(from_id, to_id, _updates_path_exists(session, to_id, from_id))
    link = Link(from_id=from_id, kind=link_kind.value, to_id=to_id,
                note=clean_text(note, "note"), created_at=utcnow())
    session.add(link)
    session.flush()
    return link


def unlink_claims(session: Session, from_id: int, kind: str | LinkKind, to_id: int) -> None:
    link_kind = parse_choice(LinkKind, kind, "link kind")
    link = find_link(session, from_id, link_kind, to_id)
    if link is None:
        raise NotFoundError(f"no link: {from_id} {link_kind.value} {to_id}",
                            "see 'claims show ID' for its links")
    session.delete(link)
    session.flush()


def find_link(session: Session, from_id: int, kind: LinkKind, to_id: int) -> Link | None:
    forward: ColumnElement[bool] = (Link.from_id == from_id) & (Link.to_id == to_id)
    if kind.symmetric:
        forward = or_(forward, (Link.from_id == to_id) & (Link.to_id == from_id))
    return session.scalar(select(Link).where(Link.kind == kind.value, forward))


def _updates_path_exists(session: Session, start: int, goal: int) -> bool:
    """Whether ``start`` reaches ``goal`` following ``updates`` links forward."""
    step = (
        select(Link.to_id.label("id"))
        .where(Link.kind == LinkKind.UPDATES.value, Link.from_id == start)
        .cte("reach", recursive=True)
    )
    step = step.union(
        select(Link.to_id).where(Link.kind == LinkKind.UPDATES.value, Link.from_id == step.c.id)
    )
    return bool(session.scalar(select(func.count()).where(step.c.id == goal)))


# --- helpers ------------------------------------------------------------------------------


def _unique(entities: Iterable[Entity]) -> list[Entity]:
    seen: dict[int, Entity] = {}
    for entity in entities:
        seen.setdefault(id(entity), entity)
    return list(seen.values())


def _flush(session: Session, claim: Claim) -> None:
    try:
        session.flush()
    except IntegrityError as exc:
        if "external_id" in str(exc.orig):
            raise ConflictError(f"external id {claim.external_id!r} is taken",
                                "each external id names one claim") from None
        raise
