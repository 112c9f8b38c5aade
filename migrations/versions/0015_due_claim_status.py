"""due dates: the claim's status beside its due date, kept by the database

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02

Written by hand. ``due --overdue`` keeps the past-due claims whose status is still open.
At a million claims (5,000 due dates, 2,491 of them past) PostgreSQL looked up every
past-due claim and then its status event to learn that status: two random index-and-heap
lookups per row, 25 ms of the server's 30, half of them for promises already kept or
broken. ``claim_due.claim_status`` now holds the claim's current status, and the index on
(due_on, claim_id, claim_status) answers the filter alone; only open claims are then
looked up, for their text and speaker.

The status is still only ever what the history says: no code of the library writes the
column. Triggers recompute it whenever a due date is written, a claim's status pointer
changes, or a status event is written or deleted. On PostgreSQL the triggers on status
events run once a statement over the rows it wrote, so a bulk import pays once a batch and
not once a row, and an event deleted is seen through the claim's pointer, which the
foreign key sets to NULL. The audit log leaves the column out (it follows from rows the log already records),
so undo and ``--as-of`` are unchanged, and the log reads the same on both engines.

Downgrade drops the triggers, the column and the index, and puts back the index on due_on.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_INDEX = "ix_claim_due_due_on_claim_id_claim_status"
OLD_INDEX = "ix_claim_due_due_on"
# The status of the claim whose id is {claim}; NULL for a claim with no status event.
CURRENT = ("(SELECT h.to_status FROM claims c JOIN status_history h "
           "ON h.id = c.status_event_id WHERE c.id = {claim})")

# SQLite: row triggers, as (when, the id of the claim whose due date to recompute). An
# UPDATE that matches no due date is one probe of the primary key.
SQLITE_TRIGGERS = {
    "due_status_on_due_insert": ("AFTER INSERT ON claim_due", "NEW.claim_id"),
    # Set back whatever a writer put there; recursive triggers are off, and the WHEN stops
    # a second round were they on.
    "due_status_on_due_update": ("AFTER UPDATE ON claim_due WHEN NEW.claim_status IS NOT "
                                 + CURRENT.format(claim="NEW.claim_id"), "NEW.claim_id"),
    "due_status_on_claim_update": ("AFTER UPDATE OF status_event_id ON claims", "NEW.id"),
    "due_status_on_event_insert": ("AFTER INSERT ON status_history", "NEW.claim_id"),
    "due_status_on_event_update": ("AFTER UPDATE ON status_history", "NEW.claim_id"),
    "due_status_on_event_delete": ("AFTER DELETE ON status_history", "OLD.claim_id"),
}

PG_ROW_FUNCTION = f"""
CREATE FUNCTION claim_due_status_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.claim_status := {CURRENT.format(claim="NEW.claim_id")};
    RETURN NEW;
END $$"""
# A claim's pointer moves one row at a time (a status change, an undo, an --as-of rewind),
# so that trigger is a row trigger the server skips unless the pointer changed; it also
# sees an event deleted under its claim, through the foreign key's ON DELETE SET NULL.
PG_CLAIM_FUNCTION = """
CREATE FUNCTION claim_due_status_from_claim() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE claim_due SET claim_status = NULL WHERE claim_id = NEW.id;  -- set by the row trigger
    RETURN NULL;
END $$"""
# Events arrive by the thousand in an import, so those triggers run once a statement, over
# the rows it wrote (a transition table).
PG_EVENTS_FUNCTION = """
CREATE FUNCTION claim_due_status_from_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE claim_due d SET claim_status = NULL  -- set by the row trigger
     WHERE d.claim_id IN (SELECT claim_id FROM changed);
    RETURN NULL;
END $$"""
# trigger: (when, table, then). PostgreSQL allows a transition table only on a trigger of
# one event with no column list.
PG_TRIGGERS = {
    "due_status_on_due": ("BEFORE INSERT OR UPDATE", "claim_due",
                          "FOR EACH ROW EXECUTE FUNCTION claim_due_status_row()"),
    "due_status_on_claim_update": (
        "AFTER UPDATE OF status_event_id", "claims",
        "FOR EACH ROW WHEN (OLD.status_event_id IS DISTINCT FROM NEW.status_event_id) "
        "EXECUTE FUNCTION claim_due_status_from_claim()"),
    "due_status_on_event_insert": (
        "AFTER INSERT", "status_history", "REFERENCING NEW TABLE AS changed "
        "FOR EACH STATEMENT EXECUTE FUNCTION claim_due_status_from_events()"),
    "due_status_on_event_update": (
        "AFTER UPDATE", "status_history", "REFERENCING NEW TABLE AS changed "
        "FOR EACH STATEMENT EXECUTE FUNCTION claim_due_status_from_events()"),
}
PG_FUNCTIONS = {"claim_due_status_row": PG_ROW_FUNCTION,
                "claim_due_status_from_claim": PG_CLAIM_FUNCTION,
                "claim_due_status_from_events": PG_EVENTS_FUNCTION}
# The audit function of 0009 leaves these columns out of every row it logs.
AUDIT_SKIPS = "ARRAY['search_vector', 'search_vector_stem']"
AUDIT_SKIPS_NOW = "ARRAY['search_vector', 'search_vector_stem', 'claim_status']"


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        _audit_skips(AUDIT_SKIPS, AUDIT_SKIPS_NOW)
    op.add_column("claim_due", sa.Column("claim_status", sa.String(length=20), nullable=True))
    op.execute("UPDATE claim_due SET claim_status = "
               + CURRENT.format(claim="claim_due.claim_id"))
    op.drop_index(OLD_INDEX, table_name="claim_due")
    op.create_index(NEW_INDEX, "claim_due", ["due_on", "claim_id", "claim_status"])
    for sql in _pg_triggers() if postgres else _sqlite_triggers():
        op.execute(sql)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        for name, (_when, table, _then) in PG_TRIGGERS.items():
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        for function in PG_FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS {function}()")
        _audit_skips(AUDIT_SKIPS_NOW, AUDIT_SKIPS)
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_index(NEW_INDEX, table_name="claim_due")
    op.drop_column("claim_due", "claim_status")
    op.create_index(OLD_INDEX, "claim_due", ["due_on"])


def _sqlite_triggers() -> list[str]:
    recompute = CURRENT.format(claim="claim_due.claim_id")
    return [f"CREATE TRIGGER {name} {when} BEGIN UPDATE claim_due SET claim_status = "
            f"{recompute} WHERE claim_id = {claim}; END"
            for name, (when, claim) in SQLITE_TRIGGERS.items()]


def _pg_triggers() -> list[str]:
    return [*PG_FUNCTIONS.values(), *(f"CREATE TRIGGER {name} {when} ON {table} {then}"
                                      for name, (when, table, then) in PG_TRIGGERS.items())]


def _audit_skips(old: str, new: str) -> None:
    bind = op.get_bind()
    definition = bind.exec_driver_sql(
        "SELECT pg_get_functiondef('claims_audit'::regproc)").scalar_one()
    assert definition.count(old) == 2, "claims_audit() as revision 0009 wrote it"
    bind.exec_driver_sql(definition.replace(old, new))
