"""The ORM classes, mapped onto the Core tables of ``claims.schema.tables`` (one schema definition;
see that module for the conventions). Writes go through these; reads that build plain
records use the tables.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import event
from sqlalchemy.orm import DeclarativeBase, Mapped, relationship

from claims.parse import text_hash
from claims.schema import tables
from claims.schema.tables import UNMODELLED_PREFIXES, include_in_autogenerate, utcnow
from claims.vocab import Status

__all__ = [
    "UNMODELLED_PREFIXES",
    "Base",
    "Claim",
    "ClaimEntity",
    "ClaimTag",
    "Entity",
    "EntityName",
    "Link",
    "Source",
    "StatusEvent",
    "include_in_autogenerate",
    "utcnow",
]


class Base(DeclarativeBase):
    metadata = tables.metadata


class Source(Base):
    __table__ = tables.sources

    id: Mapped[int]
    key: Mapped[str]
    title: Mapped[str]
    outlet: Mapped[str]
    url: Mapped[str | None]
    published: Mapped[date | None]
    kind: Mapped[str]
    via_id: Mapped[int | None]
    notes: Mapped[str | None]
    created_at: Mapped[datetime]

    via: Mapped[Source | None] = relationship(remote_side=[tables.sources.c.id])


class Entity(Base):
    __table__ = tables.entities

    id: Mapped[int]
    name: Mapped[str]
    kind: Mapped[str]
    description: Mapped[str | None]
    created_at: Mapped[datetime]

    names: Mapped[list[EntityName]] = relationship(
        back_populates="entity", cascade="all, delete-orphan", order_by="EntityName.id"
    )

    @property
    def aliases(self) -> list[str]:
        return [n.name for n in self.names if n.name != self.name]


class EntityName(Base):
    """Every name an entity answers to: its own name and each alias, unique by ``key``."""

    __table__ = tables.entity_names

    id: Mapped[int]
    entity_id: Mapped[int]
    name: Mapped[str]
    key: Mapped[str]

    entity: Mapped[Entity] = relationship(back_populates="names")


class Claim(Base):
    __table__ = tables.claims

    id: Mapped[int]
    text: Mapped[str]
    text_hash: Mapped[int | None]
    text_copy: Mapped[int]
    quote: Mapped[str | None]
    speaker_id: Mapped[int | None]
    source_id: Mapped[int]
    said_on: Mapped[date | None]
    external_id: Mapped[str | None]
    status_event_id: Mapped[int | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    speaker: Mapped[Entity | None] = relationship()
    source: Mapped[Source] = relationship()
    about: Mapped[list[Entity]] = relationship(secondary="claim_entities", order_by="Entity.name")
    tag_rows: Mapped[list[ClaimTag]] = relationship(
        cascade="all, delete-orphan", order_by="ClaimTag.tag"
    )
    history: Mapped[list[StatusEvent]] = relationship(
        back_populates="claim",
        foreign_keys=[tables.status_history.c.claim_id],
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="StatusEvent.id",
    )
    status_event: Mapped[StatusEvent | None] = relationship(
        foreign_keys=[tables.claims.c.status_event_id], post_update=True
    )

    @property
    def status(self) -> Status:
        assert self.status_event is not None, "every claim has a first status event"
        return Status(self.status_event.to_status)

    @property
    def tags(self) -> list[str]:
        return [row.tag for row in self.tag_rows]


@event.listens_for(Claim.text, "set")
def _keep_text_hash(claim: Claim, value: str, _old: object, _initiator: object) -> None:
    claim.text_hash = text_hash(value)


class ClaimEntity(Base):
    """What a claim is about."""

    __table__ = tables.claim_entities

    claim_id: Mapped[int]
    entity_id: Mapped[int]


class ClaimTag(Base):
    __table__ = tables.claim_tags

    claim_id: Mapped[int]
    tag: Mapped[str]


class StatusEvent(Base):
    """One status change; rows are only ever added, never edited."""

    __table__ = tables.status_history

    id: Mapped[int]
    claim_id: Mapped[int]
    from_status: Mapped[str | None]
    to_status: Mapped[str]
    note: Mapped[str | None]
    evidence_id: Mapped[int | None]
    at: Mapped[datetime]

    claim: Mapped[Claim] = relationship(
        back_populates="history", foreign_keys=[tables.status_history.c.claim_id]
    )
    evidence: Mapped[Source | None] = relationship()


class Link(Base):
    __table__ = tables.links

    id: Mapped[int]
    from_id: Mapped[int]
    kind: Mapped[str]
    to_id: Mapped[int]
    note: Mapped[str | None]
    created_at: Mapped[datetime]
