"""search: Chinese, Japanese and Korean found by their characters (PostgreSQL)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01

Written by hand. These scripts put no spaces between words, so PostgreSQL's parser took a
whole run (伊朗核计划) for one word and a search for 核计划 found nothing. ``claims_fold()``
now also puts a space around each of their characters, so the index holds one token per
character, in order, and a query folded the same way is a phrase of characters (see
``claims.schema.cjk``). The stored search columns were computed with the old function, so both
(``search_vector`` of 0002, ``search_vector_stem`` of 0008) are computed again, and their
GIN indexes follow: on a large database this revision takes a while (minutes at a million
claims).

SQLite needs no change: its search looks CJK words up in the index's vocabulary at query
time (``claims.schema.cjk``), so on SQLite this revision does nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As claims.schema.cjk.CJK_CLASS, written with PostgreSQL's regular-expression escapes.
CJK_CLASS = (
    r"[\u2e80-\u2fdf\u3040-\u30ff\u3100-\u312f\u3190-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    r"\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002fa1f]"
)
SPACED_PREFIX = "SELECT regexp_replace(("
SPACED_SUFFIX = f"), '({CJK_CLASS})', ' \\1 ', 'g')"

def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    folded = _fold_body().strip().removeprefix("SELECT ")
    _replace_fold(f"{SPACED_PREFIX}{folded}{SPACED_SUFFIX}")
    _rebuild_vectors()


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    body = _fold_body().strip()
    if body.startswith(SPACED_PREFIX) and body.endswith(SPACED_SUFFIX):
        _replace_fold("SELECT " + body[len(SPACED_PREFIX):-len(SPACED_SUFFIX)])
        _rebuild_vectors()


def _fold_body() -> str:
    return str(op.get_bind().exec_driver_sql(
        "SELECT prosrc FROM pg_proc WHERE proname = 'claims_fold'").scalar_one())


def _replace_fold(body: str) -> None:
    op.execute(
        "CREATE OR REPLACE FUNCTION claims_fold(value text) RETURNS text "
        f"LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ {body} $$"
    )


def _rebuild_vectors() -> None:
    """Stored generated columns keep what the old function gave. Setting ``text`` to itself
    computes both again (they depend on it), keeping the columns where they are."""
    op.execute("UPDATE claims SET text = text")
