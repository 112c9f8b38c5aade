"""Files shipped with the package: the Alembic revisions and the seed data.

A leaf: ``claims.database.migrate`` and ``claims.writes.seed`` find their folders here
without importing ``claims.database.engine``, which itself imports the Alembic glue when a
database is behind.
"""

from __future__ import annotations

from pathlib import Path

from claims.errors import DatabaseError

PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """A data folder shipped in the wheel as ``claims/_<name>``, or the checkout's ``<name>``."""
    for candidate in (PACKAGE_DIR / f"_{name}", PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise DatabaseError(f"the {name} folder is missing from this installation", "reinstall claims")
