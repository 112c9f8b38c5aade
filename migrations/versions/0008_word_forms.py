"""word forms: a stemmed full-text index beside the exact one

Revision ID: 0008
Revises: 0003
Create Date: 2026-12-01

Written by hand (autogenerate cannot see either object). Search finds word forms
(``vaccine`` finds "vaccines" and "vaccinated", ``enrich`` "enriched") through a second
index whose words are reduced to their stems, while the exact index of 0002 stays and
ranks the claims holding the very form typed first:

- SQLite: an FTS5 table ``claims_fts_stem`` over the same columns with the ``porter``
  tokenizer wrapped around 0002's unicode61 (Porter's English stemmer; a word outside
  ASCII letters, Cyrillic or Persian say, is left as unicode61 made it), external content
  ``content="claims"`` and its own three triggers, filled from the stored claims.
- PostgreSQL: a Snowball English dictionary without stop words (so no word becomes
  unsearchable), a configuration ``claims_search_stem`` (unaccent, then that stemmer), and
  a generated column ``claims.search_vector_stem`` with a GIN index, built like 0002's.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRIGGERS = {
    "claims_fts_stem_after_insert": """
        CREATE TRIGGER claims_fts_stem_after_insert AFTER INSERT ON claims BEGIN
            INSERT INTO claims_fts_stem (rowid, text, quote)
            VALUES (new.id, new.text, new.quote);
        END""",
    "claims_fts_stem_after_delete": """
        CREATE TRIGGER claims_fts_stem_after_delete AFTER DELETE ON claims BEGIN
            INSERT INTO claims_fts_stem (claims_fts_stem, rowid, text, quote)
            VALUES ('delete', old.id, old.text, old.quote);
        END""",
    "claims_fts_stem_after_update": """
        CREATE TRIGGER claims_fts_stem_after_update AFTER UPDATE OF text, quote ON claims
        BEGIN
            INSERT INTO claims_fts_stem (claims_fts_stem, rowid, text, quote)
            VALUES ('delete', old.id, old.text, old.quote);
            INSERT INTO claims_fts_stem (rowid, text, quote)
            VALUES (new.id, new.text, new.quote);
        END""",
}

# As 0002's PG_TOKEN_TYPES: the word-like token types of the default parser.
PG_TOKEN_TYPES = (
    "asciiword, word, numword, asciihword, hword, numhword, "
    "hword_asciipart, hword_part, hword_numpart"
)
PG_VECTOR = (
    "setweight(to_tsvector('claims_search_stem', claims_fold(text)), 'A') || "
    "setweight(to_tsvector('claims_search_stem', claims_fold(coalesce(quote, ''))), 'B')"
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE claims_fts_stem USING fts5(text, quote, "
            'content="claims", content_rowid="id", '
            'tokenize="porter unicode61 remove_diacritics 2")'
        )
        for sql in TRIGGERS.values():
            op.execute(sql)
        op.execute("INSERT INTO claims_fts_stem (claims_fts_stem) VALUES ('rebuild')")
        return
    unaccent = op.get_bind().exec_driver_sql(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE e.extname = 'unaccent'"
    ).scalar_one()
    op.execute("CREATE TEXT SEARCH DICTIONARY claims_english_stem "
               "(TEMPLATE = pg_catalog.snowball, Language = english)")
    op.execute("CREATE TEXT SEARCH CONFIGURATION claims_search_stem (COPY = claims_search)")
    op.execute(
        f"ALTER TEXT SEARCH CONFIGURATION claims_search_stem ALTER MAPPING FOR {PG_TOKEN_TYPES} "
        f'WITH "{unaccent}".unaccent, claims_english_stem'
    )
    op.execute(
        "ALTER TABLE claims ADD COLUMN search_vector_stem tsvector "
        f"GENERATED ALWAYS AS ({PG_VECTOR}) STORED"
    )
    op.execute("CREATE INDEX ix_claims_search_vector_stem ON claims USING gin (search_vector_stem)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS claims_fts_stem")
        return
    op.execute("DROP INDEX IF EXISTS ix_claims_search_vector_stem")
    op.execute("ALTER TABLE claims DROP COLUMN IF EXISTS search_vector_stem")
    op.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS claims_search_stem")
    op.execute("DROP TEXT SEARCH DICTIONARY IF EXISTS claims_english_stem")
