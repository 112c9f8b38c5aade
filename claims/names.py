"""Resolving what users type into entities: through names and aliases, case- and form-blind.

A name's ``key`` is its NFKC form, casefolded, with runs of white space made one space.
NFKC folds compatibility forms (full-width letters, Arabic presentation forms) and casefold
handles every cased script, so "tehran", "TEHRAN" and "Тегеран"/"тегеран" each meet their
match. Accents are kept: "Tehrán" is a different spelling, and a near-miss of "Tehran".

The keys (``name_key``, ``prefix_key``) load no SQLAlchemy, so that shell completion, which
runs on every TAB, compares names as the library does; the lookups import it when called.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from claims.errors import InvalidError, NotFoundError

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

    from claims.schema.models import Entity

# Similarity (0-100) at or above which an unknown name is taken for a typo of a known one.
NEAR_MISS_SCORE = 85.0


def name_key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def prefix_key(typed: str) -> str:
    """What the key of a name beginning with ``typed`` begins with: ``name_key``, keeping
    one trailing space, so that "New " offers "New York" and not "Newark"."""
    key = name_key(typed)
    return key + " " if key and typed[-1:].isspace() else key


def clean_name(name: str, what: str = "name") -> str:
    """A name as stored: trimmed, inner white space made single; empty is an error."""
    cleaned = " ".join(unicodedata.normalize("NFC", name).split())
    if not cleaned:
        raise InvalidError(f"empty {what}", f"give a non-empty {what}")
    if "\x00" in cleaned:
        raise InvalidError(f"{what} contains a NUL character", "remove it")
    return cleaned


def find_entity(session: Session, name: str) -> Entity | None:
    from sqlalchemy import select

    from claims.schema.models import Entity, EntityName

    return session.scalar(select(Entity).join(EntityName).where(EntityName.key == name_key(name)))


def entity_id_for(session: Session | Connection, name: str) -> int:
    """The id of the entity a name or alias refers to, without loading it (a Core read);
    an unknown name is the same error as ``resolve_entity``'s."""
    from sqlalchemy import select

    from claims.schema.tables import entity_names

    found: int | None = session.scalar(
        select(entity_names.c.entity_id).where(entity_names.c.key == name_key(name)))
    if found is None:
        raise unknown_entity(session, name)
    return found


def resolve_entity(session: Session, name: str) -> Entity:
    """The entity a name or alias refers to; an unknown name is an error with suggestions."""
    entity = find_entity(session, name)
    if entity is not None:
        return entity
    raise unknown_entity(session, name)


def unknown_entity(session: Session | Connection, name: str) -> NotFoundError:
    """The error for a name no entity answers to, with the near misses as suggestions."""
    suggestions = near_misses(session, name)
    hint = (
        f"did you mean {quoted(suggestions)}?"
        if suggestions
        else "see 'claims entity list', or add it with 'claims entity add'"
    )
    return NotFoundError(f"no entity named {name!r}", hint)


def near_misses(session: Session | Connection, name: str, limit: int = 3) -> list[str]:
    """Known names and aliases that ``name`` is probably a misspelling of, best first.

    Whole-string similarity, not token overlap: "Iran" beside "Atomic Energy Organization
    of Iran" shares a word but is not a typo of it.
    """
    from rapidfuzz import fuzz, process, utils
    from sqlalchemy import select

    from claims.schema.tables import entity_names

    key = _without_marks(name_key(name))
    if not key:
        return []
    rows = session.execute(select(entity_names.c.name, entity_names.c.key)).all()
    matches = process.extract(
        key,
        {row.name: _without_marks(row.key) for row in rows},
        scorer=fuzz.ratio,
        processor=utils.default_process,
        score_cutoff=NEAR_MISS_SCORE,
        limit=limit,
    )
    return [match_name for _key, _score, match_name in matches]


def _without_marks(key: str) -> str:
    """Accents dropped, so that "Tehrán" counts as a near-miss of "Tehran"."""
    decomposed = unicodedata.normalize("NFKD", key)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def quoted(names: list[str]) -> str:
    return " or ".join(repr(n) for n in names)
