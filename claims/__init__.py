"""claims: a fact-claim tracking database for the shell.

This module is the library's face: every name a Python caller needs, each defined in one
module of a feature package and offered here under one name (``import claims`` and
``claims.add_claim(...)``; the docs' "Python API" page lists them). The CLI in
``claims.cli`` is a thin layer over the same functions.

Names load on first use, so importing this package stays cheap for ``claims --help`` and
shell completion (SQLAlchemy and Alembic load only when a name that needs them is used).
"""

from __future__ import annotations

# No imports at all (not even typing): the CLI's Ctrl-C handler (claims.cli) can only be
# installed once this module has run, so it must run in no time.
TYPE_CHECKING = False

__version__ = "0.1.0"

# Public names and the module that defines each; resolved lazily by __getattr__.
_EXPORTS: dict[str, str] = {
    "ClaimsError": "claims.errors",
    "ConflictError": "claims.errors",
    "DatabaseError": "claims.errors",
    "InvalidError": "claims.errors",
    "NotFoundError": "claims.errors",
    "EntityKind": "claims.vocab",
    "LinkKind": "claims.vocab",
    "SourceKind": "claims.vocab",
    "Status": "claims.vocab",
    "Context": "claims.database.engine",
    "Database": "claims.database.engine",
    "open_database": "claims.database.engine",
    "copy_database": "claims.database.copy",
    "backup_database": "claims.database.backup",
    "check_database": "claims.database.check",
    "ClaimFilter": "claims.reads.query",
    "claim_history": "claims.reads.query",
    "count_claims": "claims.reads.query",
    "list_claims": "claims.reads.query",
    "list_entities": "claims.reads.query",
    "list_sources": "claims.reads.query",
    "show_claim": "claims.reads.query",
    "show_entity": "claims.reads.query",
    "show_source": "claims.reads.query",
    "track_records": "claims.reads.stats",
    "conflicts": "claims.reads.graph",
    "related": "claims.reads.graph",
    "subgraph": "claims.reads.graph",
    "add_claim": "claims.writes.store",
    "add_source": "claims.writes.store",
    "delete_claim": "claims.writes.store",
    "edit_claim": "claims.writes.store",
    "link_claims": "claims.writes.store",
    "set_status": "claims.writes.store",
    "unlink_claims": "claims.writes.store",
    "add_alias": "claims.writes.entities",
    "add_entity": "claims.writes.entities",
    "edit_entity": "claims.writes.entities",
    "merge_entities": "claims.writes.entities",
    "edit_source": "claims.writes.sources",
    "load_seeds": "claims.writes.seed",
    "search_claims": "claims.search.ranking",
    "similar_claims": "claims.search.ranking",
    "ReviewInput": "claims.reviews.store",
    "add_review": "claims.reviews.store",
    "ReviewReadOptions": "claims.reviews.importing",
    "import_reviews": "claims.reviews.importing",
    "restore_claim": "claims.audit.undo",
    "undo": "claims.audit.undo",
    "purge_claim": "claims.audit.purge",
    "LogFilter": "claims.audit.log",
    "list_change_sets": "claims.audit.log",
    "claim_timeline": "claims.audit.history",
    "add_figure": "claims.figures.store",
    "add_measure": "claims.figures.measures",
    "due_claims": "claims.figures.due",
    "set_due": "claims.figures.due",
    "timeline": "claims.figures.timeline",
    "import_stream": "claims.io.api",
    "ImportRequest": "claims.io.routing",
    "plan_import": "claims.io.routing",
    "run_import": "claims.io.routing",
    "full_claim_record": "claims.reviews.full_record",
    "ImportOptions": "claims.io.batching",
    "ImportSummary": "claims.io.batching",
    "ColumnMap": "claims.io.tabular",
    "export_claims": "claims.io.export",
    "load_dump": "claims.io.dump",
    "write_dump": "claims.io.dump",
    "extract_claims": "claims.extract.extractor",
    "Lexicon": "claims.extract.lexicon",
    "build_report": "claims.report",
    "render_report": "claims.report",
}

