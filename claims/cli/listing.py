"""What every claim listing (list, search) shares beyond its filters: ``--sort`` and
``--reverse``, the "20 of 32 shown" note, and what an empty result prints.

An empty result says "no claims match" on stderr; stdout gets ``[]`` for ``--format
json`` (still an array to parse) and nothing at all for the table, tsv, jsonl and csv
(no header row: there are no rows to name).
"""

from collections.abc import Callable, Sequence
from typing import Annotated, Any

import typer

from claims.cli.helpers import note
from claims.cli.layout import Column, Record
from claims.cli.render import OutputFormat, emit_records, resolve_format
from claims.vocab import SortKey as Sort

NO_MATCH = "no claims match"




SortOpt = Annotated[Sort | None, typer.Option(
    "--sort", case_sensitive=False,
    help="Order by this: said_on, created, updated, id (the default), status (scale "
         "order), rating (true first), score (a search's default, best first).")]
ReverseOpt = Annotated[bool, typer.Option(
    "--reverse", "-r", help="Reverse the order (newest first: --sort created --reverse).")]


def shown_note(shown: int, total: int) -> str:
    return f"{shown} of {total} shown (use --limit)"


def emit_listing(records: Sequence[Record], fmt: OutputFormat | None,
                 columns: Sequence[Column], limit: int | None,
                 count: Callable[[], int]) -> None:
    """Print a listing; ``count()`` (asked only when the limit was reached) gives how many
    there were in all."""
    chosen = resolve_format(fmt)
    if not records:
        total = count() if limit == 0 else 0  # --limit 0: some matched, none shown
        note(shown_note(0, total) if total else NO_MATCH)
        if chosen is OutputFormat.JSON:
            emit_records([], chosen, columns)
        return
    emit_records(records, chosen, columns)
    if limit is not None and len(records) >= limit:
        total = count()
        if total > len(records):
            note(shown_note(len(records), total))


def sorted_filter(claim_filter: Any, sort: Sort | None, reverse: bool) -> Any:
    """The filter with the chosen order (None keeps the command's natural order)."""
    from dataclasses import replace

    return replace(claim_filter, sort=sort.value if sort else None, reverse=reverse)
