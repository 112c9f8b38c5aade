"""reviews: fact-checks as records of their own

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

A review is a verdict on a claim by a publisher (our desk or another fact-checker), with
the publisher's label kept verbatim. Reviews by our own desk are the ones that set a
claim's status; ``reviews.status_event_id`` names the history row each one wrote, so
``status_history`` is not altered (no table rebuild on SQLite).

Data: every verdict already in the history (``true`` ... ``false``) was our desk's verdict,
so each becomes a review by our desk (``$CLAIMS_PUBLISHER`` or "Our desk", an organization
entity created if no entity answers to that name), dated the day it was set, with the
history note as its explanation and the status as its label, pointing at that history
row. Statuses, history and every other row stay exactly as they were.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VERDICTS = ("true", "mostly-true", "half-true", "mostly-false", "false")

# Frozen as of revision 0004: claims.settings.desk_name (without its ``given`` argument, which
# this revision never passes) with its variable and default, and claims.names.name_key, as
# they were when this revision was written. Never import them from claims: a later rule for
# names or for the desk must not silently change which entity this revision makes the desk.
PUBLISHER_VAR = "CLAIMS_PUBLISHER"
DEFAULT_PUBLISHER = "Our desk"


def desk_name() -> str:
    """``$CLAIMS_PUBLISHER`` trimmed, else "Our desk"."""
    candidate = os.environ.get(PUBLISHER_VAR)
    if candidate and candidate.strip():
        return candidate.strip()
    return DEFAULT_PUBLISHER


def name_key(name: str) -> str:
    """NFKC, casefolded, runs of white space made one space."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def upgrade() -> None:
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("publisher_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("rating", sa.String(length=20), nullable=False),
        sa.Column("label", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("explanation", sa.Text(), nullable=True),
        sa.Column("language", sa.String(length=35), nullable=True),
        sa.Column("rating_value", sa.Float(), nullable=True),
        sa.Column("best_rating", sa.Float(), nullable=True),
        sa.Column("worst_rating", sa.Float(), nullable=True),
        sa.Column("status_event_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "rating IN ('true', 'mostly-true', 'half-true', 'mostly-false', 'false', "
            "'unverified', 'disputed', 'unproven', 'retracted', 'outdated')",
            name=op.f("ck_reviews_rating_vocab"),
        ),
        sa.ForeignKeyConstraint(["author_id"], ["entities.id"], name=op.f("fk_reviews_author_id_entities"), ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], name=op.f("fk_reviews_claim_id_claims"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["publisher_id"], ["entities.id"], name=op.f("fk_reviews_publisher_id_entities"), ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["status_event_id"], ["status_history.id"], name=op.f("fk_reviews_status_event_id_status_history"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
        sa.UniqueConstraint("status_event_id", name=op.f("uq_reviews_status_event_id")),
    )
    op.create_index(op.f("ix_reviews_author_id"), "reviews", ["author_id"], unique=False)
    op.create_index(op.f("ix_reviews_claim_id_publisher_id"), "reviews", ["claim_id", "publisher_id"], unique=False)
    op.create_index(op.f("ix_reviews_publisher_id"), "reviews", ["publisher_id"], unique=False)
    op.create_index(op.f("ix_reviews_url"), "reviews", ["url"], unique=False)
    _verdicts_become_desk_reviews()


def downgrade() -> None:
    op.drop_index(op.f("ix_reviews_url"), table_name="reviews")
    op.drop_index(op.f("ix_reviews_publisher_id"), table_name="reviews")
    op.drop_index(op.f("ix_reviews_claim_id_publisher_id"), table_name="reviews")
    op.drop_index(op.f("ix_reviews_author_id"), table_name="reviews")
    op.drop_table("reviews")


def _verdicts_become_desk_reviews() -> None:
    """One set-based INSERT: the review takes its history row's id (the table is new and
    empty), so the row and its review are paired without a lookup."""
    bind = op.get_bind()
    verdicts = ", ".join(f"'{v}'" for v in VERDICTS)
    if bind.execute(sa.text(f"SELECT 1 FROM status_history WHERE to_status IN ({verdicts}) "
                            "LIMIT 1")).first() is None:
        return
    desk = _desk_entity(bind)
    day = "date(at)" if bind.dialect.name == "sqlite" else "CAST(at AS DATE)"
    bind.execute(sa.text(
        "INSERT INTO reviews (id, claim_id, publisher_id, rating, label, explanation, "
        f"published, status_event_id, created_at) SELECT id, claim_id, :desk, to_status, "
        f"to_status, note, {day}, id, at FROM status_history WHERE to_status IN ({verdicts})"),
        {"desk": desk})
    if bind.dialect.name == "postgresql":
        bind.execute(sa.text("SELECT setval(pg_get_serial_sequence('reviews', 'id'), "
                             "(SELECT max(id) FROM reviews))"))


def _desk_entity(bind: sa.Connection) -> int:
    name = desk_name()
    key = name_key(name)
    found = bind.execute(sa.text("SELECT entity_id FROM entity_names WHERE key = :key"),
                         {"key": key}).scalar()
    if found is not None:
        return int(found)
    now = datetime.now(UTC).replace(tzinfo=None)
    entity_id = bind.execute(sa.text(
        "INSERT INTO entities (name, kind, created_at) VALUES (:name, 'organization', :now) "
        "RETURNING id"), {"name": name, "now": now}).scalar_one()
    bind.execute(sa.text("INSERT INTO entity_names (entity_id, name, key) "
                         "VALUES (:id, :name, :key)"), {"id": entity_id, "name": name, "key": key})
    return int(entity_id)
