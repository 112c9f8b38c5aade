"""CSV and TSV with a column map: ``COLUMN=FIELD`` pairs naming which column holds what.

TSV is read strictly line for line (``csv.QUOTE_NONE``): LIAR-style files hold statements
with unbalanced double quotes, and a quoting reader would swallow every line up to the
next quote into one field. CSV follows RFC 4180 quoting, so a quoted field may span lines;
every row is checked against the header's width, which catches a runaway quote there too.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from claims.errors import ClaimsError, InvalidError
from claims.figures.due import parse_due
from claims.io.figure_fields import figures_from_csv
from claims.io.items import (
    ClaimInput,
    Item,
    SourceInput,
)
from claims.parse import optional_text, parse_day, required_text, tag_list
from claims.vocab import EntityKind, SourceKind, parse_choice

# Fields a column can hold. List fields split on the list separator (a comma by default).
SCALAR_FIELDS = ("text", "quote", "speaker", "speaker_kind", "source", "status", "note",
                 "said_on", "external_id", "due", "figures", "figure", "measure")
LIST_FIELDS = ("about", "tag")
FIELD_ALIASES = {"tags": "tag"}
FIELDS = SCALAR_FIELDS + LIST_FIELDS
MAX_COLUMN = 2**31  # far beyond csv's own limits; anything larger is a typo or an attack


@dataclass(frozen=True)
class ColumnMap:
    """Which column feeds which field: a header name, or a 1-based position."""

    pairs: tuple[tuple[str, str], ...]

    @classmethod
    def parse(cls, specs: Sequence[str]) -> ColumnMap:
        pairs = []
        for spec in specs:
            column, sep, field_name = spec.rpartition("=")
            field_name = FIELD_ALIASES.get(field_name.strip().lower(), field_name.strip().lower())
            if not sep or not column.strip() or field_name not in FIELDS:
                raise InvalidError(f"cannot read column map {spec!r}",
                                   f"write COLUMN=FIELD with FIELD one of: {', '.join(FIELDS)}")
            if column.strip().isdigit() and int(column) > MAX_COLUMN:
                raise InvalidError(f"column {column.strip()} is beyond any file's columns",
                                   f"columns are numbered from 1 to at most {MAX_COLUMN}")
            pairs.append((column.strip(), field_name))
        scalars = [f for _, f in pairs if f in SCALAR_FIELDS]
        doubled = sorted({f for f in scalars if scalars.count(f) > 1})
        if doubled:
            raise InvalidError(f"more than one column mapped to {', '.join(doubled)}",
                               "map each single-valued field once")
        return cls(tuple(pairs))


def read_tabular(stream: Iterable[str], *, delimiter: str, header: bool, column_map: ColumnMap,
                 list_sep: str = ",") -> Iterator[Item]:
    if delimiter == "\t":
        reader = csv.reader(stream, delimiter="\t", quoting=csv.QUOTE_NONE)
    else:
        reader = csv.reader(stream, delimiter=delimiter)
    names: list[str] | None = None
    rows = _rows(reader)
    if header:
        first = next(rows, None)
        if first is None:
            return
        if isinstance(first, csv.Error):
            raise InvalidError(f"cannot read the header line ({first})",
                               "check the delimiter and quoting, or use --no-header")
        names = first
        _refuse_repeated(names)
    positions = _positions(column_map, names)
    width = len(names) if names is not None else max((p for p, _ in positions), default=0) + 1
    start = reader.line_num + 1
    for row in rows:
        if isinstance(row, csv.Error):
            yield Item(start, "", error=f"unreadable {'TSV' if delimiter == chr(9) else 'CSV'}"
                                        f" row ({row})")
            start = reader.line_num + 1
            continue
        line, start = start, reader.line_num + 1
        if not row or all(not cell.strip() for cell in row):
            continue
        raw = delimiter.join(row)
        try:
            item = Item(line, raw, _claim(row, positions, width, names is not None, list_sep))
        except ClaimsError as exc:
            item = Item(line, raw, error=str(exc))
        yield item


def _rows(reader: Iterator[list[str]]) -> Iterator[list[str] | csv.Error]:
    """The reader's rows, with a row it cannot read (a field over csv's size limit) as the
    error instead of the end of the import."""
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield exc


def _refuse_repeated(names: list[str]) -> None:
    folded = [n.strip().casefold() for n in names if n.strip()]
    repeated = sorted({n for n in folded if folded.count(n) > 1})
    if repeated:
        raise InvalidError(f"the header names column {repeated[0]!r} more than once",
                           "rename the repeated columns, or use --no-header and positions")


def _positions(column_map: ColumnMap, names: list[str] | None) -> list[tuple[int, str]]:
    pairs = column_map.pairs or _default_pairs(names)
    if not pairs:
        raise InvalidError("no column is mapped to a field",
                           "give --map COLUMN=FIELD, e.g. --map statement=text")
    if "text" not in {f for _, f in pairs}:
        raise InvalidError("no column is mapped to text", "add --map COLUMN=text")
    return [(_position(column, names), field_name) for column, field_name in pairs]


def _default_pairs(names: list[str] | None) -> tuple[tuple[str, str], ...]:
    """Without --map, columns named like fields (as in our own CSV export) feed them."""
    if names is None:
        return ()
    found = []
    for name in names:
        field_name = FIELD_ALIASES.get(name.strip().lower(), name.strip().lower())
        if field_name in FIELDS:
            found.append((name, field_name))
    return tuple(found)


def _position(column: str, names: list[str] | None) -> int:
    if names is not None:
        if column in names:
            return names.index(column)
        folded = [n.strip().casefold() for n in names]
        if column.casefold() in folded:
            return folded.index(column.casefold())
    if column.isdigit() and int(column) >= 1:
        if names is not None and int(column) > len(names):
            raise InvalidError(f"column {column} is beyond the header's {len(names)} columns",
                               f"number columns from 1 to {len(names)}")
        return int(column) - 1
    if names is None:
        raise InvalidError(f"column {column!r} is not a position",
                           "without a header, name columns by number from 1")
    raise InvalidError(f"no column {column!r} in the header",
                       f"columns are: {', '.join(names)}")


def _claim(row: list[str], positions: list[tuple[int, str]], width: int, strict: bool,
           list_sep: str) -> ClaimInput:
    if (strict and len(row) != width) or len(row) < width:
        raise InvalidError(f"{len(row)} fields where {width} were expected",
                           "check the delimiter and any stray quotes on this line")
    values: dict[str, str] = {}
    lists: dict[str, list[str]] = {"about": [], "tag": []}
    for position, field_name in positions:
        cell = row[position].strip()
        if not cell:
            continue  # an empty cell says nothing
        if field_name in lists:
            lists[field_name].extend(p.strip() for p in cell.split(list_sep) if p.strip())
        else:
            values[field_name] = cell
    speaker_kind = values.get("speaker_kind")
    source = values.get("source")
    return ClaimInput(
        text=required_text(values.get("text"), "claim text"),
        quote=optional_text(values.get("quote"), "quote"),
        speaker=optional_text(values.get("speaker"), "speaker"),
        speaker_kind=parse_choice(EntityKind, speaker_kind, "entity kind").value
        if speaker_kind else None,
        source=_source_key(source) if source else None,
        source_spec=_source_spec(source) if source else None,
        about=lists["about"],
        status=values.get("status"),
        status_note=optional_text(values.get("note"), "note"),
        said_on=parse_day(values.get("said_on"), "said-on date"),
        tags=tag_list(lists["tag"]),
        external_id=optional_text(values.get("external_id"), "external id"),
        figures=figures_from_csv(values.get("figures"), values.get("figure"),
                                 values.get("measure")),
        due=parse_due(values.get("due")),
    )


def _source_key(value: str) -> str:
    """A cell that is a key (no spaces) is used as it is; a name becomes a slug key."""
    if not any(ch.isspace() for ch in value):
        return value
    return re.sub(r"[^\w]+", "-", value.casefold()).strip("-")[:200] or "source"


def _source_spec(value: str) -> SourceInput:
    """How to create a source named in a column that no existing key matches."""
    return SourceInput(key=_source_key(value), title=value, outlet=value,
                       kind=SourceKind.OTHER.value)
