"""Where the database is, how connections are set up, and bringing its schema up to date.

The URL comes from the caller (``--db``), else ``CLAIMS_DB``, else a file in the user's data
directory. A plain path means SQLite; anything with ``://`` is an SQLAlchemy URL.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DataError,
    DBAPIError,
    IntegrityError,
    OperationalError,
)

if TYPE_CHECKING:
    # The ORM loads on the first session: a read through connect() never needs it.
    from sqlalchemy.orm import Session


from claims.errors import DatabaseError, InvalidError
from claims.settings import default_path, file_location, given_location

# The newest Alembic revision. Checked against migrations/ by a test; kept here so that
# opening an up-to-date database needs one cheap query and never imports Alembic.
SCHEMA_HEAD = "0015"
BUSY_TIMEOUT_MS = 30_000
PAGE_CACHE_KIB = 65_536


def resolve_url(db: str | os.PathLike[str] | None = None) -> URL:
    """The database URL from ``db``, ``$CLAIMS_DB`` or the default file, in that order."""
    path = file_location(db)
    return parse_url(given_location(db)) if path is None else _sqlite_url(path)


def parse_url(raw: str) -> URL:
    """An SQLAlchemy URL whose credentials end at the authority's last ``@``: a password
    may hold ``@``, ``:`` or ``/`` unescaped (SQLAlchemy alone splits at the first ``@``,
    taking the rest of the password for the host, which then shows in every message).
    When it cannot be parsed, the error quotes none of it, since any part may be secret."""
    scheme, _, rest = raw.partition("://")
    at = rest.rfind("@")
    try:
        if at < 0 or scheme.startswith("sqlite"):
            return make_url(raw)
        from urllib.parse import unquote

        user, colon, password = rest[:at].partition(":")
        return make_url(f"{scheme}://{rest[at + 1:]}").set(
            username=unquote(user) or None, password=unquote(password) if colon else None)
    except (ArgumentError, ValueError, TypeError):
        raise DatabaseError(
            "cannot parse the database URL (not shown: it may hold a password)",
            "give a file path or a URL like postgresql+psycopg://user:password@host/db",
        ) from None


HIDDEN_URL = "(a database URL, not shown)"


def masked_command(argv: Sequence[str], program: str = "claims") -> str:
    """The command as typed, for a change set's record: every database URL's password
    masked, and a URL that cannot be parsed left out whole (any part may be secret)."""
    shown: list[str] = []
    for arg in argv:
        prefix, _, value = arg.partition("=") if arg.startswith("--") and "=" in arg \
            else ("", "", arg)
        if "://" in value:
            value = _masked_url(value)
        shown.append(f"{prefix}={value}" if prefix else value)
    return shlex.join([program, *shown])


def _masked_url(value: str) -> str:
    try:
        url = parse_url(value)
    except DatabaseError:
        return HIDDEN_URL
    return value if url.get_backend_name() == "sqlite" else display_url(url)


def _sqlite_url(path: Path) -> URL:
    return URL.create("sqlite+pysqlite", database=str(path.resolve()))


# Connection-string parameters that carry a secret (libpq takes a password in the query too).
_SECRET_PARAMS = frozenset({"password", "sslpassword"})


def display_url(url: URL) -> str:
    """What users see: a SQLite file's path, or the URL with its passwords masked."""
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    masked = {k: ("***" if k.lower() in _SECRET_PARAMS else v) for k, v in url.query.items()}
    rendered = url.set(query=masked).render_as_string(hide_password=True)
    return rendered.replace("%2A%2A%2A", "***")


def _secrets(url: URL) -> list[str]:
    from urllib.parse import quote, quote_plus

    found = [str(url.password)] if url.password else []
    for key, value in url.query.items():
        if key.lower() in _SECRET_PARAMS:
            found.extend([value] if isinstance(value, str) else list(value))
    # Drivers may echo a secret as it was written in the URL, percent-encoded.
    found += [encoded(s) for s in found for encoded in (quote, quote_plus)]
    return sorted({s for s in found if s}, key=len, reverse=True)


