"""``claims export`` and ``claims import``: option parsing, progress and summaries only;
the formats, the choice of importer (``claims.io.routing``) and the writing live in
``claims.io``."""

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer

from claims.cli import options
from claims.cli.guard import raw_stderr
from claims.cli.helpers import Commands, database, note
from claims.cli.options import with_claim_filter
from claims.cli.usage import check_preset
from claims.io.formats import ExportFormat

if TYPE_CHECKING:
    from claims.database.engine import Database
    from claims.io.routing import ImportOutcome, Rejected
    from claims.reads.query import ClaimFilter

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
        "--publisher",
        help="ClaimReview only: our desk's name, whose reviews are written (default: "
             "$CLAIMS_PUBLISHER, else 'Our desk').")] = None,
    all_reviews: Annotated[bool, typer.Option(
        "--all-reviews", help="ClaimReview only: every publisher's reviews, not only ours.")
    ] = False,
    check: Annotated[bool, typer.Option(
        "--check", help="ClaimReview only: list, per review, the required and recommended "
                        "properties it lacks, instead of exporting.")] = False,
    csv_formulas: Annotated[bool, typer.Option(
        "--csv-formulas",
        help="CSV only: write cells starting with = + - @ as they are, for programs; by "
             "default they get a leading ' so spreadsheets do not run them (also "
             "$CLAIMS_CSV_FORMULAS=1).")] = False,
    with_log: Annotated[bool, typer.Option(
        "--with-log", help="The whole database as it is stored, ids, history and audit log "
                           "included (jsonl), for 'claims import' into an empty database.")
    ] = False,
) -> None:
    """Write claims (all, or those the filters select) as jsonl, json, csv or ClaimReview."""
    from claims.io.export import export_claims

    assert claim_filter is not None  # given by with_claim_filter
    if check:
        from claims.cli.commands.reviews import check_reviews

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
    from claims.io.dump import write_dump

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
        help="The longest line read, in bytes (default: $CLAIMS_MAX_RECORD_BYTES, else 16 "
             "MiB); a longer one stops the import, naming its line.")] = None,
) -> None:
    """Import claims from jsonl/json, ClaimReview JSON-LD, or CSV/TSV with a column map."""
    from claims.io.routing import ImportRequest, ImportRequestError, plan_import, run_import

    request = ImportRequest(
        files=files, fmt=fmt, preset=preset, column_map=column_map or [],
        status_map=status_map or [], status_map_file=status_map_file, header=not no_header,
        default_source=source, list_sep=list_sep, skip_invalid=skip_invalid,
        date_format=date_format, strict=strict, publisher=by, dry_run=dry_run,
        max_record_bytes=max_record_bytes)
    try:
        plan = plan_import(request)
    except ImportRequestError as exc:
        if exc.field in _OPTION_OF:
            raise typer.BadParameter(str(exc), param_hint=_OPTION_OF[exc.field]) from None
        raise
    db = database(ctx)
    with _reject_writer(rejects, plan.inputs, db) as on_reject, \
            _progress(plan.inputs) as on_progress:
        outcomes = run_import(db, plan, on_reject=on_reject, on_progress=on_progress)
    for outcome in outcomes:
        _report(outcome)


# The import request's fields, as the options that set them (for usage errors).
_OPTION_OF = {"column_map": "--map", "status_map": "--status-map", "list_sep": "--list-sep"}


def _report(outcome: "ImportOutcome") -> None:
    """The one summary of an import, per input, whichever importer read it."""
    from claims.io.routing import Importer

    s: Any = outcome.summary
    if outcome.importer is Importer.DUMP:
        note(f"Imported {outcome.label}: a whole database, {s.total} rows in "
             f"{sum(1 for n in s.rows.values() if n)} tables, its audit log included")
        return
    if outcome.importer is Importer.REVIEWS:
        line = (f"Imported {outcome.label}: {s.reviews_created} reviews created, "
                f"{s.reviews_updated} updated, {s.reviews_unchanged} unchanged, "
                f"{s.rejected} rejected; {s.claims_created} claims created, "
                f"{s.claims_matched} matched; {s.entities_created} entities and "
                f"{s.sources_created} sources created")
    else:
        line = (f"Imported {outcome.label}: {s.created} created, {s.updated} updated, "
                f"{s.unchanged} unchanged, {s.rejected} rejected; "
                f"{s.entities_created} entities and {s.sources_created} sources created")
        line += f", {s.links_created} links added" if s.links_created else ""
    note(line + (" (dry run: nothing written)" if outcome.dry_run else ""))
    if outcome.importer is Importer.REVIEWS:
        if s.unmapped:
            labels = ", ".join(f"{label!r} ({n})" for label, n in s.unmapped.most_common())
            note(f"{sum(s.unmapped.values())} reviews kept their label unmapped "
                 f"(status unverified): {labels}")
        for text in sorted(set(s.notes)):
            note(f"Note: {text}")


@contextmanager
def _reject_writer(path: Path | None, inputs: list[str],
                   db: "Database") -> "Iterator[Callable[[Rejected], None]]":
    from claims.outpath import database_files, output_file

    if path is None:
        yield lambda r: note(f"rejected {r.unit} {r.number}: {r.reason}")
        return
    reads: dict[str | os.PathLike[str], str] = {
        name: "the file being imported" for name in inputs if name != "-"}
    with output_file(path, reads | database_files(db.url)) as out:
        def write(r: "Rejected") -> None:
            out.write(json.dumps({"line": r.number, "reason": r.reason, "record": r.raw},
                                 ensure_ascii=False) + "\n")

        yield write


@contextmanager
def _progress(inputs: list[str]) -> "Iterator[Callable[[int], None] | None]":
    """A progress bar on stderr when it is a terminal; nothing at all otherwise."""
    if not sys.stderr.isatty() or len(inputs) != 1:
        yield None
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.progress import Progress

    from claims.textsafe import visible

    file = inputs[0]
    size = os.path.getsize(file) if file != "-" and os.path.isfile(file) else None
    with Progress(console=Console(file=raw_stderr()), transient=True) as progress:
        task = progress.add_task(f"Importing {escape(visible(file))}", total=size)
        yield lambda consumed: progress.update(task, completed=consumed)
