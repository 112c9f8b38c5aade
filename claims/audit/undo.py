"""``claims undo`` and ``claims restore``: a change set reverted, as a change set of its own.

Work inside ``Database.write()``: the revert is one transaction, so it is whole or absent.
An undo refuses, naming the later change set, when a later change touched a row it would
put back (or a claim, entity or source it would remove); each change set is undone at most
once (``change_sets.undoes_id`` is unique, which also settles two concurrent undos).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from claims.audit.changesets import START_ACTOR, actor_name, current_change_set, describe
from claims.audit.entries import get_change_set
from claims.audit.ranges import expanded
from claims.audit.revert import revert
from claims.errors import ConflictError, InvalidError, NotFoundError
from claims.reads.authorship import deletion_error, last_deletion
from claims.schema.sql import shown
from claims.schema.tables import change_sets, changes, claims

# For each kind of row an undo may remove, the change columns that refer to it.
REFERENCES = {"claims": (changes.c.claim_id, changes.c.other_claim_id),
              "entities": (changes.c.entity_id,), "sources": (changes.c.source_id,)}


def undo(session: Session, change_set_id: int | None = None,
         actor: str | None = None) -> dict[str, Any]:
    """Revert a change set (default: the actor's newest that is neither an undo nor undone).
    Returns ``{"undone": id, "change_set": the new id}``."""
    target = get_change_set(session, change_set_id) if change_set_id is not None \
        else _newest_of(session, actor_name(actor))
    return _revert_change_set(session, target, action="undo")


def restore_claim(session: Session, claim_id: int) -> dict[str, Any]:
    """Bring a deleted claim back with its links, entities, tags and history."""
    if session.scalar(select(claims.c.id).where(claims.c.id == claim_id)) is not None:
        raise InvalidError(f"claim {claim_id} is not deleted", "nothing to restore")
    deletion = last_deletion(session, claim_id)
    if deletion is None:
        raise NotFoundError(f"no claim with id {claim_id} was ever deleted", "see 'claims log'")
    if deletion.purged:
        raise deletion_error(claim_id, deletion)
    return _revert_change_set(session, get_change_set(session, deletion.id),
                              action="restore")


def _newest_of(session: Session, actor: str) -> Any:
    undone = select(change_sets.c.undoes_id).where(change_sets.c.undoes_id.is_not(None))
    row = session.execute(
        select(change_sets).where(change_sets.c.actor == actor,
                                  change_sets.c.undoes_id.is_(None),
                                  or_(change_sets.c.action.is_(None),
                                      change_sets.c.action.not_in(("start", "purge"))),
                                  change_sets.c.id.not_in(undone),
                                  change_sets.c.id != current_change_set(session))
        .order_by(change_sets.c.id.desc()).limit(1)).first()
    if row is None:
        raise NotFoundError(f"{actor} has no change left to undo", "see 'claims log'")
    return row


def _revert_change_set(session: Session, target: Any, *, action: str) -> dict[str, Any]:
    if target.id == current_change_set(session):
        raise NotFoundError(f"no change set with id {target.id}", "see 'claims log'")
    if target.action in ("start", "purge") or target.actor == START_ACTOR:
        raise InvalidError(f"change set {target.id} ({target.action}) cannot be undone",
                           "a purge is final; the start of the log has nothing to revert")
    _refuse_if_undone(session, target.id)
    try:
        with session.begin_nested():
            new_id = describe(session, action=action, undoes=target.id)
    except IntegrityError:
        _refuse_if_undone(session, target.id)
        raise
    rows = expanded(session, session.execute(
        select(changes).where(changes.c.change_set_id == target.id).order_by(changes.c.id)
    ).all())
    if any(row.purged for row in rows):
        raise InvalidError(f"change set {target.id} touched a purged claim",
                           "a purge is final")
    _refuse_if_touched_later(session, target.id, rows)
    try:
        with session.begin_nested():
            revert(session, rows, keep_history=True, note=f"{action} of change set {target.id}")
    except IntegrityError:
        raise ConflictError(
            f"change set {target.id} cannot be reverted: a row it would put back refers to an "
            "entity, source or claim removed (or merged) since", "see 'claims log'") from None
    session.flush()
    return {"undone": target.id, "change_set": new_id}


def _refuse_if_undone(session: Session, change_set_id: int) -> None:
    by = session.execute(select(change_sets.c.id, change_sets.c.actor)
                         .where(change_sets.c.undoes_id == change_set_id)).first()
    if by is not None:
        raise ConflictError(f"change set {change_set_id} was already undone by change set "
                            f"{by.id} ({by.actor})", f"'claims undo {by.id}' redoes it")


def _refuse_if_touched_later(session: Session, change_set_id: int, rows: Any) -> None:
    if not rows:
        return
    last = max(row.id for row in rows)
    keys = sorted({(row.kind, row.row_key) for row in rows})
    cancelled = _cancelled_since(session, change_set_id)
    later: list[int] = []
    for start in range(0, len(keys), 250):
        chunk = keys[start:start + 250]
        later.append(_first_later(session, last, cancelled,
                                  tuple_(changes.c.kind, changes.c.row_key).in_(chunk)))
    for kind, columns in REFERENCES.items():
        removed = [int(r.row_key) for r in rows if r.kind == kind and r.op == "insert"]
        for start in range(0, len(removed), 500):
            ids = removed[start:start + 500]
            later.append(_first_later(session, last, cancelled,
                                      or_(*(c.in_(ids) for c in columns))))
    found = [x for x in later if x]
    if found:
        first = get_change_set(session, min(found))
        raise ConflictError(
            f"change set {first.id} by {first.actor} at {shown(first.at)} changed the same "
            f"rows later", f"undo change set {first.id} first, or leave {change_set_id} be")


def _cancelled_since(session: Session, change_set_id: int) -> list[int]:
    """Later change sets whose effect is gone: each one undone by an undo that stands (is
    not undone itself), with that undo. A change and its undo leave the rows as they were."""
    undos = dict(session.execute(select(change_sets.c.id, change_sets.c.undoes_id)
                                 .where(change_sets.c.undoes_id > change_set_id)).all())
    standing = [undo for undo in undos if undo not in undos.values()]
    return sorted({*standing, *(undos[undo] for undo in standing)})


def _first_later(session: Session, after_change: int, cancelled: list[int],
                 condition: Any) -> int:
    return session.scalar(
        select(func.min(changes.c.change_set_id))
        .join(change_sets, change_sets.c.id == changes.c.change_set_id)
        .where(changes.c.id > after_change, condition, change_sets.c.id.not_in(cancelled),
               or_(change_sets.c.action.is_(None), change_sets.c.action != "start"))) or 0