def _set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Take over transaction control from the sqlite3 module so that BEGIN is ours to emit.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    # SQLite's default page cache is 2 MB: at a million claims (900 MB) every read that
    # probes rows all over the file (a timeline's 1,000 figures, the overdue promises'
    # thousands of due dates) fetches each page from the OS again, every time. 64 MB keeps
    # them for the connection's next query; memory grows only with pages actually read.
    cursor.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KIB}")
    cursor.close()


def _begin_sqlite(conn: Any) -> None:
    # Writers take the lock up front: a deferred transaction that later needs to write
    # fails with "database is locked" instead of waiting out the busy timeout.
    mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        _check_sqlite_file(url)
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _set_sqlite_pragmas)
        event.listen(engine, "begin", _begin_sqlite)
        return engine
    try:
        return create_engine(url, pool_pre_ping=True)
    except (ArgumentError, ImportError) as exc:
        hint = (
            "install the postgres extra: pip install 'claims[postgres]'"
            if url.get_backend_name() == "postgresql"
            else "use a file path, a sqlite:/// URL or a postgresql+psycopg:// URL"
        )
        detail = str(exc)
        for secret in _secrets(url):
            detail = detail.replace(secret, "***")
        raise DatabaseError(f"cannot use database {display_url(url)}: {detail}", hint) from None


def _check_sqlite_file(url: URL) -> None:
    if not url.database or url.database == ":memory:":
        return
    path = Path(url.database)
    if url.query.get("uri") and url.database.startswith("file:"):
        # An SQLite URI filename (sqlite:///file:/x.db?mode=ro&uri=true): check its path part.
        from urllib.parse import unquote, urlsplit

        path = Path(unquote(urlsplit(url.database).path))
    if not path.parent.is_dir():
        raise DatabaseError(
            f"directory {str(path.parent)!r} does not exist",
            "create it first, or point --db/CLAIMS_DB elsewhere",
        )
    if path.exists() and path.is_dir():
        raise DatabaseError(f"{str(path)!r} is a directory", "give a database file path")


@dataclass(frozen=True)
class Context:
    """What the caller says about its work, given explicitly (the CLI builds one from
    ``--as``, the command line and ``--as-of``; a library caller may).

    ``actor`` and ``command`` go into each write's change set (None: $CLAIMS_USER or the
    login; no command). ``as_of``: every read sees the database as it stood then."""

    actor: str | None = None
    command: str | None = None
    as_of: datetime | None = None


