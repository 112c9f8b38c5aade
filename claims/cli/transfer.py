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

from claims.cli import options
from claims.cli.app import command, database, note
from claims.cli.options import (
    AboutOpt,
    EntityOpt,
    LimitOpt,
    SinceOpt,
    SourceOpt,
    SpeakerOpt,
    StatusesOpt,
    TagOpt,
    UntilOpt,
)
from claims.io.formats import ExportFormat, ImportFormat

if TYPE_CHECKING:
    from claims.io import ImportSummary, Rejection


def export(
    ctx: typer.Context,
    entity: EntityOpt = None,
    about: AboutOpt = None,
    speaker: SpeakerOpt = None,
    source: SourceOpt = None,
    status: StatusesOpt = None,
    tag: TagOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    limit: LimitOpt = None,
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
) -> None:
    """Write claims (all, or those the filters select) as jsonl, json, csv or ClaimReview."""
    from claims.io import export_claims

    claim_filter = options.claim_filter(
        entity, about, speaker, source, status, tag, since, until, limit
    )
    if check:
        from claims.cli.reviews_cmds import check_reviews

        check_reviews(ctx, claim_filter, publisher=publisher, all_reviews=all_reviews)
        return
    with database(ctx).read() as session, _destination(output) as out:
        summary = export_claims(session, out, fmt, claim_filter, publisher=publisher,
                                all_reviews=all_reviews)
    if summary.skipped:
        why = ", ".join(f"{reason}: {n}" for reason, n in summary.reasons.items())
        note(f"Left out {summary.skipped} review(s) ({why})")
    if output is not None:
        noun = "review(s)" if fmt is ExportFormat.CLAIMREVIEW else "claim(s)"
        note(f"Exported {summary.claims} {noun} to {output}")


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
        "--preset", help="A data set's layout: claimskg or liar.")] = None,
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
) -> None:
    """Import claims from jsonl/json, ClaimReview JSON-LD, or CSV/TSV with a column map."""
    from claims.cli import reviews_cmds
    from claims.io import ColumnMap, CountingLines, ImportOptions, import_stream, infer_format
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
    options = ImportOptions(label=file, status_map=read_status_map(status_map or []),
                            default_source=source, skip_invalid=skip_invalid)
    columns = ColumnMap.parse(column_map or [])
    with _input(file) as stream, _reject_writer(rejects) as on_reject:
        lines = CountingLines(stream)
        try:
            with _progress(file, lines) as on_batch, database(ctx).write() as session:
                summary = import_stream(session, lines, chosen, options, column_map=columns,
                                        header=not no_header, list_sep=list_sep,
                                        on_reject=on_reject, on_batch=on_batch)
                if dry_run:
                    raise reviews_cmds.DryRun
        except reviews_cmds.DryRun:
            pass
    note(_summary_line(file, summary) + (" (dry run: nothing written)" if dry_run else ""))


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


def register(app: typer.Typer) -> None:
    command(app)(export)
    command(app, "import")(import_)
