"""claims.status_event_id may be checked at the end of a batch (PostgreSQL)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02

Written by hand. A claim points at its newest status event and every event points at its
claim, so one of the two references has to wait for the other's row. The importer used to
write each new claim with no status, add the events, then set the pointer with an UPDATE:
at a million claims that wrote every claim row twice (and, since the pointer is unique,
its index entry too). With the pointer's foreign key DEFERRABLE (still INITIALLY
IMMEDIATE, so every other statement is checked as before), the importer asks for the check
at the end of each batch (``claims.schema.bulk.references_checked_after``) and writes each claim
once, already pointing at its event.

SQLite defers through ``PRAGMA defer_foreign_keys`` whatever the constraint says, and an
INITIALLY IMMEDIATE constraint behaves there as one without the clause; so the clause is
written into the table's stored CREATE TABLE text (``writable_schema``, the procedure
SQLite's ALTER TABLE page gives for constraint changes that leave the stored rows as they
are), which takes no time at any size, rather than rebuilding the table, only so that the
schema says what the models say.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CONSTRAINT = "fk_claims_status_event_id_status_history"


SQLITE_CLAUSE = (f"CONSTRAINT {CONSTRAINT} FOREIGN KEY(status_event_id) "
                 "REFERENCES status_history (id) ON DELETE SET NULL")
DEFERRABLE = " DEFERRABLE INITIALLY IMMEDIATE"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE claims ALTER CONSTRAINT {CONSTRAINT} "
                   "DEFERRABLE INITIALLY IMMEDIATE")
    else:
        _sqlite_replace(SQLITE_CLAUSE, SQLITE_CLAUSE + DEFERRABLE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE claims ALTER CONSTRAINT {CONSTRAINT} NOT DEFERRABLE")
    else:
        _sqlite_replace(SQLITE_CLAUSE + DEFERRABLE, SQLITE_CLAUSE)


def _sqlite_replace(old: str, new: str) -> None:
    bind = op.get_bind()
    sql = bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'claims'").scalar_one()
    if sql.count(old) != 1 or (new.startswith(old) and new in sql):
        raise RuntimeError(f"the claims table does not declare {old!r} as revision 0011 did")
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar_one()
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    bind.exec_driver_sql("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?",
                         (sql.replace(old, new), "claims"))
    # Other connections (and this one) read the schema again when its version changes.
    bind.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    bind.exec_driver_sql("PRAGMA writable_schema = OFF")
