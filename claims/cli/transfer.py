"""``claims export`` and ``claims import``: option parsing, progress and summaries only;
the formats and the writing live in ``claims.io``."""

import itertools
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO, TypeVar

import typer

from claims.cli import options
from claims.cli.guard import raw_stderr
from claims.cli.helpers import Commands, database, note
from claims.cli.options import with_claim_filter
from claims.cli.values import check_preset
from claims.io.formats import ExportFormat, ImportFormat

T = TypeVar("T")

if TYPE_CHECKING:
    from claims.db import Database
    from claims.io import ImportSummary, Rejection
    from claims.query import ClaimFilter

commands = Commands()


@commands()
@with_claim_filter()
def export(
    ctx: typer.Context,
    claim_filter: "ClaimFilter | None" = None,
    fmt: Annotated[ExportFormat, typer.Option(
        "--format", "-f", case_sensitive=False,
        help="jsonl/json: everything, for 'claims import'; csv: a flat row per claim "
             "(lists joined with ' | '); claimreview: schema.org JSON-LD of the verdicts.",
    )] = ExportFormat.JSONL,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", dir_okay=False, help="Write to this file instead of stdout.")] = None,
    publisher: Annotated[str | None, typer.Option(
        "--publisher", envvar="CLAIMS_PUBLISHER", show_envvar=True,
        help="ClaimReview only: our desk's name, whose reviews are written (default: "
             "'Our desk').")] = None,
    all_reviews: Annotated[bool, typer.Option(
        "--all-reviews", help="ClaimReview only: every publisher's reviews, not only ours.")
    ] = False,
    check: Annotated[bool, typer.Option(
        "--check", help="ClaimReview only: list, per review, the required and recommended "
                        "properties it lacks, instead of exporting.")] = False,
    csv_formulas: Annotated[bool, typer.Option(
        "--csv-formulas", envvar="CLAIMS_CSV_FORMULAS", show_envvar=True,
        help="CSV only: write cells starting with = + - @ as they are, for programs; by "
             "default they get a leading ' so spreadsheets do not run them.")] = False,
    with_log: Annotated[bool, typer.Option(
        "--with-log", help="The whole database as it is stored, ids, history and audit log "
                           "included (jsonl), for 'claims import' into an empty database.")
    ] = False,
) -> None:
    """Write claims (all, or those the filters select) as jsonl, json, csv or ClaimReview."""
    from claims.io import export_claims

    assert claim_filter is not None  # given by with_claim_filter
    if check:
        from claims.cli.reviews_cmds import check_reviews

        check_reviews(ctx, claim_filter, publisher=publisher, all_reviews=all_reviews)
        return
    if with_log:
        _export_dump(ctx, claim_filter, fmt, output)
        return
    db = database(ctx)
    with _destination(output, db) as out, db.read() as session:
        summary = export_claims(session, out, fmt, claim_filter=claim_filter,
                                publisher=publisher, all_reviews=all_reviews,
                                csv_formulas=csv_formulas)
    if summary.skipped:
        why = ", ".join(f"{reason}: {n}" for reason, n in summary.reasons.items())
        note(f"Left out {summary.skipped} review(s) ({why})")
    if output is not None:
        noun = "review(s)" if fmt is ExportFormat.CLAIMREVIEW else "claim(s)"
        note(f"Exported {summary.claims} {noun} to {output}")


def _export_dump(ctx: typer.Context, claim_filter: "ClaimFilter", fmt: ExportFormat,
                 output: Path | None) -> None:
    from claims.io import write_dump

    if fmt is not ExportFormat.JSONL or not claim_filter.selects_all():
        note("Error: --with-log writes the whole database as jsonl: give no filters and no "
             "other --format")
        raise typer.Exit(2)
    db = database(ctx)
    with _destination(output, db) as out:
        rows = write_dump(db, out)
    if output is not None:
        note(f"Exported the whole database ({sum(rows.values())} rows, the audit log "
             f"included) to {output}")


@contextmanager
def _destination(output: Path | None, db: "Database") -> Iterator[TextIO]:
    """stdout, or the file under claims.outpath's rules (never the database)."""
    from claims.outpath import database_files, output_file

    with output_file(output or "-", database_files(db.url)) as out:
        yield out


