"""Who changed what: every write transaction is one change set.

``Database.write()`` opens a change set (``recording``) before the caller's first
statement and closes it in the same transaction, so a change set commits or rolls back
with the rows it describes. The rows touched are recorded by triggers (revision 0009), not
here: ORM writes, the Core bulk writers of ``claims.io`` and outside writers are all
caught, and no write path in the library has to remember to log.

The actor is the caller's (``--as``), else ``$CLAIMS_USER``, else the OS login.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sqlalchemy import delete, exists, insert, select, text, update

from claims.audit.ranges import BY_CLAIM
from claims.errors import InvalidError
from claims.schema.tables import audit_session, change_sets, changes, utcnow
from claims.settings import actor_from_environment

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

START_ACTOR = "(before the log)"
MAX_ACTOR = 200
SESSION_KEY = "claims_change_set"
# The audit triggers of revision 0009 are named audit_<table>_<op>; "_" is a LIKE wildcard.
TRIGGER_PATTERN = "audit\\_%"


def actor_name(explicit: str | None = None) -> str:
    """The actor of this process's writes: ``--as``, else $CLAIMS_USER, else the login."""
    chosen = explicit if explicit is not None else actor_from_environment()
    if chosen is None:
        try:
            chosen = getpass.getuser()
        except (KeyError, OSError):
            chosen = "unknown"
    cleaned = " ".join(chosen.split())
    if not cleaned or len(cleaned) > MAX_ACTOR:
        raise InvalidError(f"actor name {chosen!r} is empty or too long",
                           f"give --as a name of 1 to {MAX_ACTOR} characters")
    return cleaned


@contextmanager
def recording(session: Session, actor: str | None, command: str | None) -> Iterator[int]:
    """A change set for the write transaction ``session`` is in; removed at the end when the
    transaction changed nothing (a second 'claims seed', say)."""
    change_set_id = open_change_set(session, actor_name(actor), command)
    yield change_set_id
    close_change_set(session, change_set_id)


def open_change_set(session: Session, actor: str, command: str | None) -> int:
    change_set_id: int = session.execute(
        insert(change_sets).values(at=utcnow(), actor=actor, command=command)
        .returning(change_sets.c.id)
    ).scalar_one()
    if session.get_bind().dialect.name == "sqlite":
        session.execute(delete(audit_session))
        session.execute(insert(audit_session).values(change_set_id=change_set_id))
    else:
        session.execute(text("SELECT set_config('claims.change_set', :id, true)"),
                        {"id": str(change_set_id)})
    session.info[SESSION_KEY] = change_set_id
    return change_set_id


def close_change_set(session: Session, change_set_id: int) -> None:
    session.flush()
    if session.get_bind().dialect.name == "sqlite":
        session.execute(delete(audit_session))
    else:
        session.execute(text("SELECT set_config('claims.change_set', '', true)"))
    touched = session.scalar(select(exists().where(changes.c.change_set_id == change_set_id)))
    if not touched:
        # Never committed, so the log stays append-only: nobody saw this row.
        session.execute(delete(change_sets).where(change_sets.c.id == change_set_id))
    session.info.pop(SESSION_KEY, None)


@contextmanager
def quietly(session: Session) -> Iterator[None]:
    """Within the block the triggers log nothing: for bulk writes of rows that are all new
    in this change set, which the writer then logs as ranges (``log_inserted``). Only for
    rows created in the block: an update or delete of an older row would go unrecorded."""
    current_change_set(session)  # only inside a recorded write
    session.flush()
    with unlogged(session.connection()):
        yield
        session.flush()


