"""Reading a SQLite database that lies in a directory this process cannot write.

SQLite in WAL mode (ours) creates ``-wal`` and ``-shm`` files beside the database even to
read it, and a plain read-only open (``mode=ro``) still needs the ``-shm``. In a read-only
directory (a colleague's share, a mounted backup, a CD) neither can be made, so a reader
that only asks for data opens the file the way SQLite offers for it:

- ``mode=ro&immutable=1`` when no write is pending (no ``-wal`` file, or an empty one):
  SQLite then reads the file as it is, without locks or side files. That is exact unless
  someone who may write the directory writes the file during the read (one short
  transaction for a CLI command), which is the price of reading where locks cannot be kept.
- ``mode=ro`` when a non-empty ``-wal`` exists (a writer with access left it there): the
  newest rows are in it, and SQLite reads them through the existing ``-shm``. When it
  cannot, the error names the directory as the cause (claims.database.faults).

Only callers that will not write ask for this (``open_database(..., only_reads=True)``,
which the CLI does for every command not in ``claims.cli.command_facts``); writes
through such a database fail with the one line claims.database.faults gives for a read-only
directory.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

from sqlalchemy.engine import URL


def _plain_file(url: URL) -> Path | None:
    """The file a plain SQLite URL names (not ``:memory:``, not already a ``file:`` URI)."""
    if url.get_backend_name() != "sqlite" or not url.database:
        return None
    if url.database == ":memory:" or url.query.get("uri"):
        return None
    return Path(url.database)


def directory_is_read_only(url: URL) -> bool:
    """The URL names an existing SQLite file whose directory this process cannot write."""
    path = _plain_file(url)
    return path is not None and path.is_file() and not os.access(path.parent, os.W_OK)


def reading_url(url: URL) -> URL:
    """``url`` as an SQLite URI that opens the file read-only, immutable when no write is
    pending in its ``-wal`` file (see the module's docstring)."""
    path = _plain_file(url)
    if path is None:
        return url
    wal = Path(f"{path}-wal")
    pending = wal.exists() and wal.stat().st_size > 0
    # SQLite URIs reserve ?, # and %: quote the path, keeping its slashes.
    query = {"mode": "ro", "uri": "true"} | ({} if pending else {"immutable": "1"})
    return url.set(database=f"file:{quote(str(path))}", query=query)