@commands("import")
def import_(
    ctx: typer.Context,
    files: Annotated[list[str], typer.Argument(
        metavar="FILE...", help="Files to read (HTML pages, JSON-LD, a directory of them), "
                                "or - for stdin.")],
    fmt: Annotated[str | None, typer.Option(
        "--format", "-f", case_sensitive=False,
        help="jsonl, json, csv, tsv, claimreview or html. Default: from the file's extension "
             "and content.")] = None,
    column_map: Annotated[list[str] | None, typer.Option(
        "--map", "-m", metavar="COLUMN=FIELD",
        help="CSV/TSV: which column holds which field (text, quote, speaker, speaker_kind, "
             "source, about, status, note, said_on, tag, external_id); COLUMN is a header "
             "name or a 1-based position. Repeatable.")] = None,
    status_map: Annotated[list[str] | None, typer.Option(
        "--status-map", metavar="LABEL=STATUS",
        help="Read a foreign verdict as one of ours, e.g. pants-fire=false. Repeatable.")] = None,
    no_header: Annotated[bool, typer.Option(
        "--no-header", help="CSV/TSV: the first line is data; name columns by position.")] = False,
    source: Annotated[str | None, typer.Option(
        "--source", help="Key of an existing source for records that name none.")] = None,
    list_sep: Annotated[str, typer.Option(
        "--list-sep", help="CSV/TSV: what separates names in about and tag cells.")] = ",",
    skip_invalid: Annotated[bool, typer.Option(
        "--skip-invalid", help="Import the good records and report the bad ones, instead of "
                               "stopping at the first bad record with nothing written.")] = False,
    rejects: Annotated[Path | None, typer.Option(
        "--rejects", dir_okay=False,
        help="With --skip-invalid: write rejected records here (JSON Lines: line, reason, "
             "record) instead of to stderr.")] = None,
    preset: Annotated[str | None, typer.Option(
        "--preset", help="A data set's layout: claimskg or liar.",
        callback=check_preset)] = None,
    status_map_file: Annotated[str | None, typer.Option(
        "--status-map-file", help="Reviews: a file of LABEL=STATUS lines.")] = None,
    date_format: Annotated[str | None, typer.Option(
        "--date-format", help="Reviews: how dates are written, e.g. %d-%m-%Y.")] = None,
    strict: Annotated[bool, typer.Option(
        "--strict", help="Reviews: reject a verdict label nothing maps (default: keep it, "
                         "status unverified).")] = False,
    by: Annotated[str | None, typer.Option(
        "--by", help="Reviews: the publisher of records that name none.")] = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Read, match and check everything, print the summary, write "
                          "nothing.")] = False,
    max_record_bytes: Annotated[int | None, typer.Option(
        "--max-record-bytes", min=1, callback=options.within_64_bits,
        envvar="CLAIMS_MAX_RECORD_BYTES", show_envvar=True,
        help="The longest line read, in bytes (default 16 MiB); a longer one stops the "
             "import, naming its line.")] = None,
) -> None:
    """Import claims from jsonl/json, ClaimReview JSON-LD, or CSV/TSV with a column map."""
    from claims.cli import reviews_cmds
    from claims.inputs import check_list_sep, open_input
    from claims.io import (
        ColumnMap,
        CountingLines,
        ImportOptions,
        import_stream,
        infer_format,
        is_dump,
    )
    from claims.io import parse_status_map as read_status_map

    if fmt is not None and fmt.lower() not in {*ImportFormat, "html"}:
        note(f"Error: unknown --format {fmt!r} (choose jsonl, json, csv, tsv, claimreview, html)")
        raise typer.Exit(2)
    fmt = fmt.lower() if fmt else None
    if reviews_cmds.wants(files, fmt, preset, column_map or []):
        reviews_cmds.import_reviews(
            ctx, files, dry_run=dry_run, preset=preset, field_map=column_map or [],
            date_format=date_format, status_map=status_map or [],
            status_map_file=status_map_file, strict=strict, skip_invalid=skip_invalid,
            source=source, publisher=by, header=not no_header)
        return
    if len(files) > 1:
        note("Error: several files are read for ClaimReview pages and presets only")
        raise typer.Exit(2)
    file = files[0]
    if file == "-" and fmt is None:
        # A usage error (exit 2), reported here since the shared handler only passes Exit on.
        note("Error: reading stdin needs --format (e.g. --format jsonl)")
        raise typer.Exit(2)
    chosen = ImportFormat(fmt) if fmt else infer_format(file)
    statuses = _usage("--status-map", read_status_map, status_map or [])
    settings = ImportOptions(label=file, status_map=statuses,
                             default_source=source, skip_invalid=skip_invalid)
    columns = _usage("--map", ColumnMap.parse, column_map or [])
    _usage("--list-sep", check_list_sep, list_sep)
    db = database(ctx)
    with open_input(file, max_bytes=max_record_bytes) as stream, \
            _reject_writer(rejects, file, db) as on_reject:
        first, rest = _first_line(stream)
        if chosen is ImportFormat.JSONL and first is not None and is_dump(first):
            _import_dump(db, file, first, rest, dry_run)
            return
        lines = CountingLines(itertools.chain([first] if first is not None else [], rest))
        try:
            with _progress(file, lines) as on_batch, db.write() as session:
                summary = import_stream(session, lines, chosen, settings, column_map=columns,
                                        header=not no_header, list_sep=list_sep,
                                        on_reject=on_reject, on_batch=on_batch)
                if dry_run:
                    raise reviews_cmds.DryRun
        except reviews_cmds.DryRun:
            pass
    note(_summary_line(file, summary) + (" (dry run: nothing written)" if dry_run else ""))


