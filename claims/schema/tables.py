"""The schema as SQLAlchemy Core tables: what the newest Alembic revision creates.

The ORM classes of ``claims.schema.models`` are mapped onto these tables, so there is one
definition of the schema. Reads that need no ORM objects (``claims list``, search, export)
use the tables directly, which spares a short-lived CLI process from importing and
configuring the ORM.

Conventions:
- Every constraint and index is named by ``NAMING_CONVENTION`` so migrations can refer to it
  on SQLite and PostgreSQL alike.
- Case-insensitive uniqueness of entity names and aliases is enforced by a unique ``key``
  (the name NFKC-normalised and casefolded in Python) in one ``entity_names`` table, which
  works the same on both engines and for every script, where SQL ``lower()`` would not.
- A claim's status is never stored on the claim: ``status_event_id`` points at the history
  row that holds the current status, so the status can only ever be what the history says.
  The one copy, ``claim_due.claim_status``, is written by the database's own triggers
  (revision 0015), never by the library, as an index is kept.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)

from claims.vocab import EntityKind, LinkKind, Qualifier, SourceKind, Status

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)


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


def _in_vocab(column: str, values: type[Enum]) -> CheckConstraint:
    allowed = ", ".join(f"'{member.value}'" for member in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=f"{column}_vocab")


def _id() -> Column[int]:
    return Column("id", Integer, primary_key=True)


def _created_at(name: str = "created_at") -> Column[datetime]:
    return Column(name, UTCDateTime, nullable=False, default=utcnow)


sources = Table(
    "sources",
    metadata,
    _id(),
    Column("key", String(200), nullable=False, unique=True),
    Column("title", Text, nullable=False),
    Column("outlet", String(200), nullable=False, index=True),
    Column("url", Text, unique=True),
    Column("published", Date),
    Column("kind", String(20), nullable=False, default=SourceKind.ARTICLE.value),
    Column("via_id", ForeignKey("sources.id", ondelete="RESTRICT")),
    Column("notes", Text),
    _created_at(),
    _in_vocab("kind", SourceKind),
    sqlite_autoincrement=True,  # ids never handed out twice (revision 0009)
)

entities = Table(
    "entities",
    metadata,
    _id(),
    Column("name", String(300), nullable=False),
    Column("kind", String(20), nullable=False, index=True),
    Column("description", Text),
    _created_at(),
    _in_vocab("kind", EntityKind),
    sqlite_autoincrement=True,  # ids never handed out twice (revision 0009)
)

# Every name an entity answers to: its own name and each alias, unique by ``key``.
entity_names = Table(
    "entity_names",
    metadata,
    _id(),
    Column("entity_id", ForeignKey("entities.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("name", String(300), nullable=False),
    Column("key", String(300), nullable=False, unique=True),
    sqlite_autoincrement=True,  # ids never handed out twice (revision 0009)
)

claims = Table(
    "claims",
    metadata,
    _id(),
    Column("text", Text, nullable=False),
    # claims.parse.text_hash(text): finds the claims with the same normalised text (import
    # matching, add's duplicate check) by index. The ORM keeps it (claims.schema.models); Core
    # writers set it themselves.
    Column("text_hash", BigInteger, index=True),
    # 0 for every claim but one added with --force beside a claim of the same source and
    # normalised text: the unique index below is the "same source, same text" rule, held
    # by the database under concurrent writers (revision 0006, claims.schema.uniqueness).
    Column("text_copy", Integer, nullable=False, server_default=text("0")),
    Column("quote", Text),
    Column("speaker_id", ForeignKey("entities.id", ondelete="RESTRICT"), index=True),
    Column("source_id", ForeignKey("sources.id", ondelete="RESTRICT"), nullable=False, index=True),
    Column("said_on", Date, index=True),
    # A stable identity given by an outside data set or the seed file; re-imports match on it.
    Column("external_id", String(500), unique=True),
    Column(
        "status_event_id",
        # Deferrable (revision 0012) so an import can write a claim already pointing at the
        # status event it adds next; checked at once unless a writer asks otherwise.
        ForeignKey("status_history.id", ondelete="SET NULL", use_alter=True,
                   deferrable=True, initially="IMMEDIATE"),
        unique=True,
    ),
    _created_at(),
    _created_at("updated_at"),
    Index("uq_claims_source_id_text_hash_text_copy", "source_id", "text_hash", "text_copy",
          unique=True),
    # Ids are never handed out twice, even after a delete (revision 0009, claims.audit.changesets).
    sqlite_autoincrement=True,
)

# What a claim is about. Lookups go from an entity to its claims, so the reverse order
# needs its own index.
claim_entities = Table(
    "claim_entities",
    metadata,
    Column("claim_id", ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True),
    Column("entity_id", ForeignKey("entities.id", ondelete="RESTRICT"), primary_key=True),
    Index("ix_claim_entities_entity_id_claim_id", "entity_id", "claim_id"),
)

claim_tags = Table(
    "claim_tags",
    metadata,
    Column("claim_id", ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True),
    Column("tag", String(100), primary_key=True),
    Index("ix_claim_tags_tag_claim_id", "tag", "claim_id"),
)

# One status change per row; rows are only ever added, never edited.
status_history = Table(
    "status_history",
    metadata,
    _id(),
    Column("claim_id", ForeignKey("claims.id", ondelete="CASCADE"), nullable=False),
    Column("from_status", String(20)),
    Column("to_status", String(20), nullable=False),
    Column("note", Text),
    Column("evidence_id", ForeignKey("sources.id", ondelete="RESTRICT"), index=True),
    _created_at("at"),
    _in_vocab("to_status", Status),
    Index("ix_status_history_claim_id_id", "claim_id", "id"),
    Index("ix_status_history_to_status", "to_status"),
    sqlite_autoincrement=True,  # ids never handed out twice (revision 0009)
)

# A verdict on a claim by a publisher (our desk or another fact-checker): the rating on our
# scale, the publisher's own label verbatim, and the original numeric rating with its scale.
# Only a review by our own desk changes the claim's status (see status_event_id).
reviews = Table(
    "reviews",
    metadata,
    _id(),
    Column("claim_id", ForeignKey("claims.id", ondelete="CASCADE"), nullable=False),
    Column("publisher_id", ForeignKey("entities.id", ondelete="RESTRICT"), nullable=False,
           index=True),
    Column("author_id", ForeignKey("entities.id", ondelete="RESTRICT"), index=True),
    Column("rating", String(20), nullable=False),
    Column("label", Text),
    Column("url", Text, index=True),
    Column("published", Date),
    Column("explanation", Text),
    Column("language", String(35)),
    Column("rating_value", Float),
    Column("best_rating", Float),
    Column("worst_rating", Float),
    # The history row this review wrote: set for our own desk's reviews only, which are the
    # ones that change a claim's status. ``status_history`` itself is left as it was.
    Column("status_event_id", ForeignKey("status_history.id", ondelete="SET NULL"),
           unique=True),
    _created_at(),
    _in_vocab("rating", Status),
    Index("ix_reviews_claim_id_publisher_id", "claim_id", "publisher_id"),
    sqlite_autoincrement=True,  # ids never handed out twice (revision 0009)
)

links = Table(
    "links",
    metadata,
    _id(),
    Column("from_id", ForeignKey("claims.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("to_id", ForeignKey("claims.id", ondelete="CASCADE"), nullable=False),
    Column("note", Text),
    _created_at(),
    UniqueConstraint("from_id", "kind", "to_id"),
    CheckConstraint("from_id <> to_id", name="not_self"),
    _in_vocab("kind", LinkKind),
    Index("ix_links_to_id", "to_id"),
    sqlite_autoincrement=True,  # ids never handed out twice (revision 0009)
)

# --- figures (revision 0005): measures, the quantities claims give for them, due dates ----

# A named series of figures about one entity ("Bushehr 2-3 construction progress"). Values
# are stored in the measure's ``unit`` (None: a plain count); ``tolerance`` is how far two
# sources may differ, in that unit, before a timeline flags them.
measures = Table(
    "measures",
    metadata,
    _id(),
    Column("entity_id", ForeignKey("entities.id", ondelete="RESTRICT"), nullable=False,
           index=True),
    Column("name", String(300), nullable=False),
    Column("unit", String(50)),
    Column("only_grows", Boolean, nullable=False, default=False),
    Column("tolerance", Float, nullable=False, default=0.0),
    Column("description", Text),
    _created_at(),
    sqlite_autoincrement=True,  # ids never handed out twice (revision 0009)
)

# A measure's name and aliases, unique per entity by ``key`` (claims.names.name_key), so
# two entities may each have a "construction progress".
measure_names = Table(
    "measure_names",
    metadata,
    _id(),
    Column("measure_id", ForeignKey("measures.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("entity_id", ForeignKey("entities.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(300), nullable=False),
    Column("key", String(300), nullable=False),
    UniqueConstraint("entity_id", "key"),
    Index("ix_measure_names_key", "key"),
    sqlite_autoincrement=True,  # ids never handed out twice (revision 0009)
)

# One figure a claim gives: ``value`` (and bounds) already converted to the measure's unit,
# ``unit`` and ``written`` as the claim gave them, ``as_of`` the day it holds for (said-on,
# else the source's date, unless given).
# The columns of a figure a timeline reads besides its measure and date (claims.figures.timeline).
TIMELINE_INCLUDES = ("id", "claim_id", "value", "lower", "upper", "qualifier", "written")

quantities = Table(
    "quantities",
    metadata,
    _id(),
    Column("claim_id", ForeignKey("claims.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("measure_id", ForeignKey("measures.id", ondelete="RESTRICT"), nullable=False),
    Column("value", Float, nullable=False),
    Column("lower", Float),
    Column("upper", Float),
    Column("qualifier", String(20)),
    Column("unit", String(50)),
    Column("written", Text, nullable=False),
    Column("as_of", Date),
    _created_at(),
    _in_vocab("qualifier", Qualifier),
    # On PostgreSQL this index also INCLUDEs TIMELINE_INCLUDES (revision 0013), so a
    # measure's figures come from the index alone. Not declared here: a postgresql_include
    # makes SQLAlchemy import its PostgreSQL dialect when this module loads, 45 ms of
    # every command on SQLite; tests/test_migrations_speed.py checks the index instead.
    Index("ix_quantities_measure_id_as_of", "measure_id", "as_of"),
    sqlite_autoincrement=True,  # ids never handed out twice (revision 0009)
)

# When a claim about the future (a promise, a prediction) comes due. A table of its own
# rather than a column: SQLite keeps the FTS triggers of 0002 on ``claims`` untouched.
claim_due = Table(
    "claim_due",
    metadata,
    Column("claim_id", ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True),
    Column("due_on", Date, nullable=False),
    # The claim's current status, kept by triggers on claims, status_history and this table
    # (revision 0015; nothing else writes it) so that ``due --overdue`` tells open promises
    # from kept or broken ones from this table's index alone: at a million claims, looking
    # up every past-due claim and its status event was most of PostgreSQL's time.
    Column("claim_status", String(20)),
    Index("ix_claim_due_due_on_claim_id_claim_status", "due_on", "claim_id", "claim_status"),
)


# --- the audit log (revision 0009; written by claims.audit.changesets and by triggers) ------------

# One row per write transaction: who, when, the command as typed (secrets masked).
change_sets = Table(
    "change_sets",
    metadata,
    _id(),
    Column("at", UTCDateTime, nullable=False, index=True),
    Column("actor", String(200), nullable=False, index=True),
    Column("command", Text),
    # What kind of write it was when not a plain command: start, undo, restore, purge.
    Column("action", String(20)),
    # Set on an undo (and a restore): the change set it reverts. Unique, so two concurrent
    # undos of one change set cannot both commit.
    Column("undoes_id", ForeignKey("change_sets.id", ondelete="RESTRICT"), unique=True),
)

# One row per row touched, written by triggers on every tracked table (so ORM, Core bulk
# writes and outside writers are all caught). ``before``/``after`` are JSON objects: a
# delete keeps the whole row in ``before``, an update the changed fields on both sides, an
# insert nothing (the row itself holds its content). The id columns are copies of the row's
# own references, for filtering the log; they are not foreign keys (rows come and go).
changes = Table(
    "changes",
    metadata,
    _id(),
    # NULL: written outside the library (a sqlite3 shell, psql).
    Column("change_set_id", ForeignKey("change_sets.id", ondelete="RESTRICT"), index=True),
    Column("kind", String(40), nullable=False),
    Column("row_key", String(400), nullable=False),
    Column("op", String(10), nullable=False),
    Column("before", Text),
    Column("after", Text),
    Column("claim_id", Integer, index=True),
    Column("other_claim_id", Integer, index=True),
    Column("entity_id", Integer, index=True),
    Column("source_id", Integer, index=True),
    # Content fields set to null by 'claims delete --purge'.
    Column("purged", Integer, nullable=False, default=0, server_default="0"),
    # Set on an entry for many rows that a bulk write inserted (an import's new claims):
    # every row of ``kind`` this change set inserted whose id (a claim's id, for its
    # entities and tags) lies from ``key_from`` to ``key_to``; ``row_count`` of them.
    Column("key_from", Integer),
    Column("key_to", Integer),
    Column("row_count", Integer),
    Index("ix_changes_kind_row_key", "kind", "row_key"),
    Index("ix_changes_kind_key_from", "kind", "key_from"),
)

# SQLite only: the open change set of the one write transaction (SQLite has one writer at a
# time), for the triggers to read. Empty outside a library write. PostgreSQL uses a
# transaction-local setting instead.
audit_session = Table(
    "audit_session",
    metadata,
    Column("change_set_id", Integer, primary_key=True, autoincrement=False),
)

# Schema objects that revisions manage by hand and the tables leave out on purpose: the
# full-text index (an FTS5 table and its shadow tables on SQLite; a generated tsvector
# column and its GIN index on PostgreSQL).
UNMODELLED_PREFIXES = ("claims_fts", "search_vector", "ix_claims_search_vector")


def include_in_autogenerate(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Alembic ``include_object`` hook: compare everything but the hand-managed objects."""
    return not (reflected and compare_to is None and (name or "").startswith(UNMODELLED_PREFIXES))
