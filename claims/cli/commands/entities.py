"""``claims entity ...``: people, organisations, places and the rest, with their aliases."""

from typing import Annotated, Any

import typer

from claims.cli.helpers import Commands, database, note
from claims.cli.layout import Column
from claims.cli.options import FormatOpt
from claims.cli.render import (
    CLAIM_COLUMNS,
    OutputFormat,
    emit_record,
    emit_records,
    heading,
)
from claims.vocab import EntityKind

commands = Commands()

ENTITY_COLUMNS = [
    Column("id", "ID", "bold"),
    Column("name", "Name", "cyan"),
    Column("kind", "Kind"),
    Column("aliases", "Aliases"),
    Column("description", "Description"),
]


@commands("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The entity's name.")],
    kind: Annotated[
        EntityKind, typer.Option("--kind", "-k", case_sensitive=False, help="What it is.")
    ],
    alias: Annotated[
        list[str] | None, typer.Option("--alias", help="Another name for it; repeatable.")
    ] = None,
    description: Annotated[str | None, typer.Option(
        "--description", "-d", help="What it is, in a sentence.")] = None,
) -> None:
    """Create an entity with exactly this name."""
    from claims.writes.entities import add_entity

    with database(ctx).write() as session:
        entity = add_entity(
            session, name, kind=kind, aliases=alias or [], description=description
        )
        typer.echo(entity.id)


@commands("list")
def list_(
    ctx: typer.Context,
    kind: Annotated[EntityKind | None, typer.Option(
        "--kind", "-k", case_sensitive=False, help="Only entities of this kind.")] = None,
    fmt: FormatOpt = None,
) -> None:
    """List entities with their aliases."""
    from claims.reads.query import list_entities

    with database(ctx).read() as session:
        records = list_entities(session, kind)
    emit_records(records, fmt, ENTITY_COLUMNS)


@commands("show")
def show(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Name or alias.")],
    fmt: FormatOpt = None,
) -> None:
    """An entity's aliases, the claims by it and about it, and its record by status."""
    from claims.cli.commands.report import track_record_section
    from claims.reads.query import ClaimFilter, show_entity
    from claims.reads.stats import track_record

    with database(ctx).read() as session:
        record = show_entity(session, name)
        record["track_record"] = track_record(
            session, ClaimFilter(speaker=record["name"]), group=record["name"])
    emit_record(
        record,
        fmt,
        [
            ("track_record", track_record_section("Track record (claims made)", fmt)),
            ("claims_by", _claims_section("Claims by", "claims_by", fmt)),
            ("claims_about", _claims_section("Claims about", "claims_about", fmt)),
        ],
    )


def _claims_section(title: str, key: str, fmt: OutputFormat | None) -> Any:
    def show_claims(record: dict[str, Any]) -> None:
        heading(f"{title} {record['name']} ({len(record[key])})")
        emit_records(record[key], fmt, CLAIM_COLUMNS)

    return show_claims


@commands("alias")
def alias(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The entity (name or alias).")],
    new_alias: Annotated[str, typer.Argument(metavar="ALIAS", help="The other name.")],
) -> None:
    """Give an entity another name."""
    from claims.writes.entities import add_alias

    with database(ctx).write() as session:
        entity = add_alias(session, name, new_alias)
        note(f"{new_alias!r} now names {entity.name!r}")


@commands("edit")
def edit(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The entity (name or alias).")],
    kind: Annotated[EntityKind | None, typer.Option(
        "--kind", "-k", case_sensitive=False, help="The new kind.")] = None,
    description: Annotated[str | None, typer.Option(
        "--description", "-d", help="The new description.")] = None,
) -> None:
    """Change an entity's kind or description."""
    from claims.writes.entities import edit_entity

    with database(ctx).write() as session:
        entity = edit_entity(session, name, kind=kind, description=description)
        note(f"Updated {entity.name!r}")


@commands("merge")
def merge(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(metavar="FROM", help="The entity that goes away.")],
    target: Annotated[str, typer.Argument(metavar="INTO", help="The entity that stays.")],
) -> None:
    """Merge FROM into INTO: its claims and aliases move; its name becomes an alias."""
    from claims.writes.entities import merge_entities

    with database(ctx).write() as session:
        entity = merge_entities(session, source, target)
        note(f"Merged {source!r} into {entity.name!r}")
