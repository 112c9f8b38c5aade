"""SQLAlchemy 2 typed models: the schema that the newest Alembic revision creates.

Conventions:
- Every constraint and index is named by ``NAMING_CONVENTION`` so migrations can refer to it
  on SQLite and PostgreSQL alike.
- Case-insensitive uniqueness of entity names and aliases is enforced by a unique ``key``
  (the name NFKC-normalised and casefolded in Python) in one ``entity_names`` table, which
  works the same on both engines and for every script, where SQL ``lower()`` would not.
- A claim's status is never stored on the claim: ``status_event_id`` points at the history
  row that holds the current status, so the status can only ever be what the history says.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from claims.vocab import EntityKind, LinkKind, SourceKind, Status

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC without a zone (portable across engines); always hands back aware UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def _in_vocab(column: str, values: type) -> CheckConstraint:
    allowed = ", ".join(f"'{member.value}'" for member in values)  # type: ignore[attr-defined]
    return CheckConstraint(f"{column} IN ({allowed})", name=f"{column}_vocab")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Source(Base):
    __tablename__ = "sources"
    __table_args__ = (_in_vocab("kind", SourceKind),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(Text)
    outlet: Mapped[str] = mapped_column(String(200), index=True)
    url: Mapped[str | None] = mapped_column(Text, unique=True)
    published: Mapped[date | None] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20), default=SourceKind.ARTICLE.value)
    via_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="RESTRICT"))
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    via: Mapped[Source | None] = relationship(remote_side=[id])


class Entity(Base):
    __tablename__ = "entities"
    __table_args__ = (_in_vocab("kind", EntityKind),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    names: Mapped[list[EntityName]] = relationship(
        back_populates="entity", cascade="all, delete-orphan", order_by="EntityName.id"
    )

    @property
    def aliases(self) -> list[str]:
        return [n.name for n in self.names if n.name != self.name]


class EntityName(Base):
    """Every name an entity answers to: its own name and each alias, unique by ``key``."""

    __tablename__ = "entity_names"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity_id: Mapped[int] = mapped_column(
        ForeignKey("entities.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(300))
    key: Mapped[str] = mapped_column(String(300), unique=True)

    entity: Mapped[Entity] = relationship(back_populates="names")


class Claim(Base):
    __tablename__ = "claims"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    quote: Mapped[str | None] = mapped_column(Text)
    speaker_id: Mapped[int | None] = mapped_column(
        ForeignKey("entities.id", ondelete="RESTRICT"), index=True
    )
    source_id: Mapped[int] = mapped_column(
        ForeignKey("sources.id", ondelete="RESTRICT"), index=True
    )
    said_on: Mapped[date | None] = mapped_column(Date, index=True)
    # A stable identity given by an outside data set or the seed file; re-imports match on it.
    external_id: Mapped[str | None] = mapped_column(String(500), unique=True)
    status_event_id: Mapped[int | None] = mapped_column(
        ForeignKey("status_history.id", ondelete="SET NULL", use_alter=True), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    speaker: Mapped[Entity | None] = relationship()
    source: Mapped[Source] = relationship()
    about: Mapped[list[Entity]] = relationship(secondary="claim_entities", order_by="Entity.name")
    tag_rows: Mapped[list[ClaimTag]] = relationship(
        cascade="all, delete-orphan", order_by="ClaimTag.tag"
    )
    history: Mapped[list[StatusEvent]] = relationship(
        back_populates="claim",
        foreign_keys="StatusEvent.claim_id",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="StatusEvent.id",
    )
    status_event: Mapped[StatusEvent | None] = relationship(
        foreign_keys=[status_event_id], post_update=True
    )

    @property
    def status(self) -> Status:
        assert self.status_event is not None, "every claim has a first status event"
        return Status(self.status_event.to_status)

    @property
    def tags(self) -> list[str]:
        return [row.tag for row in self.tag_rows]


class ClaimEntity(Base):
    """What a claim is about."""

    __tablename__ = "claim_entities"

    claim_id: Mapped[int] = mapped_column(
        ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True
    )
    entity_id: Mapped[int] = mapped_column(
        ForeignKey("entities.id", ondelete="RESTRICT"), primary_key=True
    )

    # Lookups go from an entity to its claims, so the reverse order needs its own index.
    __table_args__ = (Index("ix_claim_entities_entity_id_claim_id", "entity_id", "claim_id"),)


class ClaimTag(Base):
    __tablename__ = "claim_tags"

    claim_id: Mapped[int] = mapped_column(
        ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(100), primary_key=True)

    __table_args__ = (Index("ix_claim_tags_tag_claim_id", "tag", "claim_id"),)


class StatusEvent(Base):
    """One status change; rows are only ever added, never edited."""

    __tablename__ = "status_history"
    __table_args__ = (
        _in_vocab("to_status", Status),
        Index("ix_status_history_claim_id_id", "claim_id", "id"),
        Index("ix_status_history_to_status", "to_status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    evidence_id: Mapped[int | None] = mapped_column(
        ForeignKey("sources.id", ondelete="RESTRICT"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    claim: Mapped[Claim] = relationship(back_populates="history", foreign_keys=[claim_id])
    evidence: Mapped[Source | None] = relationship()


class Link(Base):
    __tablename__ = "links"
    __table_args__ = (
        UniqueConstraint("from_id", "kind", "to_id"),
        CheckConstraint("from_id <> to_id", name="not_self"),
        _in_vocab("kind", LinkKind),
        Index("ix_links_to_id", "to_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    from_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    to_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# Schema objects that revisions manage by hand and the models leave out on purpose: the
# full-text index (an FTS5 table and its shadow tables on SQLite; a generated tsvector
# column and its GIN index on PostgreSQL).
UNMODELLED_PREFIXES = ("claims_fts", "search_vector", "ix_claims_search_vector")


def include_in_autogenerate(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Alembic ``include_object`` hook: compare everything but the hand-managed objects."""
    return not (reflected and compare_to is None and (name or "").startswith(UNMODELLED_PREFIXES))
