"""The "same source, same normalised text" rule as the database holds it.

``claims add`` and import look for a claim with the same normalised text in the same source
before they write, which gives good messages; but two writers can both look before either
writes (PostgreSQL runs them side by side). The unique index of revision 0006 on
``(source_id, text_hash, text_copy)`` closes that gap: the second writer waits for the
first, then fails here, and its transaction writes nothing. A claim added on purpose beside
its twin (``--force``) takes the next ``text_copy``.

A 64-bit hash collision between two different texts of one source would also be refused by
the index; at one in 2**64 per pair it is not worth a column of its own.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from claims.errors import ConflictError

SAME_TEXT_INDEX = "uq_claims_source_id_text_hash_text_copy"


def is_same_text_violation(exc: BaseException) -> bool:
    """True for the database's refusal of a second claim with one source and text."""
    message = str(getattr(exc, "orig", exc))
    return SAME_TEXT_INDEX in message or "claims.text_copy" in message


def same_text_conflict() -> ConflictError:
    return ConflictError(
        "a claim from this source with the same text was written meanwhile",
        "nothing was written; run the command again to see it, or add yours with --force",
    )


def next_copy(session: Any, source_id: int, text_hash: int) -> int:
    """The ``text_copy`` for one more claim of this source and normalised text."""
    from claims.schema.tables import claims

    top = session.scalar(select(func.max(claims.c.text_copy)).where(
        claims.c.source_id == source_id, claims.c.text_hash == text_hash))
    return 0 if top is None else top + 1


def next_copies(session: Any, keys: list[tuple[int, int]],
                looked_for: list[bool] | None = None) -> list[int]:
    """The ``text_copy`` of each of several new claims, given as ``(source_id, text_hash)``
    in the order they are written: 0 for a text its source does not hold yet, else one
    past the highest stored or given before. (An import writes a claim with an external id
    beside a stored claim of the same text: they are two claims, as with --force.)

    ``looked_for[i]``: claim i was looked for by its text just before and not found, so a
    stored claim of that text can only be a concurrent writer's. It then takes the copy
    after those given before it in this batch, never after a stored one: the unique index
    refuses it, rather than a twin being written that nobody asked for."""
    from claims.schema.sql import chunks
    from claims.schema.tables import claims

    looked_for = looked_for or [False] * len(keys)
    top: dict[tuple[int, int], int] = {}
    for chunk in chunks(sorted({text_hash for (_, text_hash), looked in zip(keys, looked_for,
                                                                          strict=True)
                                if not looked})):
        rows = session.execute(
            select(claims.c.source_id, claims.c.text_hash, func.max(claims.c.text_copy))
            .where(claims.c.text_hash.in_(chunk))
            .group_by(claims.c.source_id, claims.c.text_hash))
        top.update({(source_id, text_hash): copy for source_id, text_hash, copy in rows})
    given: dict[tuple[int, int], int] = {}
    copies = []
    for key, looked in zip(keys, looked_for, strict=True):
        highest = given.get(key, -1) if looked else max(given.get(key, -1), top.get(key, -1))
        given[key] = highest + 1
        copies.append(highest + 1)
    return copies