class Database:
    """An open, up-to-date claims database. Use ``write()`` or ``read()`` for a transaction."""

    def __init__(self, url: URL, engine: Engine, context: Context | None = None) -> None:
        self.url = url
        self.engine = engine
        self.context = context or Context()
        self._writer = engine.execution_options(sqlite_begin="IMMEDIATE")

    def with_context(self, context: Context) -> Database:
        """The same database (same engine and connections), working under ``context``."""
        return Database(self.url, self.engine, context)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def __repr__(self) -> str:
        return f"Database({display_url(self.url)!r})"

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: committed when the block ends, rolled back on any error.
        It is one change set of the audit log, committed with it (``claims.audit.changesets``)."""
        from sqlalchemy.orm import Session

        from claims.audit.changesets import recording

        with (
            translate_db_errors(self.url),
            Session(self._writer, expire_on_commit=False) as session,
            session.begin(),
            recording(session, self.context.actor, self.context.command),
        ):
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """One read transaction in an ORM session (what every library function takes)."""
        from sqlalchemy.orm import Session

        if self.context.as_of is not None:
            from claims.audit.as_of import session_as_of

            with (translate_db_errors(self.url),
                  session_as_of(self._writer, self.context.as_of) as past):
                yield past
            return
        with (
            translate_db_errors(self.url),
            Session(self.engine, expire_on_commit=False) as session,
            session.begin(),
        ):
            yield session

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """One read transaction on a plain Core connection, for the functions that build
        records straight from rows (``query.list_claims``, ``claim_records``, ``count_claims``):
        a process that only lists claims then never loads the ORM."""
        if self.context.as_of is not None:
            from claims.audit.as_of import connection_as_of

            with (translate_db_errors(self.url),
                  connection_as_of(self._writer, self.context.as_of) as past):
                yield past
            return
        with translate_db_errors(self.url), self.engine.connect() as conn, conn.begin():
            yield conn

    def close(self) -> None:
        self.engine.dispose()


def open_database(
    db: str | os.PathLike[str] | URL | None = None, *, upgrade: bool = True,
    only_reads: bool = False, context: Context | None = None,
) -> Database:
    """Open (creating it if needed) the database and bring its schema to the newest revision.

    ``only_reads``: the caller will not write, so a SQLite file in a directory it cannot
    write is opened read-only instead of failing (claims.database.read_only)."""
    url = db if isinstance(db, URL) else resolve_url(db)
    if db is None and url == resolve_url(""):
        # The default location is ours to create; a path the user names is not.
        default_path().parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(_reading_url(url) if only_reads else url)
    database = Database(url, engine, context)
    with translate_db_errors(url):
        revision = current_revision(engine)
        if revision != SCHEMA_HEAD and upgrade:
            from claims.database.migrate import upgrade_to_head

            upgrade_to_head(engine, revision)
    return database


def _reading_url(url: URL) -> URL:
    from claims.database.read_only import directory_is_read_only, reading_url

    return reading_url(url) if directory_is_read_only(url) else url


def current_revision(engine: Engine) -> str | None:
    """The revision stamped in the database, or None for an empty one."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            found = conn.execute(
                text("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'")
            ).first()
        else:
            found = conn.execute(text("SELECT to_regclass('alembic_version')")).scalar()
        if not found:
            _refuse_foreign_database(conn, engine.dialect.name)
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _refuse_foreign_database(conn: Any, dialect: str) -> None:
    # A database with tables but no revision stamp is somebody else's: never write into it.
    if dialect == "sqlite":
        count = conn.execute(text("SELECT count(*) FROM sqlite_master WHERE type='table'")).scalar()
    else:
        count = conn.execute(
            text("SELECT count(*) FROM information_schema.tables"
                 " WHERE table_schema = current_schema()")
        ).scalar()
    if count:
        raise DatabaseError(
            "the database holds tables but is not a claims database",
            "point --db/CLAIMS_DB at a new file or a claims database",
        )


@contextmanager
def translate_db_errors(url: URL) -> Iterator[None]:
    """Turn driver failures that users can cause (bad file, no server) into one clear line."""
    try:
        yield
    except OperationalError as exc:
        from claims.database import faults

        raise (faults.describe(exc, url) or DatabaseError(_describe(exc, url), _hint(exc))) \
            from None
    except DataError as exc:
        # A value the engine refuses (PostgreSQL: longer than its varchar column).
        detail = str(exc.orig).strip().splitlines()[0] if exc.orig else "invalid value"
        raise InvalidError(f"the database refused a value: {detail}",
                           "shorten or correct it; names are at most 300 characters, "
                           "tags 100, source keys 200") from None
    except IntegrityError as exc:
        from claims.schema.uniqueness import is_same_text_violation, same_text_conflict

        if is_same_text_violation(exc):
            raise same_text_conflict() from None
        raise
    except DBAPIError as exc:
        damaged = any(m in str(exc.orig) for m in ("file is not a database", "malformed"))
        if exc.connection_invalidated or damaged:
            raise DatabaseError(_describe(exc, url), _hint(exc)) from None
        raise


def _describe(exc: DBAPIError, url: URL) -> str:
    detail = str(exc.orig).strip().splitlines()[0] if exc.orig else "unknown error"
    # Driver messages can echo the connection string; never let a password through.
    for secret in _secrets(url):
        detail = detail.replace(secret, "***")
    return f"cannot use database {display_url(url)}: {detail}"


def _hint(exc: DBAPIError) -> str:
    message = str(exc.orig).lower()
    if "not a database" in message:
        return "CLAIMS_DB/--db must name a claims database file, or a new file"
    if "malformed" in message:
        return "the file is damaged: restore it from a backup ('claims db backup' makes one)"
    if "readonly" in message or "read-only" in message:
        return "make the file writable, or copy it somewhere you can write"
    if "locked" in message:
        return "another process holds a write lock; try again"
    if "unable to open" in message:
        return "check that the directory exists and is writable"
    return "check --db/CLAIMS_DB and that the server is running"
