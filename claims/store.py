"""Writes. Each function works inside the caller's transaction (``Database.write()``), so
a command that fails part-way leaves nothing behind: the whole transaction rolls back."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from claims.errors import ConflictError, InvalidError, NotFoundError
from claims.models import (
    Claim,
    ClaimEntity,
    ClaimTag,
    Entity,
    EntityName,
    Link,
    Source,
    StatusEvent,
    utcnow,
)
from claims.names import clean_name, find_entity, name_key, near_misses, resolve_entity
from claims.parse import clean_tag, clean_text, parse_date
from claims.query import no_source
from claims.vocab import DEFAULT_STATUS, EntityKind, LinkKind, SourceKind, Status, parse_choice

# --- sources ------------------------------------------------------------------------------


def get_source(session: Session, key: str) -> Source:
    source = session.scalar(select(Source).where(Source.key == key.strip()))
    if source is None:
        raise no_source(key)
    return source


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
    key = clean_source_key(key)
    if session.scalar(select(exists().where(Source.key == key))):
        raise ConflictError(f"source key {key!r} is taken", "choose another key")
    url = clean_text(url, "URL")
    taken_by = session.scalar(select(Source.key).where(Source.url == url)) if url else None
    if taken_by is not None:
        raise ConflictError(f"URL already belongs to source {taken_by!r}", "use that source")
    source = Source(
        key=key,
        title=clean_text(title, "title", required=True),
        outlet=clean_text(outlet, "outlet", required=True),
        url=url,
        published=parse_date(published, "published date"),
        kind=parse_choice(SourceKind, kind, "source kind").value,
        via=get_source(session, via) if via else None,
        notes=clean_text(notes, "notes"),
    )
    session.add(source)
    session.flush()
    return source


def clean_source_key(key: str) -> str:
    """A source key as stored: trimmed, non-empty, no white space (it is typed in shells)."""
    cleaned = clean_text(key, "source key", required=True)
    assert cleaned is not None
    if any(ch.isspace() for ch in cleaned):
        raise InvalidError(f"source key {key!r} contains spaces", "use a slug like menafn-treaty")
    return cleaned


# --- entities -----------------------------------------------------------------------------


def add_entity(
    session: Session,
    name: str,
    *,
    kind: str | EntityKind,
    aliases: Iterable[str] = (),
    description: str | None = None,
) -> Entity:
    """Create exactly this entity; fails if the name or any alias is already someone's."""
    entity = Entity(
        name=clean_name(name),
        kind=parse_choice(EntityKind, kind, "entity kind").value,
        description=clean_text(description, "description"),
    )
    session.add(entity)
    _add_name(session, entity, entity.name)
    for alias in aliases:
        _add_name(session, entity, alias)
    session.flush()
    return entity


def add_alias(session: Session, name: str, alias: str) -> Entity:
    entity = resolve_entity(session, name)
    _add_name(session, entity, alias)
    session.flush()
    return entity


def edit_entity(
    session: Session,
    name: str,
    *,
    kind: str | EntityKind | None = None,
    description: str | None = None,
) -> Entity:
    entity = resolve_entity(session, name)
    if kind is not None:
        entity.kind = parse_choice(EntityKind, kind, "entity kind").value
    if description is not None:
        entity.description = clean_text(description, "description")
    session.flush()
    return entity


def _add_name(session: Session, entity: Entity, name: str) -> None:
    display = clean_name(name, "alias")
    key = name_key(display)
    owner = session.scalar(select(Entity).join(EntityName).where(EntityName.key == key))
    pending = any(n.key == key for n in entity.names)
    if owner is not None or pending:
        whose = "its own" if owner is None or owner is entity else f"{owner.name!r}"
        raise ConflictError(f"the name {display!r} is already {whose} name or alias",
                            "names and aliases are unique, ignoring case")
    entity.names.append(EntityName(name=display, key=key))


