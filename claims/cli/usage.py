"""Command-line values: checking dates and statuses as usage errors (exit 2, one message
style: "Invalid value for '--since': '2025-13-01' is not a date (...)"), and completing
entity names and aliases, source keys and statuses on TAB.

Completion runs on every TAB, so it never imports SQLAlchemy: it reads the SQLite file
the command would use with the standard library's sqlite3, read-only, and completes
nothing for a database that is not a SQLite file or does not exist.
"""

import sqlite3
from pathlib import Path
from typing import Any

import typer

from claims.vocab import Status

COMPLETION_LIMIT = 50


def check_date(value: str | None) -> str | None:
    """Option callback: a date as ``claims.parse.parse_date`` reads it, or a usage error."""
    return _readable(value, "claims.parse", "parse_date", "a date")


def check_due(value: str | None) -> str | None:
    """Option callback: a due date as ``claims.figures.due.parse_due`` reads it (a day, a
    month, a year, a quarter ...), or a usage error; '' (clearing it) passes."""
    return _readable(value, "claims.figures.due", "parse_due", "a due date")


def check_preset(value: str | None) -> str | None:
    """Option callback: a data set's layout ``claims.reviews.presets.preset`` knows, or a usage
    error."""
    return _readable(value, "claims.reviews.presets", "preset", "a preset")


def _readable(value: str | None, module: str, parser: str, what: str) -> str | None:
    """``value`` unchanged when ``module.parser`` reads it (or it is empty), else a usage
    error. The parser's module is imported only for a value to read: a command given no
    date (most) does not load it."""
    import importlib

    from claims.errors import InvalidError

    if value is None or not value.strip():
        return value
    parse = getattr(importlib.import_module(module), parser)
    try:
        parse(value)
    except InvalidError as exc:
        raise typer.BadParameter(f"{value!r} is not {what} ({exc.hint})") from None
    return value


def _status(value: str | Status) -> Status:
    from claims.errors import InvalidError
    from claims.vocab import parse_choice

    try:
        return parse_choice(Status, value, "status")
    except InvalidError as exc:
        raise typer.BadParameter(f"{str(value)!r} is not a status ({exc.hint})") from None


def check_status(value: str | None) -> Status | None:
    return None if value is None else _status(value)


def check_statuses(values: list[str] | None) -> list[Status] | None:
    return None if values is None else [_status(v) for v in values]


def complete_status(incomplete: str) -> list[str]:
    return [s.value for s in Status if s.value.startswith(incomplete.lower())]


def _database_file(ctx: typer.Context) -> Path | None:
    """The SQLite file the command would open (``--db``, ``$CLAIMS_DB`` or the default), as
    the library finds it; None for another engine."""
    from claims.settings import sqlite_file

    return sqlite_file((ctx.find_root().params or {}).get("db"))


def _query(ctx: typer.Context, sql: str, prefix: str) -> list[str]:
    """Rows of ``sql`` whose key starts with ``prefix``: read-only, so that a TAB never
    creates a database, and nothing at all where there is no SQLite file."""
    path = _database_file(ctx)
    if path is None or not path.is_file():
        return []
    pattern = prefix.replace("\\", "\\\\").replace("%", "\\%")
    pattern = pattern.replace("_", "\\_") + "%"
    try:
        with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as conn:
            rows: list[Any] = conn.execute(sql, (pattern, COMPLETION_LIMIT)).fetchall()
    except sqlite3.Error:
        return []
    return [row[0] for row in rows]


def complete_entity(ctx: typer.Context, incomplete: str) -> list[str]:
    """Entity names and aliases starting with what was typed, compared as the library
    compares names (``claims.names``: any case, width or spacing)."""
    from claims.names import prefix_key

    key = prefix_key(incomplete)
    names = _query(ctx, "SELECT name FROM entity_names WHERE key LIKE ? ESCAPE '\\' "
                        "ORDER BY key LIMIT ?", key)
    offered = (_as_typed(name, incomplete, key) for name in names)
    return list(dict.fromkeys(name for name in offered if name is not None))


def _as_typed(name: str, typed: str, key: str) -> str | None:
    """``name`` with its beginning written as typed ("bus" + "hehr" for "Bushehr"): Typer
    offers only values that start with the typed text, and the library reads either
    spelling alike (full-width letters, any case, any spacing)."""
    from claims.names import prefix_key

    if name.startswith(typed):
        return name
    for end in range(len(name) + 1):
        if prefix_key(name[:end]) == key:
            return typed + name[end:]
    return None


def complete_source(ctx: typer.Context, incomplete: str) -> list[str]:
    """Source keys starting with what was typed, trimmed as the library trims a key."""
    return _query(ctx, "SELECT key FROM sources WHERE lower(key) LIKE ? ESCAPE '\\' "
                       "ORDER BY key LIMIT ?", incomplete.strip().lower())
