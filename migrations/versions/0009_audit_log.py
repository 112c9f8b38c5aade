"""the audit log: change sets, changes, triggers; claim ids never reused

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-01

Written by hand:

- ``change_sets`` (one per write transaction: who, when, the command) and ``changes`` (one
  per row touched). ``changes`` is filled by AFTER INSERT/UPDATE/DELETE triggers on every
  tracked table, so the ORM, the Core bulk writers of ``claims.io`` and writes from a
  sqlite3 shell or psql are all recorded (the last with no change set: ``change_set_id``
  NULL). A trigger learns the open change set from ``audit_session`` on SQLite (one writer
  at a time) and from the transaction-local setting ``claims.change_set`` on PostgreSQL.
- SQLite: ``claims`` and every other tracked table with an id of its own are rebuilt with
  AUTOINCREMENT, so that the id of a deleted row is never handed out again. The rebuild drops 0002's FTS triggers; they are re-created here
  the index, keyed by the unchanged ids, stays valid. (PostgreSQL sequences never reuse ids.)
- A database with claims starts its log with one change set (action ``start``, actor
  ``(before the log)``) that records every status change already stored as an insert, so
  history from before this revision is part of the record. An empty database starts its
  log with its first write.

Downgrade drops the log, its triggers and function, and rebuilds those SQLite tables
without AUTOINCREMENT (SQLite keeps its ``sqlite_sequence`` table: it cannot be dropped).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# table: (primary key columns, every column, (claim_id, other_claim_id, entity_id,
# source_id) columns copied into ``changes`` for filtering, "" where none).
TRACKED: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, str, str, str]]] = {
    "sources": (("id",), ("id", "key", "title", "outlet", "url", "published", "kind",
                          "via_id", "notes", "created_at"), ("", "", "", "id")),
    "entities": (("id",), ("id", "name", "kind", "description", "created_at"),
                 ("", "", "id", "")),
    "entity_names": (("id",), ("id", "entity_id", "name", "key"), ("", "", "entity_id", "")),
    "claims": (("id",), ("id", "text", "text_hash", "quote", "speaker_id", "source_id",
                         "said_on", "external_id", "status_event_id", "created_at",
                         "updated_at", "text_copy"), ("id", "", "speaker_id", "source_id")),
    "claim_entities": (("claim_id", "entity_id"), ("claim_id", "entity_id"),
                       ("claim_id", "", "entity_id", "")),
    "claim_tags": (("claim_id", "tag"), ("claim_id", "tag"), ("claim_id", "", "", "")),
    "status_history": (("id",), ("id", "claim_id", "from_status", "to_status", "note",
                                 "evidence_id", "at"), ("claim_id", "", "", "evidence_id")),
    "links": (("id",), ("id", "from_id", "kind", "to_id", "note", "created_at"),
              ("from_id", "to_id", "", "")),
    # The tables of reviews (0004) and figures (0005): a claim's delete cascades to them,
    # so its restore needs them logged too.
    "reviews": (("id",), ("id", "claim_id", "publisher_id", "author_id", "rating", "label",
                          "url", "published", "explanation", "language", "rating_value",
                          "best_rating", "worst_rating", "status_event_id", "created_at"),
                ("claim_id", "", "publisher_id", "")),
    "measures": (("id",), ("id", "entity_id", "name", "unit", "only_grows", "tolerance",
                           "description", "created_at"), ("", "", "entity_id", "")),
    "measure_names": (("id",), ("id", "measure_id", "entity_id", "name", "key"),
                      ("", "", "entity_id", "")),
    "quantities": (("id",), ("id", "claim_id", "measure_id", "value", "lower", "upper",
                             "qualifier", "unit", "written", "as_of", "created_at"),
                   ("claim_id", "", "", "")),
    "claim_due": (("claim_id",), ("claim_id", "due_on"), ("claim_id", "", "", "")),
}
OPS = ("insert", "update", "delete")

# The generated full-text columns of ``claims`` (0002, 0008) follow from the text.
PG_GENERATED = "ARRAY['search_vector', 'search_vector_stem']"
PG_FUNCTION = """
CREATE FUNCTION claims_audit() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_row jsonb;
    new_row jsonb;
    row_data jsonb;
    before_data jsonb;
    after_data jsonb;
    key_text text;
