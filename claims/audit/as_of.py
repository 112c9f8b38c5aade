"""The database as it stood at a moment: ``--as-of``.

Every read command answers ``--as-of WHEN`` by running its ordinary read inside a
transaction in which the change sets made after WHEN have been reverted, newest first,
from the audit log (``claims.audit.revert``, exactly: status history included), and the log
itself cut back to WHEN; the transaction is then rolled back. So the command prints what
it printed then, through the same code, and no read path needs a second, historical
version. The cost is proportional to the changes made since WHEN, not to the database.

On SQLite the rewinding transaction holds the write lock while the command reads (writers
wait, as for any write); on PostgreSQL it holds row locks on the rows it rewinds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, delete, select, update

from claims.audit.changesets import unlogged
from claims.audit.entries import log_start
from claims.audit.ranges import expanded
from claims.audit.revert import revert
from claims.errors import InvalidError
from claims.schema.sql import shown
from claims.schema.tables import change_sets, changes, utcnow

if TYPE_CHECKING:
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
    """Revert, in this transaction, every change set made after ``when``. The transaction
    is always rolled back, so nothing it writes is logged (``unlogged``) and no reference
    is checked (they would be, at a commit that never comes): at a million claims on
    PostgreSQL each logged and checked write cost about a millisecond."""
    check_moment(session, when)
    later = list(session.scalars(select(change_sets.c.id).where(change_sets.c.at > when)
                                 .order_by(change_sets.c.id.desc())))
    if not later:
        return
    logged = session.execute(select(changes).where(changes.c.change_set_id.in_(later))
                             .order_by(changes.c.id)).all()
    by_change_set: dict[int, list[Any]] = defaultdict(list)
    for row in logged:
        by_change_set[row.change_set_id].append(row)
    conn = session if isinstance(session, Connection) else session.connection()
    _defer_references(conn)
    with unlogged(conn):
        for change_set_id in later:
            revert(session, expanded(session, by_change_set[change_set_id]),
                   keep_history=False)
    # The log as it was too.
    if logged:
        session.execute(delete(changes).where(changes.c.id >= logged[0].id))
    # An undo names what it undid (RESTRICT, which SQLite checks row by row): let go first.
    session.execute(update(change_sets).where(change_sets.c.id.in_(later),
                                              change_sets.c.undoes_id.is_not(None))
                    .values(undoes_id=None))
    session.execute(delete(change_sets).where(change_sets.c.id.in_(later)))


def _defer_references(conn: Connection) -> None:
    """References are checked at the commit from here on (on PostgreSQL those declared
    DEFERRABLE: a claim's status pointer, revision 0012), and this transaction never
    commits."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    else:
        conn.exec_driver_sql("SET CONSTRAINTS ALL DEFERRED")


@contextmanager
def session_as_of(engine: Engine, when: datetime) -> Iterator[Session]:
    from sqlalchemy.orm import Session

    with Session(engine, expire_on_commit=False) as session:
        session.begin()
        try:
            rewind(session, when)
            yield session
        finally:
            session.rollback()


@contextmanager
def connection_as_of(engine: Engine, when: datetime) -> Iterator[Connection]:
    with engine.connect() as conn:
        transaction = conn.begin()
        try:
            rewind(conn, when)
            yield conn
        finally:
            transaction.rollback()
