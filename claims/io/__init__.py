"""Import and export: the tool's own jsonl/json records, CSV/TSV with column maps, and
schema.org ClaimReview JSON-LD.

One call each, inside a transaction the caller opens::

    from claims.io import ColumnMap, ImportOptions, export_claims, import_stream

    with db.write() as session, open("liar.tsv", encoding="utf-8") as stream:
        summary = import_stream(session, stream, "tsv",
                                ImportOptions(label="liar.tsv", default_source="liar"),
                                column_map=ColumnMap.parse(["3=text", "5=speaker"]),
                                header=False)
    with db.read() as session:
        export_claims(session, sys.stdout, "jsonl", ClaimFilter(tag="energy"))

Names load lazily (as in ``claims``), so the CLI can import the format enums without
pulling in SQLAlchemy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS: dict[str, str] = {
    "ImportFormat": "claims.io.formats",
    "ExportFormat": "claims.io.formats",
    "infer_format": "claims.io.formats",
    "ColumnMap": "claims.io.tabular",
    "CountingLines": "claims.io.readers",
    "ImportOptions": "claims.io.importer",
    "ImportSummary": "claims.io.importer",
    "Rejection": "claims.io.importer",
    "ExportSummary": "claims.io.export",
    "export_claims": "claims.io.export",
    "import_stream": "claims.io.api",
    "parse_status_map": "claims.io.api",
    "ReviewReadOptions": "claims.io.review_inputs",
    "import_reviews": "claims.io.review_inputs",
    "write_dump": "claims.io.dump",
    "load_dump": "claims.io.dump",
    "is_dump": "claims.io.dump",
}

__all__ = [
    "ColumnMap", "CountingLines", "ExportFormat", "ExportSummary", "ImportFormat",
    "ImportOptions", "ImportSummary", "Rejection", "ReviewReadOptions", "export_claims",
    "import_reviews", "import_stream", "infer_format", "is_dump", "load_dump",
    "parse_status_map", "write_dump",
]


def __getattr__(name: str) -> Any:
    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module 'claims.io' has no attribute {name!r}")
    return getattr(importlib.import_module(module_name), name)


if TYPE_CHECKING:
    from claims.io.api import import_stream, parse_status_map
    from claims.io.dump import is_dump, load_dump, write_dump
    from claims.io.export import ExportSummary, export_claims
    from claims.io.formats import ExportFormat, ImportFormat, infer_format
    from claims.io.importer import ImportOptions, ImportSummary, Rejection
    from claims.io.readers import CountingLines
    from claims.io.review_inputs import ReviewReadOptions, import_reviews
    from claims.io.tabular import ColumnMap