BEGIN
    IF TG_OP <> 'INSERT' THEN old_row := to_jsonb(OLD) - GENERATED; END IF;
    IF TG_OP <> 'DELETE' THEN new_row := to_jsonb(NEW) - GENERATED; END IF;
    row_data := coalesce(new_row, old_row);
    IF TG_OP = 'UPDATE' THEN
        SELECT jsonb_object_agg(o.key, o.value) INTO before_data
          FROM jsonb_each(old_row) o WHERE o.value IS DISTINCT FROM new_row -> o.key;
        IF before_data IS NULL THEN RETURN NULL; END IF;
        SELECT jsonb_object_agg(n.key, n.value) INTO after_data
          FROM jsonb_each(new_row) n WHERE n.key IN (SELECT jsonb_object_keys(before_data));
    ELSIF TG_OP = 'DELETE' THEN
        before_data := old_row;
    END IF;
    SELECT string_agg(row_data ->> k, '/' ORDER BY ord) INTO key_text
      FROM unnest(string_to_array(TG_ARGV[0], ',')) WITH ORDINALITY AS u(k, ord);
    INSERT INTO changes (change_set_id, kind, row_key, op, before, after, claim_id,
                         other_claim_id, entity_id, source_id, purged)
    VALUES (NULLIF(current_setting('claims.change_set', true), '')::integer,
            TG_TABLE_NAME, key_text, lower(TG_OP), before_data::text, after_data::text,
            (row_data ->> NULLIF(TG_ARGV[1], ''))::integer,
            (row_data ->> NULLIF(TG_ARGV[2], ''))::integer,
            (row_data ->> NULLIF(TG_ARGV[3], ''))::integer,
            (row_data ->> NULLIF(TG_ARGV[4], ''))::integer, 0);
    RETURN NULL;
