"""claims.text_hash: the normalised text's hash, indexed

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28

Import matches a record without an external id to the stored claim with the same source
and normalised text, and ``claims add`` refuses a text its source already holds. Both
used to search by a few exact spellings through the ``source_id`` index, reading every
claim of each source: slower as a database grows, and blind to a stored text differing in
case or punctuation. ``text_hash`` (``claims.parse.text_hash``) makes both one lookup in
``ix_claims_text_hash``, exact up to the normalisation.

The column is added in place (no batch rebuild on SQLite, so 0002's FTS triggers stay)
and left nullable for that reason; every writer fills it, and this revision fills the
claims already stored, computing the hash in Python as the application does.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from claims.parse import text_hash

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BACKFILL_CHUNK = 10_000


def upgrade() -> None:
    op.add_column("claims", sa.Column("text_hash", sa.BigInteger(), nullable=True))
    _backfill()
    op.create_index(op.f("ix_claims_text_hash"), "claims", ["text_hash"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_claims_text_hash"), table_name="claims")
    # Plain ALTER TABLE (SQLite 3.35+): batch mode would rebuild the table and lose the
    # FTS triggers of 0002.
    op.execute("ALTER TABLE claims DROP COLUMN text_hash")


def _backfill() -> None:
    """Hashes the stored claims in chunks of ids (the index comes after: one build, not a
    million index updates)."""
    bind = op.get_bind()
    last = 0
    while True:
        rows = bind.execute(
            sa.text("SELECT id, text FROM claims WHERE id > :last ORDER BY id LIMIT :n"),
            {"last": last, "n": BACKFILL_CHUNK},
        ).all()
        if not rows:
            return
        bind.execute(
            sa.text("UPDATE claims SET text_hash = :hash WHERE id = :id"),
            [{"id": claim_id, "hash": text_hash(text)} for claim_id, text in rows],
        )
        last = rows[-1][0]