@contextmanager
def unlogged(conn: Connection) -> Iterator[None]:
    """Within the block the triggers log nothing (``quietly``; and ``--as-of``'s rewind,
    whose writes are rolled back: a logged write costs PostgreSQL about twice an unlogged
    one).

    SQLite: the triggers are dropped and put back inside the transaction (its one writer
    holds the lock, and readers never see the schema between), since a trigger that fires
    costs an import about a sixth of its speed even when it then does nothing.
    PostgreSQL: a transaction-local setting the trigger function reads (DDL there would
    lock readers out of the tables)."""
    if conn.dialect.name == "sqlite":
        with log_triggers_off(conn):
            yield
        return
    _pg_quiet(conn, "on")
    yield
    # Not on an error: the rollback that follows (of the transaction, or of the savepoint
    # the caller wrapped around the block) puts the setting back with the rows.
    _pg_quiet(conn, "")


def _pg_quiet(conn: Connection, value: str) -> None:
    conn.execute(text("SELECT set_config('claims.quiet', :on, true)"), {"on": value})


def log_inserted(session: Session, kind: str, keys: Sequence[int],
                 rows_per_key: Sequence[int] | None = None) -> None:
    """Log that this change set inserted the rows of ``kind`` with these ids (for a claim's
    entities and tags: these claim ids), one entry per run of consecutive keys. Reads of
    the log expand an entry back into its rows (``claims.audit.ranges``)."""
    ordered = sorted(zip(keys, rows_per_key or [1] * len(keys), strict=True))
    change_set_id = current_change_set(session)
    entries = []
    for run in _runs(ordered):
        first, last = run[0][0], run[-1][0]
        entries.append({"change_set_id": change_set_id, "kind": kind, "op": "insert",
                        "row_key": f"{first}..{last}", "key_from": first, "key_to": last,
                        "row_count": sum(n for _, n in run), "purged": 0,
                        "claim_id": first if kind == "claims" or kind in BY_CLAIM else None})
    if entries:
        session.execute(insert(changes), entries)


def _runs(ordered: Sequence[tuple[int, int]]) -> Iterator[Sequence[tuple[int, int]]]:
    start = 0
    for i in range(1, len(ordered) + 1):
        if i == len(ordered) or ordered[i][0] != ordered[i - 1][0] + 1:
            yield ordered[start:i]
            start = i


def current_change_set(session: Session) -> int:
    """The id of the change set the session's write transaction is recording."""
    found = session.info.get(SESSION_KEY)
    if found is None:
        raise RuntimeError("not inside Database.write()")
    return int(found)


def describe(session: Session, *, action: str, undoes: int | None = None) -> int:
    """Mark the open change set as an undo, restore or purge (of ``undoes``). Done first
    thing, so that of two concurrent undos of one change set the second waits on the
    unique ``undoes_id`` and then fails, before it has reverted anything."""
    change_set_id = current_change_set(session)
    session.execute(update(change_sets).where(change_sets.c.id == change_set_id)
                    .values(action=action, undoes_id=undoes))
    return change_set_id


@contextmanager
def log_triggers_off(conn: Connection) -> Iterator[None]:
    """Within this transaction the triggers log nothing: for filling an empty database with
    a whole database's rows (``claims db copy``, a dump), whose log comes with them, and
    on SQLite for ``quietly``. The triggers are dropped (SQLite) or disabled (PostgreSQL)
    by DDL inside the transaction, so a failure part-way rolls that back with the rows."""
    if conn.dialect.name == "sqlite":
        saved = conn.execute(text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            "AND name LIKE :pattern ESCAPE '\\'"), {"pattern": TRIGGER_PATTERN}).all()
        for name, _ in saved:
            conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
        yield
        for _, sql in saved:
            conn.exec_driver_sql(sql)
        return
    found = conn.execute(text(
        "SELECT tgname, tgrelid::regclass::text FROM pg_trigger "
        "WHERE tgname LIKE :pattern AND NOT tgisinternal"), {"pattern": TRIGGER_PATTERN}).all()
    for name, table in found:
        conn.exec_driver_sql(f'ALTER TABLE {table} DISABLE TRIGGER "{name}"')
    yield
    for name, table in found:
        conn.exec_driver_sql(f'ALTER TABLE {table} ENABLE TRIGGER "{name}"')