END $$""".replace("GENERATED", PG_GENERATED)


def upgrade() -> None:
    _create_tables()
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        _rebuild_counted(autoincrement=True)
    for table in TRACKED:
        for trigger_op in OPS:
            for sql in (_sqlite_trigger if sqlite else _pg_trigger)(table, trigger_op):
                op.execute(sql)
    _start_the_log()


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in TRACKED:
        for trigger_op in OPS:
            name = f"audit_{table}_{trigger_op}"
            op.execute(f"DROP TRIGGER IF EXISTS {name}" + ("" if sqlite else f" ON {table}"))
    if not sqlite:
        op.execute("DROP FUNCTION IF EXISTS claims_audit()")
    op.drop_table("audit_session")
    op.drop_table("changes")
    op.drop_table("change_sets")
    if sqlite:
        _rebuild_counted(autoincrement=False)


def _create_tables() -> None:
    op.create_table(
        "change_sets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("command", sa.Text(), nullable=True),
        sa.Column("action", sa.String(length=20), nullable=True),
        sa.Column("undoes_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["undoes_id"], ["change_sets.id"], ondelete="RESTRICT",
                                name=op.f("fk_change_sets_undoes_id_change_sets")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_sets")),
        sa.UniqueConstraint("undoes_id", name=op.f("uq_change_sets_undoes_id")),
    )
    op.create_index(op.f("ix_change_sets_at"), "change_sets", ["at"])
    op.create_index(op.f("ix_change_sets_actor"), "change_sets", ["actor"])
    op.create_table(
        "changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("change_set_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("row_key", sa.String(length=400), nullable=False),
        sa.Column("op", sa.String(length=10), nullable=False),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("after", sa.Text(), nullable=True),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column("other_claim_id", sa.Integer(), nullable=True),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("purged", sa.Integer(), server_default="0", nullable=False),
        sa.Column("key_from", sa.Integer(), nullable=True),
        sa.Column("key_to", sa.Integer(), nullable=True),
        sa.Column("row_count", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["change_set_id"], ["change_sets.id"], ondelete="RESTRICT",
                                name=op.f("fk_changes_change_set_id_change_sets")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_changes")),
    )
    for column in ("change_set_id", "claim_id", "other_claim_id", "entity_id", "source_id"):
        op.create_index(op.f(f"ix_changes_{column}"), "changes", [column])
    op.create_index("ix_changes_kind_row_key", "changes", ["kind", "row_key"])
    op.create_index("ix_changes_kind_key_from", "changes", ["kind", "key_from"])
    op.create_table(
        "audit_session",
        sa.Column("change_set_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("change_set_id", name=op.f("pk_audit_session")),
    )


# SQLite tables whose ids are never handed out twice from here on (AUTOINCREMENT): every
# tracked table with an id of its own. Without it SQLite gives a new row max(id) + 1, the
# id of a row just deleted, and restoring the deleted row would then collide.
COUNTED_TABLES = ("sources", "entities", "entity_names", "claims", "status_history",
                  "links", "reviews", "measures", "measure_names", "quantities")
PLAIN_ID = "\n\tid INTEGER NOT NULL, "


def _table_pk(table: str) -> str:
    return f", \n\tCONSTRAINT pk_{table} PRIMARY KEY (id)"


def _counted_id(table: str) -> str:
    return f"\n\tid INTEGER NOT NULL CONSTRAINT pk_{table} PRIMARY KEY AUTOINCREMENT, "


def _rebuild_counted(*, autoincrement: bool) -> None:
    """Rebuild ``COUNTED_TABLES`` with (or, downgrading, without) AUTOINCREMENT. SQLite's
    rename checks every view against the schema, and the views of 0007 name these tables:
    they are dropped while the tables are rebuilt and put back as they were."""
    bind = op.get_bind()
    views = bind.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'view' ORDER BY name").all()
    for name, _ in views:
        bind.exec_driver_sql(f'DROP VIEW "{name}"')
    for table in COUNTED_TABLES:
        _rebuild(table, autoincrement=autoincrement)
    for _, view_sql in views:
        bind.exec_driver_sql(view_sql)


def _rebuild(table: str, *, autoincrement: bool) -> None:
    """SQLite's table rebuild by hand, so that a downgrade gives back the very CREATE TABLE
    text the table had (AUTOINCREMENT must sit on the column, not in a table constraint).
    Its indexes and triggers (0002's FTS triggers on claims) come back from their own SQL;
    the copy keeps every id, so the FTS index (keyed by rowid) stays right as it is."""
    bind = op.get_bind()
    sql = bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).scalar_one()
    dependents = [row[0] for row in bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE tbl_name = ? "
        "AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type, name", (table,))]
    if autoincrement:
        assert PLAIN_ID in sql and _table_pk(table) in sql, f"{table} as 0008 leaves it"
        sql = sql.replace(_table_pk(table), "", 1).replace(PLAIN_ID, _counted_id(table), 1)
    else:
        head, sep, tail = sql.replace(_counted_id(table), PLAIN_ID, 1) \
            .partition(", \n\tCONSTRAINT ")
        sql = head + _table_pk(table) + sep + tail
    rebuilt = f"{table}_rebuilt"
    sql = re.sub(rf'^CREATE TABLE "?{table}"?', f'CREATE TABLE "{rebuilt}"', sql, count=1)
    bind.exec_driver_sql(sql)
    bind.exec_driver_sql(f'INSERT INTO "{rebuilt}" SELECT * FROM "{table}"')
    bind.exec_driver_sql(f'DROP TABLE "{table}"')
    bind.exec_driver_sql(f'ALTER TABLE "{rebuilt}" RENAME TO "{table}"')
    for dependent in dependents:
        bind.exec_driver_sql(dependent)


def _sqlite_trigger(table: str, trigger_op: str) -> list[str]:
    keys, columns, filters = TRACKED[table]
    row = "old" if trigger_op == "delete" else "new"
    key = " || '/' || ".join(f"{row}.{k}" for k in keys)
    copies = ", ".join(f"{row}.{c}" if c else "NULL" for c in filters)
    whole = "json_object(" + ", ".join(f"'{c}', {{r}}.{c}" for c in columns) + ")"
    when = ""
    before = after = "NULL"
    if trigger_op == "delete":
        before = whole.format(r="old")
    elif trigger_op == "update":
        # Only the fields that changed, on both sides; no row at all when none did.
        same = ", ".join(f"CASE WHEN old.{c} IS new.{c} THEN '$.{c}' ELSE '$.__' END"
                         for c in columns)
        before = f"json_remove({whole.format(r='old')}, {same})"
        after = f"json_remove({whole.format(r='new')}, {same})"
        when = " WHEN " + " OR ".join(f"old.{c} IS NOT new.{c}" for c in columns)
    return [f"""
        CREATE TRIGGER audit_{table}_{trigger_op} AFTER {trigger_op.upper()} ON {table}{when}
        BEGIN
            INSERT INTO changes (change_set_id, kind, row_key, op, before, after, claim_id,
                                 other_claim_id, entity_id, source_id, purged)
            VALUES ((SELECT change_set_id FROM audit_session), '{table}', {key},
                    '{trigger_op}', {before}, {after}, {copies}, 0);
        END"""]


def _pg_trigger(table: str, trigger_op: str) -> list[str]:
    keys, _columns, filters = TRACKED[table]
    args = ", ".join(f"'{a}'" for a in (",".join(keys), *filters))
    sql = [] if table != "sources" or trigger_op != "insert" else [PG_FUNCTION]
    # Checked by the server before the function is called at all (a call costs a bulk
    # write a good part of its speed): not while the library logs rows itself, and not for
    # an update that changes nothing.
    when = "coalesce(current_setting('claims.quiet', true), '') <> 'on'"
    if trigger_op == "update":
        when += " AND OLD.* IS DISTINCT FROM NEW.*"
    return [*sql, f"CREATE TRIGGER audit_{table}_{trigger_op} AFTER {trigger_op.upper()} "
                  f"ON {table} FOR EACH ROW WHEN ({when}) "
                  f"EXECUTE FUNCTION claims_audit({args})"]


def _start_the_log() -> None:
    """A database with history from before the log starts it with that history; an empty
    one starts its log with its first write."""
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT 1 FROM status_history LIMIT 1")).first() is None:
        return
    now = datetime.now(UTC).replace(tzinfo=None)
    bind.execute(sa.text("INSERT INTO change_sets (at, actor, command, action) "
                         "VALUES (:at, '(before the log)', NULL, 'start')"), {"at": now})
    start = bind.execute(sa.text("SELECT max(id) FROM change_sets")).scalar_one()
    bind.execute(sa.text(
        "INSERT INTO changes (change_set_id, kind, row_key, op, claim_id, source_id, purged) "
        "SELECT :start, 'status_history', CAST(id AS VARCHAR(20)), 'insert', claim_id, "
        "evidence_id, 0 FROM status_history ORDER BY id"), {"start": start})
