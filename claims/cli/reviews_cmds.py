"""``claims review add|conflicts|check``, ``claims reviews ID``, and the review half of
``claims import`` (pages, JSON-LD, presets). Parsing and rendering only."""

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from claims.cli.helpers import Commands, database, note
from claims.cli.options import INT64, FormatOpt
from claims.cli.render import Column, emit_records
from claims.cli.values import check_date, check_status

# ``claims reviews ID`` on the root; ``claims review ...`` as a group.
commands = Commands()
review_commands = Commands()

REVIEW_COLUMNS = [
    Column("id", "ID", "bold"), Column("publisher", "Publisher", "cyan", 20),
    Column("rating", "Rating"), Column("label", "Label", None, 18),
    Column("published", "Published"), Column("url", "URL", "dim", 30),
]
CONFLICT_COLUMNS = [Column("claim_id", "Claim", "bold"), Column("status", "Status"),
                    Column("ratings", "Ratings", None, 30), Column("why", "Why")]


CHECK_COLUMNS = [Column("review", "Review", "bold"), Column("claim", "Claim"),
                 Column("publisher", "Publisher", "cyan", 20), Column("missing", "Missing")]


class DryRun(Exception):
    """Raised inside the write transaction so that a dry run rolls everything back."""


@review_commands("add")
def add(
    ctx: typer.Context,
    claim_id: Annotated[int, typer.Argument(metavar="ID", help="Claim id.", **INT64)],
    rating: Annotated[str, typer.Argument(metavar="RATING", callback=check_status,
                                          help="One of our statuses, e.g. false, unproven.")],
    label: Annotated[str | None, typer.Option("--label", help="The verdict as the publisher "
                                              "wrote it (default: the rating).")] = None,
    url: Annotated[str | None, typer.Option(
        "--url", metavar="URL", help="The fact-check article.")] = None,
    published: Annotated[str | None, typer.Option(
        "--published", metavar="DATE", callback=check_date,
        help="Date published, YYYY-MM-DD.")] = None,
    explanation: Annotated[str | None, typer.Option("--explanation",
                                                    help="A short summary.")] = None,
    author: Annotated[str | None, typer.Option(
        "--author", metavar="NAME", help="Who wrote it.")] = None,
    by: Annotated[str | None, typer.Option(
        "--by", metavar="NAME",
        help="The publisher (default: our desk, $CLAIMS_PUBLISHER). Only our desk's "
             "reviews change the claim's status.")] = None,
) -> None:
    """Record a review of a claim and print its id."""
    from claims.reviews import ReviewInput, add_review

    with database(ctx).write() as session:
        result = add_review(session, claim_id, ReviewInput(
            rating=rating, publisher=by, label=label, url=url, published=published,
            explanation=explanation, author=author))
    for name in result.created_entities:
        note(f"Created entity {name!r}")
    if result.ours:
        note(f"Claim {claim_id}'s status is now {rating} (review {result.id} by our desk)")
    typer.echo(result.id)


@commands()
def reviews(
    ctx: typer.Context,
    claim_id: Annotated[int, typer.Argument(metavar="ID", help="Claim id.", **INT64)],
    fmt: FormatOpt = None,
) -> None:
    """Every publisher's reviews of a claim, oldest first."""
    from claims.reviews import claim_reviews

    with database(ctx).read() as session:
        records = claim_reviews(session, claim_id)
    emit_records(records, fmt, REVIEW_COLUMNS)


@review_commands("conflicts")
def conflicts(ctx: typer.Context, fmt: FormatOpt = None) -> None:
    """Claims whose reviewers disagree (2+ steps apart), or whose reviews differ from our
    status."""
    from claims.reviews import disagreements

    with database(ctx).read() as session:
        found = disagreements(session)
    rows = [{**r, "ratings": ", ".join(f"{v['publisher']}: {v['rating']}" for v in r["reviews"]),
             "why": "; ".join(r["reasons"])} for r in found]
    emit_records(rows, fmt, CONFLICT_COLUMNS)


