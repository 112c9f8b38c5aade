"""figures: measures and their names, quantities on claims, due dates of claims

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-01

Only new tables: nothing on ``claims`` changes, so SQLite keeps the FTS triggers of 0002
(a batch rebuild of ``claims`` would drop them). A claim's due date lives in
``claim_due`` rather than in a new ``claims`` column for the same reason and because most
claims have none. The downgrade drops the four tables and leaves every other row alone.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

QUALIFIERS = "'about', 'at-least', 'more-than', 'at-most', 'less-than', 'up-to'"


def upgrade() -> None:
    op.create_table(
        "measures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("unit", sa.String(length=50), nullable=True),
        sa.Column("only_grows", sa.Boolean(), nullable=False),
        sa.Column("tolerance", sa.Float(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["entity_id"], ["entities.id"], name=op.f("fk_measures_entity_id_entities"), ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measures")),
    )
    op.create_index(op.f("ix_measures_entity_id"), "measures", ["entity_id"], unique=False)

    op.create_table(
        "measure_names",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(["entity_id"], ["entities.id"], name=op.f("fk_measure_names_entity_id_entities"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["measure_id"], ["measures.id"], name=op.f("fk_measure_names_measure_id_measures"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measure_names")),
        sa.UniqueConstraint("entity_id", "key", name=op.f("uq_measure_names_entity_id_key")),
    )
    op.create_index(op.f("ix_measure_names_measure_id"), "measure_names", ["measure_id"], unique=False)
    op.create_index(op.f("ix_measure_names_key"), "measure_names", ["key"], unique=False)

    op.create_table(
        "quantities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("lower", sa.Float(), nullable=True),
        sa.Column("upper", sa.Float(), nullable=True),
        sa.Column("qualifier", sa.String(length=20), nullable=True),
        sa.Column("unit", sa.String(length=50), nullable=True),
        sa.Column("written", sa.Text(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(f"qualifier IN ({QUALIFIERS})", name=op.f("ck_quantities_qualifier_vocab")),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], name=op.f("fk_quantities_claim_id_claims"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["measure_id"], ["measures.id"], name=op.f("fk_quantities_measure_id_measures"), ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quantities")),
    )
    op.create_index(op.f("ix_quantities_claim_id"), "quantities", ["claim_id"], unique=False)
    op.create_index(op.f("ix_quantities_measure_id_as_of"), "quantities", ["measure_id", "as_of"], unique=False)

    op.create_table(
        "claim_due",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], name=op.f("fk_claim_due_claim_id_claims"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("claim_id", name=op.f("pk_claim_due")),
    )
    op.create_index(op.f("ix_claim_due_due_on"), "claim_due", ["due_on"], unique=False)


def downgrade() -> None:
    for table in ("claim_due", "quantities", "measure_names", "measures"):
        op.drop_table(table)
