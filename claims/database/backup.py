"""A consistent copy of a SQLite database, taken while others may be writing to it.

``VACUUM INTO`` reads the whole database inside one read transaction, so the copy is one
moment's state however many writers are busy (WAL lets them carry on meanwhile), and it
refuses to write over a file that is already there. PostgreSQL has its own tool for this,
``pg_dump``, which we point to instead of imitating.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy.engine import URL

from claims.database.engine import Database, display_url, open_database, resolve_url
from claims.errors import ConflictError, DatabaseError
from claims.outpath import check_target, database_files


def backup_database(
    target: str | os.PathLike[str], db: str | os.PathLike[str] | URL | Database | None = None
) -> Path:
    """Copy the database (``db`` as for ``open_database``, or an open one) to the new file
    ``target`` and return its full path. Never overwrites; SQLite only."""
    if isinstance(db, Database):
        return _backup_sqlite(db, target)
    url = db if isinstance(db, URL) else resolve_url(db)
    _refuse_server(url)
    # Copy what is there: a backup taken before an upgrade must not perform the upgrade.
    database = open_database(url, upgrade=False, only_reads=True)
    try:
        return _backup_sqlite(database, target)
    finally:
        database.close()


def _refuse_server(url: URL) -> None:
    if url.get_backend_name() != "sqlite":
        raise DatabaseError(
            f"claims db backup copies SQLite files; {display_url(url)} is a server database",
            "back it up with PostgreSQL's pg_dump, e.g. pg_dump -Fc -f claims.dump DBNAME",
        )


def _backup_sqlite(database: Database, target: str | os.PathLike[str]) -> Path:
    _refuse_server(database.url)
    path = check_target(Path(target).expanduser(), database_files(database.url))
    _claim_file(path)
    raw = database.engine.raw_connection()
    try:
        # The pool's connections run in autocommit mode (db.py takes over BEGIN), as
        # VACUUM requires; the driver connection is used directly so no BEGIN is emitted.
        driver_connection = raw.driver_connection
        assert driver_connection is not None, "a checked-out connection has its driver's"
        driver_connection.execute("VACUUM INTO ?", (str(path),))
    except sqlite3.Error as exc:
        _remove_partial(path)
        raise DatabaseError(f"backup to {str(path)!r} failed: {exc}",
                            "check the disk and try again") from None
    finally:
        raw.close()
    return path


def _claim_file(path: Path) -> None:
    """Create ``path`` empty (VACUUM INTO accepts an empty file), failing if it exists: an
    atomic check, so a file that appears meanwhile is never overwritten or removed."""
    if not path.parent.is_dir():
        raise DatabaseError(f"directory {str(path.parent)!r} does not exist", "create it first")
    try:
        with path.open("x"):
            pass
    except FileExistsError:
        raise ConflictError(
            f"{str(path)!r} already exists", "give a new file name; backups never overwrite"
        ) from None
    except OSError as exc:
        raise DatabaseError(f"cannot create {str(path)!r}: {exc.strerror}",
                            "choose a directory you can write to") from None


def _remove_partial(path: Path) -> None:
    # We created the file (see _claim_file), so whatever is there is ours.
    for leftover in (path, path.with_name(path.name + "-journal")):
        leftover.unlink(missing_ok=True)
