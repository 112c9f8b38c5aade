"""``claims import`` in two calls: which importer reads the inputs, then running it.

Three importers write what ``claims import`` reads: the claim importer
(``claims.io.api``: our jsonl/json records, CSV/TSV with a column map), the review importer
(``claims.reviews.importing``: HTML pages, ClaimReview JSON-LD, data-set presets) and the
dump loader (``claims.io.dump``: a whole database written by ``export --with-log``).
``plan_import`` checks a request and decides between the first two, touching no database;
``run_import`` runs the plan and returns one ``ImportOutcome`` per input. A jsonl input
whose first line is a dump's goes to the dump loader: only reading that line tells, and
stdin cannot be read twice, so that last choice is made while running.

    from claims.io.routing import ImportRequest, plan_import, run_import
    outcomes = run_import(db, plan_import(ImportRequest(files=["claims.jsonl"])))
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from claims.errors import InvalidError, NotFoundError
from claims.io.api import import_stream, parse_status_map
from claims.io.batching import ImportOptions, ImportSummary, Rejection
from claims.io.bounded import check_list_sep, open_input
from claims.io.dump import is_dump, load_dump
from claims.io.formats import ImportFormat, infer_format
from claims.io.readers import CountingLines
from claims.io.tabular import ColumnMap
from claims.reviews.importing import (
    ReviewReadOptions,
    import_reviews,
    is_review_input,
    parse_label_map,
)
from claims.reviews.jsonld import MAX_BYTES
from claims.reviews.presets import parse_field_map
from claims.reviews.writer import ReviewImportOptions, ReviewImportSummary

if TYPE_CHECKING:
    from claims.database.copy import CopySummary
    from claims.database.engine import Database

# What a request's ``fmt`` may be: the claim importer's formats, and html for the reviews'.
IMPORT_FORMATS = (*ImportFormat, "html")
# The review fields a column map may name; one of them makes a CSV a file of reviews.
REVIEW_FIELDS = ("label", "publisher", "url", "published")
# What a directory given to import stands for: the pages and JSON-LD files in it.
REVIEW_SUFFIXES = (".html", ".htm", ".json", ".jsonld", ".jsonl", ".ndjson")
SNIFF_BYTES = 1 << 20

T = TypeVar("T")
V = TypeVar("V")


class Importer(StrEnum):
    CLAIMS = "claims"
    REVIEWS = "reviews"
    DUMP = "dump"


class ImportRequestError(InvalidError):
    """The request itself is wrong (an unreadable map, stdin with no format): a usage error,
    exit 2 at the command line. ``field`` names the ``ImportRequest`` field at fault."""

    exit_code = 2

    def __init__(self, message: str, hint: str | None = None, field: str | None = None) -> None:
        super().__init__(message, hint)
        self.field = field


@dataclass(frozen=True)
class ImportRequest:
    """What ``claims import`` is given, its options as typed (maps as ``A=B`` strings):
    which importer reads them decides how they are parsed."""

    files: Sequence[str]  # paths, directories of pages, or "-" for stdin
    fmt: str | None = None  # one of IMPORT_FORMATS; None: from the name and content
    preset: str | None = None  # a data set's layout (claims.reviews.presets)
    column_map: Sequence[str] = ()  # COLUMN=FIELD
    status_map: Sequence[str] = ()  # LABEL=STATUS
    status_map_file: str | None = None  # reviews: a file of LABEL=STATUS lines
    header: bool = True
    default_source: str | None = None  # key of the source of records that name none
    list_sep: str = ","
    skip_invalid: bool = False
    date_format: str | None = None  # reviews
    strict: bool = False  # reviews: an unmapped verdict label is a rejection
    publisher: str | None = None  # reviews: of records that name none
    dry_run: bool = False
    max_record_bytes: int | None = None


@dataclass(frozen=True)
class ImportPlan:
    """A checked request and the importer that reads it (CLAIMS may still turn out DUMP)."""

    importer: Importer
    inputs: list[str]
    request: ImportRequest
    claim_format: ImportFormat | None = None
    claim_options: ImportOptions | None = None
    columns: ColumnMap | None = None
    review_options: ReviewReadOptions | None = None
    review_inputs: list[tuple[str, bytes]] | None = None  # read whole: a page is parsed whole


@dataclass(frozen=True)
class Rejected:
    """A record an import with ``skip_invalid`` left out. ``number`` is its line, or for
    the review importer its position (a page holds several records): ``unit`` says which."""

    label: str
    number: int
    unit: str  # "line" or "record"
    reason: str
    raw: str


@dataclass(frozen=True)
class ImportOutcome:
    """What one input did; ``summary``'s type follows ``importer``."""

    label: str
    importer: Importer
    summary: ImportSummary | ReviewImportSummary | CopySummary
    dry_run: bool = False


