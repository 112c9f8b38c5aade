"""One claim's whole history, oldest first: its status changes (the rows of
``status_history``, fields as before plus ``by``) and, from the audit log, every edit of its
text, quote, speaker, said-on date, entities, tags and links, its deletion and restoration.
Rows that are not status changes say what ``kind`` they are."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import or_, select

from claims.audit.entries import PURGED, decode_row
from claims.reads.lookup import require_claim
from claims.reads.records import Record
from claims.schema.sql import Reader, shown
from claims.schema.tables import change_sets, changes, entities, sources

# Claim columns an edit is about, as the history names them; the rest (the status pointer,
# timestamps, the text hash) follow from other rows.
EDITED_FIELDS = {"text": "text", "quote": "quote", "speaker_id": "speaker",
                 "said_on": "said_on", "external_id": "external_id", "source_id": "source"}


def claim_timeline(session: Reader, claim_id: int) -> list[Record]:
    require_claim(session, claim_id)
    events: list[tuple[datetime, int, Record]] = list(_status_rows(session, claim_id))
    events.extend(_edit_rows(session, claim_id))
    events.sort(key=lambda event: (event[0], event[1]))
    return [record for _, _, record in events]


def _status_rows(session: Reader, claim_id: int) -> list[tuple[datetime, int, Record]]:
    from claims.reads.records import history_records

    rows = history_records(session, [claim_id]).get(claim_id, [])
    return [(datetime.fromisoformat(row["at"]), 0, row) for row in rows]


def _edit_rows(session: Reader, claim_id: int) -> list[tuple[datetime, int, Record]]:
    rows = session.execute(
        select(changes, change_sets.c.at, change_sets.c.actor, change_sets.c.action)
        .join(change_sets, change_sets.c.id == changes.c.change_set_id)
        .where(or_(changes.c.claim_id == claim_id, changes.c.other_claim_id == claim_id),
               changes.c.kind.in_(("claims", "claim_entities", "claim_tags", "links")))
        .order_by(changes.c.id)
    ).all()
    # The rows written with the claim itself (add, restore) and removed with it (delete)
    # are the claim's creation or deletion, not edits of their own.
    whole = {(row.change_set_id, row.op) for row in rows if row.kind == "claims"
             and row.op in ("insert", "delete")}
    names = _Names(session)
    found: list[tuple[datetime, int, Record]] = []
    for row in rows:
        if row.kind != "claims" and (row.change_set_id, row.op) in whole:
            continue
        for record in _describe(row, claim_id, names):
            found.append((row.at, row.id, {**record, "note": None, "evidence": None,
                                           "at": shown(row.at), "by": row.actor}))
    return found


def _describe(row: Any, claim_id: int, names: _Names) -> list[Record]:
    purged = bool(row.purged)
    if row.kind == "claims":
        if row.op == "delete":
            return [{"kind": "deleted", "from": None, "to": None}]
        if row.op == "insert":
            return [{"kind": "restored", "from": None, "to": None}] \
                if row.action == "restore" else []
        before = decode_row("claims", row.before) or {}
        after = decode_row("claims", row.after) or {}
        return [{"kind": EDITED_FIELDS[field],
                 "from": names.value(field, before.get(field), purged),
                 "to": names.value(field, after.get(field), purged)}
                for field in before if field in EDITED_FIELDS]
    if row.op == "update":
        return []
    added = row.op == "insert"
    if row.kind == "claim_entities":
        what: Any = names.entity(int(row.row_key.split("/")[1]))
        kind = "about"
    elif row.kind == "claim_tags":
        what = PURGED if purged else row.row_key.split("/", 1)[1]
        kind = "tags"
    else:
        what = names.link(row)
        kind = "link"
    return [{"kind": kind, "from": None if added else what, "to": what if added else None}]


class _Names:
    """Entity and source ids as their names (looked up once each)."""

    def __init__(self, session: Reader) -> None:
        self.session = session
        self.cache: dict[tuple[str, int], str] = {}

    def entity(self, entity_id: int) -> str:
        return self._lookup("entity", entity_id)

    def value(self, field: str, value: Any, purged: bool) -> Any:
        if value is None:
            return PURGED if purged and field in ("text", "quote", "said_on",
                                                  "external_id") else None
        if field == "speaker_id":
            return self._lookup("entity", int(value))
        if field == "source_id":
            return self._lookup("source", int(value))
        return shown(value)

    def link(self, row: Any) -> str:
        """``5 contradicts 4``: from the row removed, else the row as stored, else the first
        later record of it (a link added and since removed)."""
        from claims.schema.tables import links

        values = decode_row("links", row.before)
        if values is None:
            current = self.session.execute(
                select(links.c.from_id, links.c.kind, links.c.to_id)
                .where(links.c.id == int(row.row_key))).first()
            values = current._asdict() if current is not None else decode_row(
                "links", self.session.scalar(
                    select(changes.c.before).where(changes.c.kind == "links",
                                                   changes.c.row_key == row.row_key,
                                                   changes.c.id > row.id,
                                                   changes.c.op == "delete")
                    .order_by(changes.c.id).limit(1)))
        if not values:
            return f"link {row.row_key}"
        return f"{values['from_id']} {values['kind']} {values['to_id']}"

    def _lookup(self, what: str, row_id: int) -> str:
        key = (what, row_id)
        if key not in self.cache:
            table, column = (entities, entities.c.name) if what == "entity" \
                else (sources, sources.c.key)
            name = self.session.scalar(select(column).where(table.c.id == row_id))
            self.cache[key] = name if name is not None else f"#{row_id}"
        return self.cache[key]
