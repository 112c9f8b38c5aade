"""search: the best matches of a common word without ranking every match (PostgreSQL)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02

Written by hand (autogenerate cannot see either object). ``ts_rank`` as claims uses it
(normalization 0) does not look at a claim's length: for a one-word query it depends only
on where and how often the word occurs in the claim's vector. Every claim holding the word
once, in its text, ranks the same, and among those the lowest ids come first. So the top of
a ranking is "the claims holding the word otherwise, ranked" together with "the lowest ids
holding it once in the text" (``claims.search.topk`` has the argument), and both can be read from
an index instead of from ten thousand table rows:

- ``claims_search_keys(vector, id)``: each lexeme of the vector as a key. A lexeme the claim
  holds exactly once with weight A (once, in the text) gets the claim's id range,
  ``lexeme<US>bucket`` with bucket = id >> 14; any other lexeme ``lexeme<US>*``.
- a GIN index on ``claims_search_keys(search_vector, id)``.

The index is computed from the stored vector, so it follows every write, and it holds as
many keys as the vector has lexemes. Nothing changes on SQLite.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As claims.search.topk: the separator (U+001F, never inside a lexeme) and the bucket width.
KEYS_FUNCTION = """
CREATE FUNCTION claims_search_keys(vector tsvector, claim_id bigint) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(lexeme || chr(31) || CASE
               WHEN cardinality(positions) = 1 AND weights[1] = 'A'
               THEN (claim_id >> 14)::text ELSE '*' END), '{}')
    FROM unnest(vector)
$$"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.execute(KEYS_FUNCTION)
    op.execute("CREATE INDEX ix_claims_search_vector_keys ON claims "
               "USING gin (claims_search_keys(search_vector, id))")
    # The planner needs the expression's statistics to see that a key is rare.
    op.execute("ANALYZE claims")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.execute("DROP INDEX IF EXISTS ix_claims_search_vector_keys")
    op.execute("DROP FUNCTION IF EXISTS claims_search_keys(tsvector, bigint)")
