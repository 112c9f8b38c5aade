"""Where the database is, read from what the user gave: ``--db``, else ``$CLAIMS_DB``, else
a file in the user's data directory. Kept apart from ``claims.db`` (which turns it into an
SQLAlchemy URL) so that ``claims db path`` prints a file's path without loading SQLAlchemy.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "CLAIMS_DB"


def default_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("claims", appauthor=False) / "claims.db"


def given_location(db: str | os.PathLike[str] | None = None) -> str:
    """What names the database: ``db``, else ``$CLAIMS_DB``; '' when neither says."""
    raw = os.fspath(db) if db is not None else os.environ.get(ENV_VAR) or ""
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
