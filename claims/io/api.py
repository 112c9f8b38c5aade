"""The import entry point: a text stream in, records written, a summary back."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TextIO

from sqlalchemy.orm import Session

from claims.errors import InvalidError
from claims.io.batching import ImportOptions, ImportSummary, Rejection
from claims.io.bounded import check_list_sep, checked_items
from claims.io.formats import ImportFormat
from claims.io.importer import Importer
from claims.io.items import status_label_key
from claims.io.readers import CountingLines, read_items
from claims.io.tabular import ColumnMap
from claims.vocab import Status, parse_choice


def import_stream(session: Session, stream: TextIO | CountingLines, fmt: ImportFormat | str,
                  options: ImportOptions, *, column_map: ColumnMap | None = None,
                  header: bool = True, list_sep: str = ",",
                  on_reject: Callable[[Rejection], None] | None = None,
                  on_batch: Callable[[ImportSummary], None] | None = None) -> ImportSummary:
    """Import every record of ``stream`` (an open text file) into the session's database.

    Runs inside the caller's transaction; with ``options.skip_invalid`` off, the first bad
    record raises ``InvalidError("FILE:LINE: problem")`` and the caller's rollback undoes
    everything. ``on_batch`` is called after each batch (for progress)."""
    lines = stream if isinstance(stream, CountingLines) else CountingLines(stream)
    items = checked_items(read_items(lines, ImportFormat(fmt), column_map=column_map,
                                     header=header, list_sep=check_list_sep(list_sep)))
    return Importer(session, options, on_reject, on_batch).run(items)


def parse_status_map(specs: Sequence[str]) -> dict[str, Status]:
    """``LABEL=STATUS`` pairs (``pants-fire=false``) as the importer's status map."""
    mapping: dict[str, Status] = {}
    for spec in specs:
        label, sep, status = spec.rpartition("=")
        if not sep or not label.strip():
            raise InvalidError(f"cannot read status map {spec!r}",
                               "write LABEL=STATUS, e.g. pants-fire=false")
        key, chosen = status_label_key(label), parse_choice(Status, status, "status")
        if mapping.get(key, chosen) is not chosen:
            raise InvalidError(f"status map reads {label.strip()!r} as both "
                               f"{mapping[key].value} and {chosen.value}",
                               "give each label one status")
        mapping[key] = chosen
    return mapping
