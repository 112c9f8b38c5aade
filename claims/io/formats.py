"""The formats import and export speak. Kept free of SQLAlchemy so the CLI can offer them
as choices without loading the database layer (``claims --help`` stays fast)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from claims.errors import InvalidError


class ImportFormat(StrEnum):
    JSONL = "jsonl"
    JSON = "json"
    CSV = "csv"
    TSV = "tsv"
    CLAIMREVIEW = "claimreview"


class ExportFormat(StrEnum):
    JSONL = "jsonl"
    JSON = "json"
    CSV = "csv"
    CLAIMREVIEW = "claimreview"


EXTENSIONS = {
    ".jsonl": ImportFormat.JSONL, ".ndjson": ImportFormat.JSONL,
    ".json": ImportFormat.JSON, ".jsonld": ImportFormat.JSON,
    ".csv": ImportFormat.CSV, ".tsv": ImportFormat.TSV, ".tab": ImportFormat.TSV,
}


def infer_format(name: str) -> ImportFormat:
    """The format a file name's extension says, or an error asking for --format."""
    suffix = Path(name).suffix.lower()
    if suffix in EXTENSIONS:
        return EXTENSIONS[suffix]
    raise InvalidError(f"cannot tell the format of {name!r} from its name",
                       "give --format jsonl, json, csv, tsv or claimreview")


# Joins list cells (about, tags) in CSV output: names may hold commas, rarely a bar.
CSV_LIST_SEP = " | "