def import_route(files: Sequence[str], fmt: str | None = None, preset: str | None = None,
                 column_map: Sequence[str] = ()) -> Importer:
    """Whether the review importer reads these inputs (several files, a directory, a
    preset, html, a review column map, a page or ClaimReview JSON-LD), else the claim
    importer. Reads at most the first MiB of a single file."""
    if preset or fmt == "html" or len(files) > 1:
        return Importer.REVIEWS
    name = files[0]
    if name != "-" and Path(name).is_dir():
        return Importer.REVIEWS
    if name == "-" or not Path(name).is_file():
        return Importer.REVIEWS if fmt == "claimreview" else Importer.CLAIMS
    names_review_fields = any(m.rpartition("=")[2].strip() in REVIEW_FIELDS for m in column_map)
    with Path(name).open("rb") as stream:
        head = stream.read(SNIFF_BYTES)
    options = ReviewReadOptions(field_map={"map": "given"} if names_review_fields else {})
    found = is_review_input(head, Path(name).suffix.lower(), options)
    return Importer.REVIEWS if found else Importer.CLAIMS


def plan_import(request: ImportRequest) -> ImportPlan:
    """The request checked, its maps parsed for the importer that reads it, and review
    inputs read (each is parsed whole). No database is touched: a request refused here
    leaves none behind."""
    if not request.files:
        raise ImportRequestError("nothing to import", "give a file, a directory or -",
                                 field="files")
    fmt = request.fmt.lower() if request.fmt else None
    if fmt is not None and fmt not in IMPORT_FORMATS:
        raise ImportRequestError(f"unknown --format {request.fmt!r}",
                                 f"choose {', '.join(IMPORT_FORMATS)}", field="fmt")
    if import_route(request.files, fmt, request.preset, request.column_map) is Importer.REVIEWS:
        return _review_plan(request)
    file = request.files[0]
    if file == "-" and fmt is None:
        raise ImportRequestError("reading stdin needs --format (e.g. --format jsonl)",
                                 field="files")
    chosen = ImportFormat(fmt) if fmt else infer_format(file)
    statuses = _parsed("status_map", parse_status_map, request.status_map)
    options = ImportOptions(label=file, status_map=statuses,
                            default_source=request.default_source,
                            skip_invalid=request.skip_invalid)
    columns = _parsed("column_map", ColumnMap.parse, request.column_map)
    _parsed("list_sep", check_list_sep, request.list_sep)
    return ImportPlan(Importer.CLAIMS, [file], request, claim_format=chosen,
                      claim_options=options, columns=columns)


def _review_plan(request: ImportRequest) -> ImportPlan:
    field_map = _parsed("column_map", parse_field_map, list(request.column_map)) \
        if request.column_map else {}
    labels = _parsed("status_map", lambda specs: parse_label_map(
        specs, request.status_map_file), list(request.status_map))
    options = ReviewReadOptions(
        preset=request.preset, field_map=field_map, date_format=request.date_format,
        publisher=request.publisher, header=request.header,
        import_options=ReviewImportOptions(
            status_map=labels, strict=request.strict, skip_invalid=request.skip_invalid,
            default_source=request.default_source))
    inputs = _expand(request.files)
    return ImportPlan(Importer.REVIEWS, inputs, request, review_options=options,
                      review_inputs=[(name, _read_bytes(name)) for name in inputs])


def _parsed(field: str, parse: Callable[[V], T], value: V) -> T:
    """A request value the parser refuses is the request's fault (a usage error)."""
    try:
        return parse(value)
    except ImportRequestError:
        raise
    except NotFoundError:
        raise  # a status map file that is not there: not a malformed request
    except InvalidError as exc:
        raise ImportRequestError(exc.message, exc.hint, field=field) from None


