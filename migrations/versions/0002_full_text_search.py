"""full-text search over claim text and quote

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28

Written by hand (autogenerate cannot see either object):

- SQLite: an FTS5 table ``claims_fts`` with external content ``content="claims"`` (quoted,
  so Datasette recognises it), kept in step with ``claims`` by three triggers. Triggers,
  not application code, so that anything writing to ``claims`` -- the ORM, bulk Core
  inserts, the sqlite3 shell -- keeps the index right. unicode61 with remove_diacritics 2
  folds case for every cased script and strips Latin diacritics.
- PostgreSQL: a text search configuration ``claims_search`` (``simple`` with the unaccent
  dictionary in front, so diacritics fold in the index, the query and ts_headline alike),
  an immutable ``claims_fold()`` that lower-cases through ICU (the database may use the C
  locale, where lower() leaves Cyrillic and Greek alone) and turns punctuation into spaces
  (so words split as they do in SQLite), and a generated column
  ``claims.search_vector`` (text weighted A, quote B) with a GIN index.

Caution for later revisions: a SQLite ``batch_alter_table("claims")`` rebuilds the table
and drops these triggers; such a revision must re-create them (see ``_create_triggers``).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op
from sqlalchemy import text

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FTS_COLUMNS = "text, quote"
TRIGGERS = {
    "claims_fts_after_insert": """
        CREATE TRIGGER claims_fts_after_insert AFTER INSERT ON claims BEGIN
            INSERT INTO claims_fts (rowid, text, quote) VALUES (new.id, new.text, new.quote);
        END""",
    "claims_fts_after_delete": """
        CREATE TRIGGER claims_fts_after_delete AFTER DELETE ON claims BEGIN
            INSERT INTO claims_fts (claims_fts, rowid, text, quote)
            VALUES ('delete', old.id, old.text, old.quote);
        END""",
    # Only a change of the indexed columns touches the index (status changes do not).
    "claims_fts_after_update": """
        CREATE TRIGGER claims_fts_after_update AFTER UPDATE OF text, quote ON claims BEGIN
            INSERT INTO claims_fts (claims_fts, rowid, text, quote)
            VALUES ('delete', old.id, old.text, old.quote);
            INSERT INTO claims_fts (rowid, text, quote) VALUES (new.id, new.text, new.quote);
        END""",
}

# Word-like token types of the default parser; all of them go through unaccent first.
PG_TOKEN_TYPES = (
    "asciiword, word, numword, asciihword, hword, numhword, "
    "hword_asciipart, hword_part, hword_numpart"
)
PG_VECTOR = (
    "setweight(to_tsvector('claims_search', claims_fold(text)), 'A') || "
    "setweight(to_tsvector('claims_search', claims_fold(coalesce(quote, ''))), 'B')"
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _upgrade_sqlite()
    else:
        _upgrade_postgresql()


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS claims_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_claims_search_vector")
        op.execute("ALTER TABLE claims DROP COLUMN IF EXISTS search_vector")
        op.execute("DROP FUNCTION IF EXISTS claims_fold(text)")
        op.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS claims_search")
        # The unaccent extension stays: it is database-wide and other schemas may use it.


def _upgrade_sqlite() -> None:
    op.execute(
        f"CREATE VIRTUAL TABLE claims_fts USING fts5({FTS_COLUMNS}, "
        'content="claims", content_rowid="id", '
        'tokenize="unicode61 remove_diacritics 2")'
    )
    _create_triggers()
    # Index the claims that are already there.
    op.execute("INSERT INTO claims_fts (claims_fts) VALUES ('rebuild')")


def _create_triggers() -> None:
    for sql in TRIGGERS.values():
        op.execute(sql)


def _upgrade_postgresql() -> None:
    # unaccent is a trusted extension (PostgreSQL 13+): a database owner may create it.
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    schema = (
        op.get_bind()
        .execute(
            text(
                "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
                "WHERE e.extname = 'unaccent'"
            )
        )
        .scalar_one()
    )
    op.execute("CREATE TEXT SEARCH CONFIGURATION claims_search (COPY = pg_catalog.simple)")
    op.execute(
        f"ALTER TEXT SEARCH CONFIGURATION claims_search ALTER MAPPING FOR {PG_TOKEN_TYPES} "
        f'WITH "{schema}".unaccent, pg_catalog.simple'
    )
    # Lower-case, and punctuation as spaces so that words split as SQLite's unicode61 splits
    # them: "US-Iran" and "US Iran" (any dash) both become "us iran", "COVID-19" "covid 19".
    collation = _fold_collation()
    op.execute(
        "CREATE FUNCTION claims_fold(value text) RETURNS text "
        "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE "
        f"AS $$ SELECT regexp_replace(lower(value COLLATE {collation}), "
        "'[[:punct:]]+', ' ', 'g') $$"
    )
    # A generated column fills itself for existing rows and stays right on every write.
    op.execute(
        f"ALTER TABLE claims ADD COLUMN search_vector tsvector "
        f"GENERATED ALWAYS AS ({PG_VECTOR}) STORED"
    )
    op.execute("CREATE INDEX ix_claims_search_vector ON claims USING gin (search_vector)")


def _fold_collation() -> str:
    """ICU's root collation lower-cases every script; without ICU, the database default."""
    has_icu = (
        op.get_bind()
        .execute(text("SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu'"))
        .first()
    )
    return '"und-x-icu"' if has_icu else '"default"'
