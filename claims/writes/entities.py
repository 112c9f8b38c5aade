"""Entity writes: create, alias, edit, merge. Like every write in ``claims.writes``, each
works inside the caller's ``Database.write()`` transaction."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from claims.errors import ConflictError, InvalidError
from claims.names import clean_name, name_key, resolve_entity
from claims.parse import clean_text
from claims.schema.models import Claim, ClaimEntity, Entity, EntityName
from claims.schema.tables import measure_names, metadata
from claims.vocab import EntityKind, parse_choice
from claims.writes import rules


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
        rules.check_name_free(display, owner.name if owner is not None else None,
                              own=owner is None or owner is entity)
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
    _repoint_references(session, source.id, target.id)
    session.flush()
    session.expire_all()
    session.delete(session.get(Entity, source.id))
    session.flush()
    return target


def _repoint_references(session: Session, from_id: int, to_id: int) -> None:
    """Every other row naming the merged entity (measures, reviews' publishers and authors,
    and any table added later) names the one it was merged into. Measure names are unique
    per entity, so a name both entities use for a measure is refused first."""
    clash = select(measure_names.c.name).where(
        measure_names.c.entity_id == from_id,
        measure_names.c.key.in_(select(measure_names.c.key)
                                .where(measure_names.c.entity_id == to_id)))
    taken = session.scalars(clash).first()
    if taken is not None:
        raise ConflictError(f"both entities have a measure named {taken!r}",
                            "measure names are unique per entity; rename one first")
    handled = {"entity_names", "claim_entities", "claims"}
    for table in metadata.sorted_tables:
        if table.name in handled:
            continue
        for column in table.columns:
            if any(fk.column.table.name == "entities" for fk in column.foreign_keys):
                session.execute(update(table).where(column == from_id).values({column.name: to_id}))