def run_import(database: Database, plan: ImportPlan, *,
               on_reject: Callable[[Rejected], None] | None = None,
               on_progress: Callable[[int], None] | None = None) -> list[ImportOutcome]:
    """Run the plan in one write transaction (rolled back for a dry run; a dump is loaded
    by its own all-or-nothing writer).
    Without ``skip_invalid`` the first bad record raises and nothing is written.
    ``on_progress`` gets the characters read so far, after each batch of claims."""
    if plan.importer is Importer.REVIEWS:
        return _run_reviews(database, plan, on_reject)
    return [_run_claims(database, plan, on_reject, on_progress)]


class _DryRun(Exception):
    """Raised inside the write transaction so that a dry run rolls everything back."""


def _run_claims(database: Database, plan: ImportPlan,
                on_reject: Callable[[Rejected], None] | None,
                on_progress: Callable[[int], None] | None) -> ImportOutcome:
    assert plan.claim_format is not None and plan.claim_options is not None
    request, file = plan.request, plan.inputs[0]
    with open_input(file, max_bytes=request.max_record_bytes) as stream:
        lines_read = iter(stream)
        first = next(lines_read, None)
        if plan.claim_format is ImportFormat.JSONL and first is not None and is_dump(first):
            return _load_dump(database, file, first, lines_read, request.dry_run)
        lines = CountingLines(itertools.chain([first] if first is not None else [], lines_read))
        summary = ImportSummary()

        def rejected(r: Rejection) -> None:
            if on_reject is not None:
                on_reject(Rejected(file, r.line, "line", r.reason, r.raw))

        try:
            with database.write() as session:
                summary = import_stream(
                    session, lines, plan.claim_format, plan.claim_options,
                    column_map=plan.columns, header=request.header, list_sep=request.list_sep,
                    on_reject=rejected,
                    on_batch=None if on_progress is None else
                    lambda _batch: on_progress(lines.consumed))
                if request.dry_run:
                    raise _DryRun
        except _DryRun:
            pass
    return ImportOutcome(file, Importer.CLAIMS, summary, request.dry_run)


def _load_dump(database: Database, file: str, first: str, rest: Iterator[str],
               dry_run: bool) -> ImportOutcome:
    """A whole database written by 'claims export --with-log': into an empty one only."""
    if dry_run:
        raise ImportRequestError("--dry-run does not apply to a whole-database dump",
                                 field="dry_run")
    return ImportOutcome(file, Importer.DUMP, load_dump(database, first, rest, label=file))


def _run_reviews(database: Database, plan: ImportPlan,
                 on_reject: Callable[[Rejected], None] | None) -> list[ImportOutcome]:
    assert plan.review_options is not None and plan.review_inputs is not None
    current = {"label": ""}  # the input being read, for its rejections

    def rejected(number: int, reason: str, raw: str) -> None:
        if on_reject is not None:
            on_reject(Rejected(current["label"], number, "record", reason, raw))

    results: list[tuple[str, ReviewImportSummary]] = []
    try:
        with database.write() as session:
            for label, data in plan.review_inputs:
                current["label"] = label
                results += import_reviews(session, [(label, data)], plan.review_options,
                                          on_reject=rejected)
            if plan.request.dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return [ImportOutcome(label, Importer.REVIEWS, summary, plan.request.dry_run)
            for label, summary in results]


def _expand(files: Iterable[str]) -> list[str]:
    """Files as given; a directory stands for the pages and JSON-LD files in it."""
    found: list[str] = []
    for name in files:
        path = Path(name)
        if name != "-" and path.is_dir():
            found += sorted(str(p) for p in path.iterdir() if p.suffix.lower() in
                            REVIEW_SUFFIXES)
        else:
            found.append(name)
    return found


def _read_bytes(name: str) -> bytes:
    # One byte past the cap, so that the review reader can tell a page too large.
    if name == "-":
        return sys.stdin.buffer.read(MAX_BYTES + 1)
    try:
        with open(name, "rb") as stream:
            return stream.read(MAX_BYTES + 1)
    except OSError as exc:
        raise NotFoundError(f"cannot read {name!r}: {exc.strerror}", "check the path") from None
