"""``claims review add|conflicts|check`` and ``claims reviews ID``. Parsing and rendering
only; ``claims import`` of pages, JSON-LD and presets is in ``import_export`` (the library's
``claims.io.routing`` picks the review importer)."""

from typing import Annotated, Any

import typer

from claims.cli.helpers import Commands, database, note
from claims.cli.layout import Column
from claims.cli.options import INT64, FormatOpt
from claims.cli.render import emit_records
from claims.cli.usage import check_date, check_status

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
    from claims.reviews.store import ReviewInput, add_review

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
    from claims.reviews.reads import claim_reviews

    with database(ctx).read() as session:
        records = claim_reviews(session, claim_id)
    emit_records(records, fmt, REVIEW_COLUMNS)


@review_commands("conflicts")
def conflicts(ctx: typer.Context, fmt: FormatOpt = None) -> None:
    """Claims whose reviewers disagree (2+ steps apart), or whose reviews differ from our
    status."""
    from claims.reviews.store import disagreements

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
        "--publisher", help="Our desk's name (default: $CLAIMS_PUBLISHER, else 'Our desk').")
    ] = None,
    fmt: FormatOpt = None,
) -> None:
    """List, per review, the ClaimReview properties consumers require or recommend that
    its export lacks (the same as 'claims export --format claimreview --check')."""
    check_reviews(ctx, None, publisher=publisher, all_reviews=all_reviews, fmt=fmt)


def check_reviews(ctx: typer.Context, claim_filter: Any, *, publisher: str | None,
                  all_reviews: bool, fmt: Any = None) -> None:
    from claims.reviews.export import documents, missing

    with database(ctx).read() as session:
        rows = [{"review": record["id"], "claim": record["claim_id"],
                 "publisher": record["publisher"], "missing": missing(document)}
                for record, document in documents(session, claim_filter,
                                                  all_reviews=all_reviews, publisher=publisher)]
    lacking = [r for r in rows if r["missing"]]
    emit_records(lacking, fmt, CHECK_COLUMNS)
    note(f"{len(rows)} review(s) checked, {len(lacking)} lack a property")
