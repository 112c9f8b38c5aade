"""``claims delete ID --purge``: a claim's content removed for good (a legal takedown).

The claim is deleted as usual (if it is not already), then every log entry that held its
content keeps its place but loses the content: the content fields of ``before``/``after``
become null and the entry is marked ``purged``; the commands of the change sets that
touched it, which may quote it, are replaced by ``(purged)``. The purge is the one writer
that changes existing log rows, and the only thing it keeps is that something was there.
"""

from __future__ import annotations

import json

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from claims.audit.changesets import describe
from claims.audit.entries import CONTENT_FIELDS
from claims.reads.authorship import last_deletion
from claims.reads.lookup import missing_claim
from claims.schema.tables import change_sets, changes, claims

PURGED_COMMAND = "(purged)"


def purge_claim(session: Session, claim_id: int) -> int:
    """Delete claim ``claim_id`` (if it still exists) and redact it from the log; returns the
    number of log entries redacted."""
    from claims.writes.store import delete_claim

    describe(session, action="purge")
    if session.scalar(select(claims.c.id).where(claims.c.id == claim_id)) is not None:
        delete_claim(session, claim_id)
        session.flush()
    else:
        deletion = last_deletion(session, claim_id)
        if deletion is None or deletion.purged:  # never there, or gone for good already
            raise missing_claim(session, claim_id)
    return _redact(session, claim_id)


def _redact(session: Session, claim_id: int) -> int:
    touching = or_(changes.c.claim_id == claim_id, changes.c.other_claim_id == claim_id)
    rows = session.execute(select(changes.c.id, changes.c.kind, changes.c.row_key,
                                  changes.c.before, changes.c.after).where(touching)).all()
    for row in rows:
        row_key = row.row_key
        if row.kind == "claim_tags":
            row_key = f"{row_key.split('/', 1)[0]}/[purged]"
        session.execute(update(changes).where(changes.c.id == row.id).values(
            before=_blank(row.before), after=_blank(row.after), row_key=row_key, purged=1))
    quoted = select(changes.c.change_set_id).where(touching, changes.c.kind == "claims")
    current = session.info.get("claims_change_set")
    session.execute(update(change_sets)
                    .where(change_sets.c.id.in_(quoted), change_sets.c.id != current)
                    .values(command=PURGED_COMMAND))
    return len(rows)


def _blank(raw: str | None) -> str | None:
    if raw is None:
        return None
    values = json.loads(raw)
    return json.dumps({k: (None if k in CONTENT_FIELDS else v) for k, v in values.items()})
