"""claims.text_copy and a unique index: one claim per source and normalised text

Revision ID: 0006
Revises: 0003
Create Date: 2026-12-01

"Same source, same normalised text" used to be checked by a read before the insert. Two
writers on PostgreSQL both read "no such claim" and both inserted (concurrent imports of
one file doubled it). The rule now lives in the database: a unique index on
``(source_id, text_hash, text_copy)``. ``text_copy`` is 0 for every ordinary claim; a claim
added with ``--force`` beside one with the same text gets the next free number, which is
what tells the two apart.

Duplicates already stored (forced, or left by the race) are kept, numbered 1, 2, ... in id
order after the first of each group, so the index can be built without losing a row.
The column is added in place (no batch rebuild on SQLite, so 0002's FTS triggers stay).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "uq_claims_source_id_text_hash_text_copy"


def upgrade() -> None:
    op.add_column("claims", sa.Column("text_copy", sa.Integer(), nullable=False,
                                      server_default=sa.text("0")))
    _number_duplicates()
    op.create_index(INDEX, "claims", ["source_id", "text_hash", "text_copy"], unique=True)


def downgrade() -> None:
    op.drop_index(INDEX, table_name="claims")
    # Plain ALTER TABLE (SQLite 3.35+), as in 0003: batch mode would lose the FTS triggers.
    op.execute("ALTER TABLE claims DROP COLUMN text_copy")


def _number_duplicates() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT c.id, c.source_id, c.text_hash FROM claims c JOIN ("
        " SELECT source_id, text_hash FROM claims WHERE text_hash IS NOT NULL"
        " GROUP BY source_id, text_hash HAVING count(*) > 1) d"
        " ON c.source_id = d.source_id AND c.text_hash = d.text_hash"
        " ORDER BY c.source_id, c.text_hash, c.id")).all()
    updates, group, copy = [], None, 0
    for claim_id, source_id, hashed in rows:
        copy = copy + 1 if (source_id, hashed) == group else 0
        group = (source_id, hashed)
        if copy:
            updates.append({"id": claim_id, "copy": copy})
    if updates:
        bind.execute(sa.text("UPDATE claims SET text_copy = :copy WHERE id = :id"), updates)