@review_commands("check")
def check(
    ctx: typer.Context,
    all_reviews: Annotated[bool, typer.Option("--all-reviews",
                                              help="Every publisher's, not only ours.")] = False,
    publisher: Annotated[str | None, typer.Option(
        "--publisher", envvar="CLAIMS_PUBLISHER", help="Our desk's name.")] = None,
    fmt: FormatOpt = None,
) -> None:
    """List, per review, the ClaimReview properties consumers require or recommend that
    its export lacks (the same as 'claims export --format claimreview --check')."""
    check_reviews(ctx, None, publisher=publisher, all_reviews=all_reviews, fmt=fmt)


def check_reviews(ctx: typer.Context, claim_filter: Any, *, publisher: str | None,
                  all_reviews: bool, fmt: Any = None) -> None:
    from claims.io.review_export import documents, missing

    with database(ctx).read() as session:
        rows = [{"review": record["id"], "claim": record["claim_id"],
                 "publisher": record["publisher"], "missing": missing(document)}
                for record, document in documents(session, claim_filter,
                                                  all_reviews=all_reviews, publisher=publisher)]
    lacking = [r for r in rows if r["missing"]]
    emit_records(lacking, fmt, CHECK_COLUMNS)
    note(f"{len(rows)} review(s) checked, {len(lacking)} lack a property")


def import_reviews(ctx: typer.Context, files: list[str], *, dry_run: bool, preset: str | None,
                   field_map: list[str], date_format: str | None, status_map: list[str],
                   status_map_file: str | None, strict: bool, skip_invalid: bool,
                   source: str | None, publisher: str | None, header: bool) -> None:
    """The review importer behind ``claims import`` (called by it)."""
    from claims.io.presets import parse_field_map
    from claims.io.review_import import ReviewImportOptions
    from claims.io.review_inputs import ReviewReadOptions, parse_label_map
    from claims.io.review_inputs import import_reviews as run

    options = ReviewReadOptions(
        preset=preset, field_map=parse_field_map(field_map) if field_map else {},
        date_format=date_format, publisher=publisher, header=header,
        import_options=ReviewImportOptions(
            status_map=parse_label_map(status_map, status_map_file), strict=strict,
            skip_invalid=skip_invalid, default_source=source))
    inputs = [(name, read_bytes(name)) for name in expand(files)]
    results: list[Any] = []
    try:
        with database(ctx).write() as session:
            results = run(session, inputs, options,
                          on_reject=lambda line, reason, raw: note(
                              f"rejected record {line}: {reason}"))
            if dry_run:
                raise DryRun
    except DryRun:
        pass
    for name, summary in results:
        note(summary.line(name) + (" (dry run: nothing written)" if dry_run else ""))
        for text in sorted(set(summary.notes)):
            note(f"Note: {text}")


def expand(files: list[str]) -> list[str]:
    """Files as given; a directory stands for the pages and JSON-LD files in it."""
    found: list[str] = []
    for name in files:
        path = Path(name)
        if name != "-" and path.is_dir():
            found += sorted(str(p) for p in path.iterdir() if p.suffix.lower() in
                            (".html", ".htm", ".json", ".jsonld", ".jsonl", ".ndjson"))
        else:
            found.append(name)
    return found


def read_bytes(name: str) -> bytes:
    from claims.errors import NotFoundError
    from claims.io.jsonld import MAX_BYTES

    if name == "-":
        return sys.stdin.buffer.read(MAX_BYTES + 1)
    try:
        with open(name, "rb") as stream:
            return stream.read(MAX_BYTES + 1)
    except OSError as exc:
        raise NotFoundError(f"cannot read {name!r}: {exc.strerror}", "check the path") from None


def wants(files: list[str], fmt: str | None, preset: str | None, field_map: list[str]) -> bool:
    """Whether ``claims import`` hands these inputs to the review importer."""
    from claims.io.review_inputs import ReviewReadOptions, is_review_input

    if preset or fmt == "html" or len(files) > 1:
        return True
    name = files[0]
    if name != "-" and Path(name).is_dir():
        return True
    if name == "-" or not Path(name).is_file():
        return fmt == "claimreview"
    review_map = [m for m in field_map if m.rpartition("=")[2].strip() in
                  ("label", "publisher", "url", "published")]
    with Path(name).open("rb") as stream:
        head = stream.read(1 << 20)
    return is_review_input(head, Path(name).suffix.lower(),
                           ReviewReadOptions(field_map={"map": "given"} if review_map else {}))

