"""Loading the seed data (``seeds/*.toml``): the claims of the seed article.

Loading is idempotent: sources match by key, entities by name or alias, claims by their
seed ref (kept as the external id ``seed:<ref>``), links by their ends and kind. A second
load finds everything present and writes nothing.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from claims.errors import InvalidError
from claims.names import find_entity
from claims.resources import resource_dir
from claims.schema.models import Claim, Source
from claims.vocab import LinkKind, parse_choice
from claims.writes import store
from claims.writes.entities import add_entity


@dataclass
class SeedSummary:
    added: dict[str, int] = field(
        default_factory=lambda: {"sources": 0, "entities": 0, "claims": 0, "links": 0}
    )

    @property
    def changed(self) -> bool:
        return any(self.added.values())


def seed_files() -> list[Path]:
    return sorted(resource_dir("seeds").glob("*.toml"))


def load_seeds(session: Session, paths: list[Path] | None = None) -> SeedSummary:
    summary = SeedSummary()
    for path in paths or seed_files():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise InvalidError(f"{path.name}: {exc}", "fix the seed file") from None
        _load(session, data, summary)
    return summary


def _load(session: Session, data: dict[str, Any], summary: SeedSummary) -> None:
    for spec in data.get("sources", []):
        if session.scalar(select(Source.id).where(Source.key == spec["key"])) is None:
            fields = {k: v for k, v in spec.items() if k != "key"}
            store.add_source(session, spec["key"], **fields)
            summary.added["sources"] += 1
    for spec in data.get("entities", []):
        if find_entity(session, spec["name"]) is None:
            add_entity(
                session,
                spec["name"],
                kind=spec["kind"],
                aliases=spec.get("aliases", []),
                description=spec.get("description"),
            )
            summary.added["entities"] += 1
    ids = {spec["ref"]: _claim(session, spec, summary) for spec in data.get("claims", [])}
    for spec in data.get("links", []):
        kind = parse_choice(LinkKind, spec["kind"], "link kind")
        from_id, to_id = ids[spec["from"]], ids[spec["to"]]
        if store.find_link(session, from_id, kind, to_id) is None:
            store.link_claims(session, from_id, kind, to_id, note=spec.get("note"))
            summary.added["links"] += 1


def _claim(session: Session, spec: dict[str, Any], summary: SeedSummary) -> int:
    external_id = f"seed:{spec['ref']}"
    existing = session.scalar(select(Claim.id).where(Claim.external_id == external_id))
    if existing is not None:
        return existing
    result = store.add_claim(
        session,
        spec["text"],
        source=spec["source"],
        speaker=spec.get("speaker"),
        about=spec.get("about", []),
        status=spec.get("status", "unverified"),
        quote=spec.get("quote"),
        said_on=spec.get("said_on"),
        tags=spec.get("tags", []),
        note=spec.get("note"),
        external_id=external_id,
        allow_new_names=False,
    )
    summary.added["claims"] += 1
    return result.claim.id
