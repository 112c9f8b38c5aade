"""Turning library records into output: a Rich table on a terminal, tab-separated text when
piped, or json / jsonl / csv on request. Rich loads only when a table is drawn."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import Any

from claims.cli.layout import Column, Record, cell
from claims.textsafe import csv_row, visible


class OutputFormat(StrEnum):
    TABLE = "table"
    TSV = "tsv"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"


CLAIM_COLUMNS = [
    Column("id", "ID", "bold", None),
    Column("status", "Status", None, None),
    Column("speaker", "Speaker", "cyan", 24),
    Column("source", "Source", "dim", 28),
    Column("said_on", "Said on", None, None),
    Column("about", "About", "magenta", 30),
    Column("text", "Text", None, None),
]

STATUS_STYLES = {
    "true": "green",
    "mostly-true": "green",
    "half-true": "yellow",
    "mostly-false": "red",
    "false": "bold red",
    "unverified": "dim",
    "disputed": "magenta",
    "unproven": "yellow",
    "retracted": "strike",
    "outdated": "dim",
}


def resolve_format(fmt: OutputFormat | None) -> OutputFormat:
    """No --format: a table on a terminal, tab-separated text in a pipe."""
    if fmt is not None:
        return fmt
    return OutputFormat.TABLE if sys.stdout.isatty() else OutputFormat.TSV


def flat(value: Any) -> str:
    """A cell for tab-separated output: one line, no tabs, nothing that acts on a terminal."""
    return visible(cell(value).replace("\t", " ").replace("\r", " ").replace("\n", " "))


def emit_records(
    records: Sequence[Record],
    fmt: OutputFormat | None,
    columns: Sequence[Column],
    title: str | None = None,
) -> None:
    """A listing: an array in JSON, a line per record in jsonl/tsv, a header row in csv."""
    fmt = resolve_format(fmt)
    out = sys.stdout
    if fmt is OutputFormat.JSON:
        json.dump(list(records), out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt is OutputFormat.JSONL:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    elif fmt is OutputFormat.CSV:
        _write_csv(records)
    elif fmt is OutputFormat.TSV:
        for record in records:
            out.write("\t".join(flat(record.get(c.key)) for c in columns) + "\n")
    else:
        _print_table(records, columns, title)


def _write_csv(records: Sequence[Record]) -> None:
    if not records:
        return
    writer = csv.DictWriter(sys.stdout, fieldnames=list(records[0]), lineterminator="\n")
    writer.writeheader()
    for record in records:
        row = {k: _csv_value(v) for k, v in record.items()}
        writer.writerow(row if csv_formulas_allowed() else csv_row(row))


def _csv_value(value: Any) -> str:
    from claims.io.formats import CSV_LIST_SEP  # the same lists as `claims export`

    if isinstance(value, dict) or (
        isinstance(value, list) and any(isinstance(v, dict) for v in value)
    ):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return CSV_LIST_SEP.join(cell(v) for v in value)
    return cell(value)


def csv_formulas_allowed() -> bool:
    """CLAIMS_CSV_FORMULAS=1 turns the formula guard of CSV output off (machine use)."""
    from claims.settings import csv_formulas_from_environment

    return csv_formulas_from_environment()


def _console() -> Any:
    from rich.console import Console

    return Console()


def _print_table(records: Sequence[Record], columns: Sequence[Column], title: str | None) -> None:
    from claims.cli.layout import table

    console = _console()
    console.print(table(records, columns, console.width, _text(title) if title else None,
                        _styled))


def _styled(key: str, value: Any) -> Any:
    """A table cell: a Rich ``Text``, so user data is never read as markup, with acting
    characters escaped (claims.textsafe.visible)."""
    if hasattr(value, "__rich_console__"):  # built by the caller, already made safe
        return value
    if key == "status" and value:
        return _text(str(value), STATUS_STYLES.get(str(value), ""))
    return _text(cell(value))


def _text(value: str, style: str = "") -> Any:
    from rich.text import Text

    return Text(visible(value), style=style)


def emit_record(
    record: Record,
    fmt: OutputFormat | None,
    sections: Sequence[tuple[str, Callable[[Record], None]]] = (),
) -> None:
    """One record (``show``): key/value lines, then its nested sections."""
    fmt = resolve_format(fmt)
    if fmt in (OutputFormat.JSON, OutputFormat.JSONL):
        indent = 2 if fmt is OutputFormat.JSON else None
        sys.stdout.write(json.dumps(record, ensure_ascii=False, indent=indent) + "\n")
        return
    if fmt is OutputFormat.CSV:
        _write_csv([record])
        return
    nested = {name for name, _ in sections}
    scalars = [(k, v) for k, v in record.items() if k not in nested]
    if fmt is OutputFormat.TSV:
        for key, value in scalars:
            sys.stdout.write(f"{key}\t{flat(value)}\n")
    else:
        from rich.table import Table

        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold")
        grid.add_column(overflow="fold")
        for key, value in scalars:
            if value is None or value == "" or value == []:  # as a table leaves out empty
                continue                                      # columns; tsv keeps them
            grid.add_row(_text(key), _styled(key, value))
        _console().print(grid)
    for _, show_section in sections:
        show_section(record)


def heading(text: str) -> None:
    """A section title inside ``show`` output."""
    if sys.stdout.isatty():
        _console().print()
        _console().print(_text(text, "bold underline"))
    else:
        sys.stdout.write(f"\n# {visible(text)}\n")