__all__ = [
    "ClaimFilter",
    "ClaimsError",
    "ColumnMap",
    "ConflictError",
    "Context",
    "Database",
    "DatabaseError",
    "EntityKind",
    "ImportOptions",
    "ImportRequest",
    "ImportSummary",
    "InvalidError",
    "Lexicon",
    "LinkKind",
    "LogFilter",
    "NotFoundError",
    "ReviewInput",
    "ReviewReadOptions",
    "SourceKind",
    "Status",
    "__version__",
    "add_alias",
    "add_claim",
    "add_entity",
    "add_figure",
    "add_measure",
    "add_review",
    "add_source",
    "backup_database",
    "build_report",
    "check_database",
    "claim_history",
    "claim_timeline",
    "conflicts",
    "copy_database",
    "count_claims",
    "delete_claim",
    "due_claims",
    "edit_claim",
    "edit_entity",
    "edit_source",
    "export_claims",
    "extract_claims",
    "full_claim_record",
    "import_reviews",
    "import_stream",
    "link_claims",
    "list_change_sets",
    "list_claims",
    "list_entities",
    "list_sources",
    "load_dump",
    "load_seeds",
    "merge_entities",
    "open_database",
    "plan_import",
    "purge_claim",
    "related",
    "render_report",
    "restore_claim",
    "run_import",
    "search_claims",
    "set_due",
    "set_status",
    "show_claim",
    "show_entity",
    "show_source",
    "similar_claims",
    "subgraph",
    "timeline",
    "track_records",
    "undo",
    "unlink_claims",
    "write_dump",
]


def __getattr__(name: str) -> Any:
    import importlib

    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module 'claims' has no attribute {name!r}")
    return getattr(importlib.import_module(module_name), name)


def __dir__() -> list[str]:
    return sorted(__all__)


if TYPE_CHECKING:
    from typing import Any

    from claims.audit.history import claim_timeline
    from claims.audit.log import LogFilter, list_change_sets
    from claims.audit.purge import purge_claim
    from claims.audit.undo import restore_claim, undo
    from claims.database.backup import backup_database
    from claims.database.check import check_database
    from claims.database.copy import copy_database
    from claims.database.engine import Context, Database, open_database
    from claims.errors import ClaimsError, ConflictError, DatabaseError, InvalidError, NotFoundError
    from claims.extract.extractor import extract_claims
    from claims.extract.lexicon import Lexicon
    from claims.figures.due import due_claims, set_due
    from claims.figures.measures import add_measure
    from claims.figures.store import add_figure
    from claims.figures.timeline import timeline
    from claims.io.api import import_stream
    from claims.io.batching import ImportOptions, ImportSummary
    from claims.io.dump import load_dump, write_dump
    from claims.io.export import export_claims
    from claims.io.routing import ImportRequest, plan_import, run_import
    from claims.io.tabular import ColumnMap
    from claims.reads.graph import conflicts, related, subgraph
    from claims.reads.query import (
        ClaimFilter,
        claim_history,
        count_claims,
        list_claims,
        list_entities,
        list_sources,
        show_claim,
        show_entity,
        show_source,
    )
    from claims.reads.stats import track_records
    from claims.report import build_report, render_report
    from claims.reviews.full_record import full_claim_record
    from claims.reviews.importing import ReviewReadOptions, import_reviews
    from claims.reviews.store import ReviewInput, add_review
    from claims.search.ranking import search_claims, similar_claims
    from claims.vocab import EntityKind, LinkKind, SourceKind, Status
    from claims.writes.entities import add_alias, add_entity, edit_entity, merge_entities
    from claims.writes.seed import load_seeds
    from claims.writes.sources import edit_source
    from claims.writes.store import (
        add_claim,
        add_source,
        delete_claim,
        edit_claim,
        link_claims,
        set_status,
        unlink_claims,
    )
