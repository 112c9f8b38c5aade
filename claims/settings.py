"""What the environment says, each variable read here and nowhere else.

- ``CLAIMS_DB``: where the database is, when ``--db`` does not say; else a file in the
  user's data directory. Kept free of SQLAlchemy (``claims.database.engine`` turns it into
  a URL) so that ``claims db path`` and shell completion never load it.
- ``CLAIMS_PUBLISHER``: the name of our own fact-checking desk, when not given.
- ``CLAIMS_USER``: who writes, for the audit log, when ``--as`` does not say.
- ``CLAIMS_MAX_RECORD_BYTES``: the longest record an import reads, when not given.
- ``CLAIMS_CSV_FORMULAS``: ``1`` writes CSV cells that look like formulas as they are.
"""

from __future__ import annotations

import os
from pathlib import Path

DB_VAR = "CLAIMS_DB"
PUBLISHER_VAR = "CLAIMS_PUBLISHER"
ACTOR_VAR = "CLAIMS_USER"
MAX_RECORD_BYTES_VAR = "CLAIMS_MAX_RECORD_BYTES"
CSV_FORMULAS_VAR = "CLAIMS_CSV_FORMULAS"

DEFAULT_PUBLISHER = "Our desk"


def _given(variable: str) -> str | None:
    value = os.environ.get(variable)
    return value if value and value.strip() else None


# --- where the database is ---------------------------------------------------------------


def default_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("claims", appauthor=False) / "claims.db"


def given_location(db: str | os.PathLike[str] | None = None) -> str:
    """What names the database: ``db``, else ``$CLAIMS_DB``; '' when neither says."""
    raw = os.fspath(db) if db is not None else os.environ.get(DB_VAR) or ""
    return raw if raw.strip() else ""


def is_url(raw: str) -> bool:
    return "://" in raw


def file_location(db: str | os.PathLike[str] | None = None) -> Path | None:
    """The database file (an absolute path) ``db`` names, or None when it names a URL."""
    raw = given_location(db)
    if not raw:
        return default_path().resolve()
    if is_url(raw):
        return None
    return Path(raw).expanduser().resolve()


def sqlite_file(db: str | os.PathLike[str] | None = None) -> Path | None:
    """The SQLite file ``db`` names, read without SQLAlchemy (for shell completion): a
    path as ``file_location`` reads it, or the file of a ``sqlite:///PATH`` URL; None for
    another engine's URL or an in-memory database."""
    path = file_location(db)
    if path is not None:
        return path
    scheme, _, rest = given_location(db).partition("://")
    if scheme.partition("+")[0] != "sqlite" or not rest.startswith("/"):
        return None
    name = rest[1:].partition("?")[0]  # sqlite:///rel.db, sqlite:////abs.db; no query
    return Path(name).expanduser().resolve() if name and name != ":memory:" else None


# --- who we are and who writes -----------------------------------------------------------


def desk_name(given: str | None = None) -> str:
    """The name given, else ``$CLAIMS_PUBLISHER``, else "Our desk"."""
    chosen = given if given and given.strip() else _given(PUBLISHER_VAR)
    return chosen.strip() if chosen else DEFAULT_PUBLISHER


def actor_from_environment() -> str | None:
    """``$CLAIMS_USER``, as set (None when unset); the audit log cleans and checks it."""
    return os.environ.get(ACTOR_VAR)


def max_record_bytes_from_environment() -> str | None:
    """``$CLAIMS_MAX_RECORD_BYTES`` as written (None when unset); the import parses it."""
    return _given(MAX_RECORD_BYTES_VAR)


def csv_formulas_from_environment() -> bool:
    """``$CLAIMS_CSV_FORMULAS`` is ``1``: CSV output keeps formula-like cells as they are."""
    return os.environ.get(CSV_FORMULAS_VAR) == "1"