def merge_entities(session: Session, source_name: str, target_name: str) -> Entity:
    """Move every claim and alias of one entity to another; the old name becomes an alias."""
    source = resolve_entity(session, source_name)
    target = resolve_entity(session, target_name)
    if source.id == target.id:
        raise InvalidError(f"{source_name!r} and {target_name!r} are the same entity",
                           "name two different entities")
    session.execute(update(Claim).where(Claim.speaker_id == source.id).values(speaker_id=target.id))
    # A claim about both keeps one row: drop the ones that would collide, move the rest.
    already = select(ClaimEntity.claim_id).where(ClaimEntity.entity_id == target.id)
    session.execute(
        delete(ClaimEntity).where(ClaimEntity.entity_id == source.id,
                                  ClaimEntity.claim_id.in_(already))
    )
    session.execute(
        update(ClaimEntity).where(ClaimEntity.entity_id == source.id).values(entity_id=target.id)
    )
    session.execute(
        update(EntityName).where(EntityName.entity_id == source.id).values(entity_id=target.id)
    )
    session.flush()
    session.expire_all()
    session.delete(session.get(Entity, source.id))
    session.flush()
    return target


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
            suggestions = near_misses(self.session, display)
            if suggestions:
                shown = " or ".join(repr(s) for s in suggestions)
                raise InvalidError(
                    f"unknown name {display!r}: did you mean {shown}?",
                    "fix the spelling, or pass --new to create it",
                )
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


def get_claim(session: Session, claim_id: int) -> Claim:
    claim = session.get(Claim, claim_id)
    if claim is None:
        from claims.changelog import missing_claim_error

        raise missing_claim_error(session, claim_id)
    return claim


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
    # Imported here: claims.search reads through claims.query, which imports this module.
    from claims.search import check_new_claim

    status = parse_choice(Status, status, "status")
    claim_text = clean_text(text, "claim text", required=True)
    claim_source = get_source(session, source)
    assert claim_text is not None
    duplicates = check_new_claim(session, claim_text, claim_source.id, force=force)
    resolve = _NameResolver(session, allow_new_names)
    now = utcnow()
    claim = Claim(
        text=claim_text,
        quote=clean_text(quote, "quote"),
        source=claim_source,
        said_on=parse_date(said_on, "said-on date"),
        external_id=clean_text(external_id, "external id"),
        speaker=resolve(speaker) if clean_text(speaker, "speaker") else None,
        created_at=now,
        updated_at=now,
    )
    claim.about = _unique(resolve(name) for name in about)
    claim.tag_rows = [ClaimTag(tag=t) for t in sorted({clean_tag(t) for t in tags})]
    session.add(claim)
    _flush(session, claim)
    _append_status(session, claim, status, note=note, evidence=None)
    return WriteResult(claim, resolve.created, duplicates.warnings(claim.id))


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
        claim.text = clean_text(text, "claim text", required=True)  # type: ignore[assignment]
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
    event = StatusEvent(
        claim=claim,
        from_status=previous,
        to_status=status.value,
        note=clean_text(note, "note"),
        evidence=evidence,
        at=utcnow(),
    )
    session.add(event)
    session.flush()
    claim.status_event = event
    session.flush()
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
    if from_id == to_id:
        raise InvalidError(f"claim {from_id} cannot be linked to itself", "name two claims")
    get_claim(session, from_id)
    get_claim(session, to_id)
    if find_link(session, from_id, link_kind, to_id) is not None:
        raise ConflictError(f"claim {from_id} already {link_kind.value} claim {to_id}",
                            "see 'claims show ID'")
    if link_kind is LinkKind.UPDATES and _updates_path_exists(session, to_id, from_id):
        raise ConflictError(
            f"claim {to_id} already updates claim {from_id}, directly or through others",
            "an 'updates' chain cannot loop back on itself",
        )
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
    forward = (Link.from_id == from_id) & (Link.to_id == to_id)
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
