"""Command-line values: checking dates and statuses as usage errors (exit 2, one message
style: "Invalid value for '--since': '2025-13-01' is not a date (...)"), and completing
entity names and aliases, source keys and statuses on TAB.

Completion runs on every TAB, so it never imports SQLAlchemy: it reads the SQLite file
the command would use with the standard library's sqlite3, read-only, and completes
nothing for a database that is not a SQLite file or does not exist.
"""

import os
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
    """Option callback: a data set's layout ``claims.io.presets.preset`` knows, or a usage
    error."""
    return _readable(value, "claims.io.presets", "preset", "a preset")


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
    root = ctx.find_root()
    raw = (root.params or {}).get("db") or os.environ.get("CLAIMS_DB") or ""
    if "://" in raw:
        if not raw.startswith("sqlite"):
            return None
        raw = raw.split(":///", 1)[-1]
    if not raw.strip():
        from platformdirs import user_data_path

        return user_data_path("claims", appauthor=False) / "claims.db"
    return Path(raw).expanduser()


def _query(ctx: typer.Context, sql: str, incomplete: str) -> list[str]:
    path = _database_file(ctx)
    if path is None or not path.is_file():
        return []
    pattern = incomplete.casefold().replace("\\", "\\\\").replace("%", "\\%")
    pattern = pattern.replace("_", "\\_") + "%"
    try:
        with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as conn:
            rows: list[Any] = conn.execute(sql, (pattern, COMPLETION_LIMIT)).fetchall()
    except sqlite3.Error:
        return []
    return [row[0] for row in rows]


def complete_entity(ctx: typer.Context, incomplete: str) -> list[str]:
    """Entity names and aliases starting with what was typed (in any case or script)."""
    return _query(ctx, "SELECT name FROM entity_names WHERE key LIKE ? ESCAPE '\\' "
                       "ORDER BY key LIMIT ?", incomplete)


def complete_source(ctx: typer.Context, incomplete: str) -> list[str]:
    return _query(ctx, "SELECT key FROM sources WHERE lower(key) LIKE ? ESCAPE '\\' "
                       "ORDER BY key LIMIT ?", incomplete)
