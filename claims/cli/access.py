"""Which commands write, and what a missing SQLite file means to each.

A read command given a path with no database (``claims --db tuor.db list``, a typo) says
so in one line and creates nothing; a write command creates the database, as it always
has, and says so on stderr the first time.
"""

from pathlib import Path

from claims.cli.command_facts import writes
from claims.errors import DatabaseError


def is_write(command_path: str) -> bool:
    """``command_path`` as Click gives it: the program's name, then the sub-commands."""
    return writes(" ".join(command_path.split()[1:]))


def missing_file(db: str | None) -> Path | None:
    """The SQLite file ``db`` names (or the default one) when it does not exist yet."""
    from claims.database.engine import resolve_url

    url = resolve_url(db)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    path = Path(url.database)
    return None if path.exists() else path


def no_database(path: Path) -> DatabaseError:
    return DatabaseError(f"no database at {path}: the file does not exist",
                         "check the path, or create one with a write command: 'claims seed'")