def _first_line(stream: Iterable[str]) -> tuple[str | None, Iterator[str]]:
    lines = iter(stream)
    return next(lines, None), lines


def _import_dump(db: "Database", file: str, first: str, rest: Iterator[str],
                 dry_run: bool) -> None:
    """A whole database written by 'claims export --with-log': into an empty one only."""
    from claims.io import load_dump

    if dry_run:
        note("Error: --dry-run does not apply to a whole-database dump")
        raise typer.Exit(2)
    summary = load_dump(db, first, rest, label=file)
    note(f"Imported {file}: a whole database, {summary.total} rows in "
         f"{sum(1 for n in summary.rows.values() if n)} tables, its audit log included")


def _usage(option: str, parse: Callable[[Any], T], value: Any) -> T:
    """A command-line value the library refuses is a usage error (exit 2)."""
    from claims.errors import InvalidError

    try:
        return parse(value)
    except InvalidError as exc:
        raise typer.BadParameter(str(exc), param_hint=option) from None


@contextmanager
def _reject_writer(path: Path | None, file: str,
                   db: "Database") -> "Iterator[Callable[[Rejection], None]]":
    from claims.outpath import database_files, output_file

    if path is None:
        yield lambda r: note(f"rejected line {r.line}: {r.reason}")
        return
    reads = {} if file == "-" else {file: "the file being imported"}
    with output_file(path, {**reads, **database_files(db.url)}) as out:
        yield lambda r: out.write(json.dumps({"line": r.line, "reason": r.reason,
                                              "record": r.raw}, ensure_ascii=False) + "\n")


@contextmanager
def _progress(file: str, lines: Any) -> "Iterator[Callable[[ImportSummary], None] | None]":
    """A progress bar on stderr when it is a terminal; nothing at all otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.progress import Progress

    from claims.textsafe import visible

    size = os.path.getsize(file) if file != "-" and os.path.isfile(file) else None
    with Progress(console=Console(file=raw_stderr()), transient=True) as progress:
        task = progress.add_task(f"Importing {escape(visible(file))}", total=size)
        yield lambda summary: progress.update(task, completed=lines.consumed)


def _summary_line(file: str, s: "ImportSummary") -> str:
    line = (f"Imported {file}: {s.created} created, {s.updated} updated, "
            f"{s.unchanged} unchanged, {s.rejected} rejected; "
            f"{s.entities_created} entities and {s.sources_created} sources created")
    return line + (f", {s.links_created} links added" if s.links_created else "")

