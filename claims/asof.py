"""The database as it stood at a moment: ``--as-of``.

Every read command answers ``--as-of WHEN`` by running its ordinary read inside a
transaction in which the change sets made after WHEN have been reverted, newest first,
from the audit log (``claims.revert``, exactly: status history included), and the log
itself cut back to WHEN; the transaction is then rolled back. So the command prints what
it printed then, through the same code, and no read path needs a second, historical
version. The cost is proportional to the changes made since WHEN, not to the database.

On SQLite the rewinding transaction holds the write lock while the command reads (writers
wait, as for any write); on PostgreSQL it holds row locks on the rows it rewinds.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, select

from claims.errors import InvalidError
from claims.logranges import expanded
from claims.logrows import log_start, shown
from claims.revert import revert
from claims.tables import change_sets, changes, utcnow

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

    Writer = Session | Connection


def check_moment(session: Writer, when: datetime) -> None:
    if when > utcnow():
        raise InvalidError(f"--as-of {shown(when)} is in the future",
                           "give a moment up to now")
    start = log_start(session)
    if start is not None and when < start:
        raise InvalidError(f"--as-of {shown(when)} is before the database's log begins "
                           f"({shown(start)})", "see the first entry of 'claims log'")


def rewind(session: Writer, when: datetime) -> None:
    """Revert, in this transaction, every change set made after ``when``."""
    check_moment(session, when)
    later = list(session.scalars(select(change_sets.c.id).where(change_sets.c.at > when)
                                 .order_by(change_sets.c.id.desc())))
    if not later:
        return
    first_change = session.scalar(select(func.min(changes.c.id))
                                  .where(changes.c.change_set_id.in_(later)))
    for change_set_id in later:
        rows = expanded(session, session.execute(
            select(changes).where(changes.c.change_set_id == change_set_id)
            .order_by(changes.c.id)).all())
        revert(session, rows, keep_history=False)
    # The log as it was too (this also drops what the triggers wrote while rewinding).
    if first_change is not None:
        session.execute(delete(changes).where(changes.c.id >= first_change))
    session.execute(delete(changes).where(changes.c.change_set_id.in_(later)))
    for change_set_id in later:  # newest first: an undo before what it undid (RESTRICT)
        session.execute(delete(change_sets).where(change_sets.c.id == change_set_id))


@contextmanager
def session_as_of(engine: object, when: datetime) -> Iterator[Session]:
    from sqlalchemy.orm import Session

    with Session(engine, expire_on_commit=False) as session:  # type: ignore[call-overload]
        session.begin()
        try:
            rewind(session, when)
            yield session
        finally:
            session.rollback()


@contextmanager
def connection_as_of(engine: object, when: datetime) -> Iterator[Connection]:
    with engine.connect() as conn:  # type: ignore[attr-defined]
        transaction = conn.begin()
        try:
            rewind(conn, when)
            yield conn
        finally:
            transaction.rollback()
