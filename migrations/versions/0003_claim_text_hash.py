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
claims already stored, computing the hash in Python as the application did when this
revision was written: the functions are frozen copies below, so that a later change of
the normalisation cannot change what this revision stores.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BACKFILL_CHUNK = 10_000


# Frozen as of revision 0003: claims.parse.normalise_text and text_hash (with key_hash
# inlined) as they were when this revision was written. Never import them from claims: a
# later normalisation must come with a revision of its own that recomputes the stored
# hashes, and must not silently change what this one writes.


def normalise_text(text: str) -> str:
    """NFKC, casefolded, punctuation and symbols as spaces, white space collapsed."""
    if text.isascii():
        return " ".join(text.lower().translate(_ASCII_SEPARATORS).split())
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(folded.translate(_SEPARATORS).split())


class _SeparatorTable(dict[int, str]):
    """A ``str.translate`` table: Unicode categories P, S and Z to a space, anything else to
    itself, filled as characters are met."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        mapped = " " if unicodedata.category(char)[0] in "PSZ" else char
        self[code] = mapped
        return mapped


_SEPARATORS = _SeparatorTable()

_ASCII_SEPARATORS = str.maketrans(
    {chr(c): " " for c in range(128) if unicodedata.category(chr(c))[0] in "PSZ"}
)


def text_hash(text: str) -> int:
    """A signed 64-bit BLAKE2b hash of ``normalise_text(text)``."""
    digest = hashlib.blake2b(normalise_text(text).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


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

