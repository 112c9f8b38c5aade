"""Reads by key: one claim by id, one source by key, with the errors for ones that do not
exist. Entities by name or alias are ``claims.names``'s (``resolve_entity``,
``entity_id_for``). Each not-found message is worded here and nowhere else."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Connection, select

from claims.errors import NotFoundError
from claims.schema.tables import claims, sources

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from claims.schema.models import Claim, Source

SOURCE_LIST_HINT = "see 'claims source list'"


def no_source(key: str, hint: str = SOURCE_LIST_HINT) -> NotFoundError:
    return NotFoundError(f"no source with key {key!r}", hint)


def no_claim(claim_id: int) -> NotFoundError:
    return NotFoundError(f"no claim with id {claim_id}", "see 'claims list'")


def missing_claim(session: Session | Connection, claim_id: int) -> NotFoundError:
    """The error for a claim that is not there: who deleted it and when, if someone did."""
    from claims.reads.authorship import deletion_error, last_deletion

    deletion = last_deletion(session, claim_id)
    return no_claim(claim_id) if deletion is None else deletion_error(claim_id, deletion)


def get_claim(session: Session, claim_id: int) -> Claim:
    from claims.schema.models import Claim

    claim = session.get(Claim, claim_id)
    if claim is None:
        raise missing_claim(session, claim_id)
    return claim


def require_claim(session: Session | Connection, claim_id: int) -> None:
    """A Core read's check that the claim is there (the error as ``get_claim``'s)."""
    if session.scalar(select(claims.c.id).where(claims.c.id == claim_id)) is None:
        raise missing_claim(session, claim_id)


def get_source(session: Session, key: str) -> Source:
    from claims.schema.models import Source

    source = session.scalar(select(Source).where(Source.key == key.strip()))
    if source is None:
        raise no_source(key)
    return source


def source_id_for(session: Session | Connection, key: str) -> int:
    """The id of the source with this key (a Core read); an unknown key is an error."""
    found: int | None = session.scalar(select(sources.c.id).where(sources.c.key == key.strip()))
    if found is None:
        raise no_source(key)
    return found
