"""``claims export`` and ``claims import``: option parsing, progress and summaries only;
the formats and the writing live in ``claims.io``."""

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer

from claims.cli.helpers import Commands, database, note
from claims.cli.options import with_claim_filter
from claims.io.formats import ExportFormat, ImportFormat

if TYPE_CHECKING:
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
        help="ClaimReview only: the organisation named as the reviews' author.")] = None,
) -> None:
    """Write claims (all, or those the filters select) as jsonl, json, csv or ClaimReview."""
    from claims.io import export_claims

    with database(ctx).read() as session, _destination(output) as out:
        summary = export_claims(session, out, fmt, claim_filter=claim_filter, publisher=publisher)
    if summary.skipped:
        note(f"Left out {summary.skipped} claim(s) whose status is not a verdict")
    if output is not None:
        note(f"Exported {summary.claims} claim(s) to {output}")


@contextmanager
def _destination(output: Path | None) -> Iterator[TextIO]:
    """stdout, or the file, written beside it first so a failed export leaves no half file."""
    if output is None:
        yield sys.stdout
        return
    partial = output.with_name(output.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as out:
            yield out
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)


@commands("import")
def import_(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(metavar="FILE", help="The file to read, or - for stdin.")],
    fmt: Annotated[ImportFormat | None, typer.Option(
        "--format", "-f", case_sensitive=False,
        help="Input format. Default: from the file's extension.")] = None,
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
) -> None:
    """Import claims from jsonl/json, ClaimReview JSON-LD, or CSV/TSV with a column map."""
    from claims.io import ColumnMap, CountingLines, ImportOptions, import_stream, infer_format
    from claims.io import parse_status_map as read_status_map

    if file == "-" and fmt is None:
        # A usage error (exit 2), reported here since the shared handler only passes Exit on.
        note("Error: reading stdin needs --format (e.g. --format jsonl)")
        raise typer.Exit(2)
    chosen = fmt or infer_format(file)
    options = ImportOptions(label=file, status_map=read_status_map(status_map or []),
                            default_source=source, skip_invalid=skip_invalid)
    columns = ColumnMap.parse(column_map or [])
    with _input(file) as stream, _reject_writer(rejects) as on_reject:
        lines = CountingLines(stream)
        with _progress(file, lines) as on_batch, database(ctx).write() as session:
            summary = import_stream(session, lines, chosen, options, column_map=columns,
                                    header=not no_header, list_sep=list_sep,
                                    on_reject=on_reject, on_batch=on_batch)
    note(_summary_line(file, summary))


@contextmanager
def _input(file: str) -> Iterator[TextIO]:
    if file == "-":
        yield sys.stdin
        return
    try:
        stream = open(file, encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed below
    except OSError as exc:
        from claims.errors import NotFoundError

        raise NotFoundError(f"cannot read {file!r}: {exc.strerror}", "check the path") from None
    with stream:
        yield stream


@contextmanager
def _reject_writer(path: Path | None) -> "Iterator[Callable[[Rejection], None]]":
    if path is None:
        yield lambda r: note(f"rejected line {r.line}: {r.reason}")
        return
    with path.open("w", encoding="utf-8") as out:
        yield lambda r: out.write(json.dumps({"line": r.line, "reason": r.reason,
                                              "record": r.raw}, ensure_ascii=False) + "\n")


@contextmanager
def _progress(file: str, lines: Any) -> "Iterator[Callable[[ImportSummary], None] | None]":
    """A progress bar on stderr when it is a terminal; nothing at all otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    size = os.path.getsize(file) if file != "-" and os.path.isfile(file) else None
    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(f"Importing {file}", total=size)
        yield lambda summary: progress.update(task, completed=lines.consumed)


def _summary_line(file: str, s: "ImportSummary") -> str:
    line = (f"Imported {file}: {s.created} created, {s.updated} updated, "
            f"{s.unchanged} unchanged, {s.rejected} rejected; "
            f"{s.entities_created} entities and {s.sources_created} sources created")
    return line + (f", {s.links_created} links added" if s.links_created else "")

