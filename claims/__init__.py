"""claims: a fact-claim tracking database for the shell.

The library is everything a Python caller needs; the CLI in ``claims.cli`` is a thin
layer over it. Heavy modules (SQLAlchemy, Alembic) load on first use, so importing this
package stays cheap for ``claims --help`` and shell completion.
"""

from __future__ import annotations

# No imports at all (not even typing): the CLI's Ctrl-C handler (claims.cli) can only be
# installed once this module has run, so it must run in no time.
TYPE_CHECKING = False

__version__ = "0.1.0"

# Public names and the module that defines each; resolved lazily by __getattr__.
_EXPORTS: dict[str, str] = {
    "ClaimsError": "claims.errors",
    "NotFoundError": "claims.errors",
    "InvalidError": "claims.errors",
    "ConflictError": "claims.errors",
    "Status": "claims.vocab",
    "LinkKind": "claims.vocab",
    "EntityKind": "claims.vocab",
    "SourceKind": "claims.vocab",
    "Database": "claims.db",
    "open_database": "claims.db",
    "ClaimFilter": "claims.query",
}

# Library modules reachable as attributes after a plain ``import claims``.
_MODULES = {"store", "query", "seed", "names", "migrate", "models", "tables", "db", "vocab",
            "errors", "lookup", "rules", "records", "duplicates", "search", "parse"}

__all__ = [
    "ClaimFilter",
    "ClaimsError",
    "ConflictError",
    "Database",
    "EntityKind",
    "InvalidError",
    "LinkKind",
    "NotFoundError",
    "SourceKind",
    "Status",
    "__version__",
    "open_database",
]


def __getattr__(name: str) -> Any:
    import importlib

    if name in _MODULES:
        return importlib.import_module(f"claims.{name}")
    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module 'claims' has no attribute {name!r}")
    return getattr(importlib.import_module(module_name), name)


if TYPE_CHECKING:
    from typing import Any

    from claims.db import Database, open_database
    from claims.errors import ClaimsError, ConflictError, InvalidError, NotFoundError
    from claims.query import ClaimFilter
    from claims.vocab import EntityKind, LinkKind, SourceKind, Status
