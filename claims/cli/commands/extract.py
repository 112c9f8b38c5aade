"""``claims extract``: propose a story's claims, review them, add them."""

import functools
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

from claims.cli.helpers import Commands, database, note
from claims.cli.layout import Column
from claims.cli.render import OutputFormat, emit_records
from claims.cli.usage import check_date

if TYPE_CHECKING:
    from claims.extract.model import Candidate

CANDIDATE_COLUMNS = [
    Column("n", "#", "bold"),
    Column("kind", "Kind"),
    Column("score", "Score"),
    Column("speaker", "Speaker", "cyan", 20),
    Column("text", "Text"),
    Column("duplicate_of", "Dup of", "yellow"),
]


def extract(
    ctx: typer.Context,
    location: Annotated[
        str,
        typer.Argument(
            metavar="FILE|URL|-", help="A story: a text or HTML file, - for stdin, or a URL."
        ),
    ],
    source: Annotated[
        str | None,
        typer.Option(
            "--source",
            help="Key of the story's source: written into each claim, and where "
            "duplicates are looked for. Needed by --add and --review.",
        ),
    ] = None,
    said_on: Annotated[
        str | None, typer.Option("--said-on", metavar="DATE", callback=check_date,
                                   help="Date the claims were made, YYYY-MM-DD.")
    ] = None,
    fmt: Annotated[
        OutputFormat | None,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            help="table, tsv, json, jsonl or csv (jsonl pipes into 'claims import - --format "
            "jsonl'). "
            "Default: table on a terminal, tsv in a pipe.",
        ),
    ] = None,
    min_score: Annotated[
        float,
        typer.Option(
            "--min-score", min=0.0, max=1.0, help="Leave out candidates scoring below this."
        ),
    ] = 0.0,
    review: Annotated[
        bool,
        typer.Option(
            "--review", help="Go through the candidates one at a time, then add the accepted."
        ),
    ] = False,
    add: Annotated[bool, typer.Option("--add", help="Add every candidate as a claim.")] = False,
    tag: Annotated[
        list[str] | None,
        typer.Option("--tag", "-t", help="A tag for the added claims; repeatable."),
    ] = None,
    timeout: Annotated[
        float, typer.Option("--timeout", min=0.1, help="Seconds to wait for a URL to answer.")
    ] = 15.0,
) -> None:
    """Propose the claims of a news story, with speakers, quotes and entities."""
    from claims.extract.extractor import extract_claims
    from claims.extract.lexicon import Lexicon
    from claims.extract.reading import read_story

    story = read_story(location, stdin=sys.stdin.buffer, timeout=timeout)
    for line in story.notes:
        note(line)
    db = database(ctx)
    with db.read() as session:
        if source is not None:
            from claims.reads.lookup import get_source

            get_source(session, source)
        candidates = extract_claims(
            story.text, Lexicon.from_database(session), said_on=said_on, min_score=min_score
        )
        duplicates = _duplicates(session, candidates, source)
    if review:
        candidates = _review(candidates, duplicates)
    if add or review:
        _add(db, candidates, source or "", tag or [])
        return
    records = [_record(n, c, source, duplicates) for n, c in enumerate(candidates, 1)]
    columns = CANDIDATE_COLUMNS if source else CANDIDATE_COLUMNS[:-1]
    emit_records(records, fmt, columns)
    if not candidates:
        note(f"no claims found in {story.origin}")


def _duplicates(
    session: Any, candidates: "list[Candidate]", source: str | None
) -> list[int | None]:
    if source is None:
        return [None] * len(candidates)
    from claims.extract.adding import duplicate_of

    return [duplicate_of(session, c, source) for c in candidates]


def _record(
    n: int, candidate: "Candidate", source: str | None, duplicates: list[int | None]
) -> dict[str, Any]:
    record: dict[str, Any] = {"n": n, **candidate.record()}
    if source is not None:
        record["source"] = source
        record["duplicate_of"] = duplicates[n - 1]
    return record


def _review(candidates: "list[Candidate]", duplicates: list[int | None]) -> "list[Candidate]":
    """One candidate at a time: accept, edit its text or speaker, skip, or quit."""
    accepted: list[Candidate] = []
    for n, (candidate, duplicate) in enumerate(zip(candidates, duplicates, strict=True), 1):
        _show(n, len(candidates), candidate, duplicate)
        while True:
            answer = (
                typer.prompt(
                    "[a]ccept, edit [t]ext, edit [s]peaker, s[k]ip, [q]uit",
                    default="a" if duplicate is None else "k",
                    err=True,
                )
                .strip()
                .lower()
            )
            if answer in ("t", "text"):
                candidate.text = typer.prompt("text", default=candidate.text, err=True)
            elif answer in ("s", "speaker"):
                value = typer.prompt(
                    "speaker (- for none)", default=candidate.speaker or "-", err=True
                ).strip()
                candidate.speaker = None if value in ("", "-") else value
            elif answer in ("a", "accept", "y"):
                accepted.append(candidate)
                break
            elif answer in ("k", "skip", "n"):
                break
            elif answer in ("q", "quit"):
                return accepted
            else:
                note("answer a, t, s, k or q")
    return accepted


def _show(n: int, total: int, candidate: "Candidate", duplicate: int | None) -> None:
    note(f"\n[{n}/{total}] {candidate.kind.value}, score {candidate.score:.2f}")
    note(f"  text:    {candidate.text}")
    note(f"  speaker: {candidate.speaker or '-'}")
    if candidate.quote:
        note(f"  quote:   {candidate.quote}")
    if candidate.about:
        note(f"  about:   {', '.join(candidate.about)}")
    if duplicate is not None:
        note(f"  duplicate: claim {duplicate} from this source already says this")


def _add(db: Any, candidates: "list[Candidate]", source: str, tags: list[str]) -> None:
    from claims.extract.adding import add_candidates

    with db.write() as session:
        added = add_candidates(session, candidates, source, tags=tags)
    for claim_id in added.claim_ids:
        typer.echo(claim_id)
    for candidate, existing in added.duplicates:
        note(f"skipped, claim {existing} already says this: {candidate.text[:60]}")
    if added.created_entities:
        note(f"new entities: {', '.join(sorted(set(added.created_entities)))}")
    note(f"added {len(added.claim_ids)} claims, skipped {len(added.duplicates)} duplicates")


def _usage_checked(func: Callable[..., None]) -> Callable[..., None]:
    """Option combinations that make no sense are usage errors (exit 2), raised before the
    shared error handling, which would make them exit 1."""

    @functools.wraps(func)
    def wrapper(**kwargs: Any) -> None:
        location = kwargs.get("location")
        if (kwargs.get("add") or kwargs.get("review")) and kwargs.get("source") is None:
            raise typer.BadParameter("--add and --review need --source KEY",
                                     param_hint="--source")
        if kwargs.get("review") and location == "-":
            raise typer.BadParameter("--review reads your answers from stdin: give a file or "
                                     "URL", param_hint="--review")
        func(**kwargs)

    return wrapper


commands = Commands()
commands("extract")(_usage_checked(extract))
