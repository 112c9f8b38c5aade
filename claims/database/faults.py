"""Faults of the machine rather than of the input, each said for what it is.

- A full disk. SQLite gives up a transaction that hits SQLITE_FULL by rolling it back
  itself, so what reaches the caller is often the next statement's complaint ("no such
  savepoint: sa_savepoint_9") with the real cause in the exception chain. Either way the
  transaction is gone: nothing was written, and that is what users need to hear.
  PostgreSQL says the same with SQLSTATE 53100.
- Read-only storage: a read-only database file and a read-only directory (where SQLite
  cannot create the ``-wal``/``-shm``/journal files a write needs) call for different fixes.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from claims.errors import DatabaseError

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

DISK_FULL_SQLSTATE = "53100"


def _causes(exc: BaseException) -> list[BaseException]:
    """``exc``, its driver error, and everything it was raised from or during, in order."""
    found: list[BaseException] = []
    pending: list[BaseException | None] = [exc]
    while pending:
        current = pending.pop(0)
        if current is None or any(current is seen for seen in found):
            continue
        found.append(current)
        pending += [getattr(current, "orig", None), current.__cause__, current.__context__]
    return found


def is_disk_full(exc: BaseException) -> bool:
    for cause in _causes(exc):
        if getattr(cause, "sqlite_errorname", None) == "SQLITE_FULL":
            return True
        if getattr(cause, "sqlstate", None) == DISK_FULL_SQLSTATE:
            return True
        if "database or disk is full" in str(cause):
            return True
    return False


def disk_full() -> DatabaseError:
    return DatabaseError("the disk is full (SQLITE_FULL): nothing was written",
                         "free some space, then run the command again")


def read_only(url: URL) -> DatabaseError | None:
    """Which of file or directory is read-only, when one of them is."""
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    path = Path(url.database)
    file_read_only = path.exists() and not os.access(path, os.W_OK)
    directory_read_only = not os.access(path.parent, os.W_OK)
    if file_read_only and directory_read_only:
        return DatabaseError(
            f"the database file {str(path)!r} and its directory are both read-only",
            "make both writable, or copy the database somewhere you can write")
    if file_read_only:
        return DatabaseError(f"the database file {str(path)!r} is read-only",
                             "make it writable (chmod u+w), or copy it somewhere you can write")
    if directory_read_only:
        return DatabaseError(
            f"the directory {str(path.parent)!r} is read-only: SQLite must create its "
            "-wal and -shm files beside the database",
            "make the directory writable, or copy the database somewhere you can write")
    return None


def describe(exc: BaseException, url: URL) -> DatabaseError | None:
    """The one line for a machine fault behind ``exc``, or None when it is not one."""
    if is_disk_full(exc):
        return disk_full()
    message = str(getattr(exc, "orig", exc)).lower()
    if "readonly" in message or "read-only" in message or "unable to open" in message:
        return read_only(url)
    return None
