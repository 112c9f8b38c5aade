"""The tool's own interchange records (``claims export --format jsonl|json``), read back.

A file is a sequence of objects, each with a ``type``: ``source``, ``entity`` or ``claim``
(the default, so a hand-written file can hold bare claims). Sources come before the claims
that cite them and entities before the claims that name them; the exporter writes them so.
The docs' "Import and export" page lists every field.
"""

from __future__ import annotations

from typing import Any

from claims.errors import InvalidError
from claims.io.figure_fields import due_from_json, figures_from_json, measure_from_json
from claims.io.items import (
    ClaimInput,
    ClaimRef,
    EntityInput,
    EventInput,
    LinkInput,
    Payload,
    SourceInput,
    choice,
)
from claims.parse import (
    optional_text,
    parse_day,
    parse_timestamp,
    required_text,
    tag_list,
    text_list,
)
from claims.vocab import EntityKind, LinkKind, SourceKind, Status, parse_choice

RECORD_TYPES = ("source", "entity", "measure", "claim")


def payload_from_object(obj: object) -> Payload:
    if not isinstance(obj, dict):
        raise InvalidError("a record must be a JSON object", "write one {...} per line")
    kind = obj.get("type", "claim")
    if kind == "source":
        return _source(obj)
    if kind == "entity":
        return _entity(obj)
    if kind == "claim":
        return _claim(obj)
    if kind == "measure":
        return measure_from_json(obj)
    raise InvalidError(f"unknown record type {kind!r}", f"use one of: {', '.join(RECORD_TYPES)}")


def _source(obj: dict[str, Any]) -> SourceInput:
    return SourceInput(
        key=required_text(obj.get("key"), "source key"),
        title=required_text(obj.get("title"), "source title"),
        outlet=required_text(obj.get("outlet"), "source outlet"),
        url=optional_text(obj.get("url"), "source URL"),
        published=parse_day(obj.get("published"), "published date"),
        kind=choice(SourceKind, obj.get("kind") or SourceKind.ARTICLE.value, "source kind"),
        via=optional_text(obj.get("via"), "via source"),
        notes=optional_text(obj.get("notes"), "source notes"),
    )


def _entity(obj: dict[str, Any]) -> EntityInput:
    kind = optional_text(obj.get("kind"), "entity kind")
    return EntityInput(
        name=required_text(obj.get("name"), "entity name"),
        kind=parse_choice(EntityKind, kind, "entity kind").value if kind else None,
        description=optional_text(obj.get("description"), "entity description"),
        aliases=text_list(obj.get("aliases"), "alias"),
    )


def _claim(obj: dict[str, Any]) -> ClaimInput:
    status = optional_text(obj.get("status"), "status")
    return ClaimInput(
        text=required_text(obj.get("text"), "claim text"),
        source=optional_text(obj.get("source"), "source"),
        quote=optional_text(obj.get("quote"), "quote"),
        speaker=optional_text(obj.get("speaker"), "speaker"),
        about=text_list(obj.get("about"), "about"),
        status=status,
        status_note=optional_text(obj.get("note"), "note"),
        said_on=parse_day(obj.get("said_on"), "said-on date"),
        tags=tag_list(text_list(obj.get("tags"), "tag")),
        external_id=optional_text(obj.get("external_id"), "external id"),
        created_at=parse_timestamp(obj.get("created_at"), "created_at"),
        updated_at=parse_timestamp(obj.get("updated_at"), "updated_at"),
        history=[_event(e) for e in _list(obj.get("history"), "history")],
        links=[_link(link) for link in _list(obj.get("links"), "links")],
        figures=figures_from_json(obj.get("figures")),
        due=due_from_json(obj.get("due")),
    )


def _list(value: object, what: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidError(f"{what} must be a list", "write a JSON array")
    return value


def _event(obj: object) -> EventInput:
    if not isinstance(obj, dict):
        raise InvalidError("a history entry must be an object",
                           "see the docs' Import and export page")
    at = parse_timestamp(obj.get("at"), "history time")
    if at is None:
        raise InvalidError("a history entry has no 'at' time", "give it an ISO 8601 time")
    return EventInput(
        to_status=parse_choice(Status, required_text(obj.get("to"), "history status"),
                               "status").value,
        at=at,
        note=optional_text(obj.get("note"), "history note"),
        evidence=optional_text(obj.get("evidence"), "evidence source"),
    )


def _link(obj: object) -> LinkInput:
    if not isinstance(obj, dict) or not isinstance(obj.get("to"), dict):
        raise InvalidError("a link must be an object with a 'to' object",
                           'e.g. {"kind": "supports", "to": {"external_id": "x"}}')
    target = obj["to"]
    ref = ClaimRef(
        external_id=optional_text(target.get("external_id"), "link target external id"),
        source=optional_text(target.get("source"), "link target source"),
        text=optional_text(target.get("text"), "link target text"),
    )
    if ref.external_id is None and (ref.source is None or ref.text is None):
        raise InvalidError("a link target needs an external_id, or a source and a text",
                           "name the linked claim")
    return LinkInput(
        kind=choice(LinkKind, obj.get("kind"), "link kind"),
        to=ref,
        note=optional_text(obj.get("note"), "link note"),
        created_at=parse_timestamp(obj.get("created_at"), "link time"),
    )
