"""The floor for ``claims import``: the same JSONL file into the same schema (every index,
the FTS index through its triggers; the audit log's triggers off, as the importer keeps
them for its new rows) with plain ``sqlite3.executemany`` and one transaction.

It trusts its input: no validation, no duplicate detection, no name resolution beyond exact
look-ups in dicts. What is left is the cost of parsing JSON and of SQLite writing the rows.

    python bench/baseline_import.py FILE.jsonl NEW.db
"""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Callable
from datetime import datetime
from typing import Any

from claims.database.engine import open_database
from claims.names import name_key
from claims.parse import text_hash

CHUNK = 5_000


def stamp(value: str | None) -> str | None:
    if value is None:
        return None
    return datetime.fromisoformat(value).strftime("%Y-%m-%d %H:%M:%S.%f")


# Each table's columns, in the order the loader's tuples hold them. text_hash is a column of
# the schema like any other: a plain loader fills it too.
COLUMNS = {
    "entities": ("id", "name", "kind", "description", "created_at"),
    "entity_names": ("entity_id", "name", "key"),
    "sources": ("id", "key", "title", "outlet", "url", "published", "kind", "via_id", "notes",
                "created_at"),
    "claims": ("id", "text", "quote", "speaker_id", "source_id", "said_on", "external_id",
               "status_event_id", "created_at", "updated_at", "text_hash"),
    "status_history": ("id", "claim_id", "from_status", "to_status", "note", "evidence_id",
                       "at"),
    "claim_entities": ("claim_id", "entity_id"),
    "claim_tags": ("claim_id", "tag"),
    "links": ("from_id", "kind", "to_id", "note", "created_at"),
}
Write = Callable[[str, list[tuple[Any, ...]]], None]


def sqlite_writer(conn: sqlite3.Connection) -> Write:
    def write(table: str, rows: list[tuple[Any, ...]]) -> None:
        names = COLUMNS[table]
        conn.executemany(f"INSERT INTO {table} ({', '.join(names)}) "
                         f"VALUES ({', '.join('?' * len(names))})", rows)
    return write


class Loader:
    """Rows in dicts of ids, written a chunk at a time by ``write`` (parents first)."""

    def __init__(self, write: Write) -> None:
        self.write = write
        self.now = stamp(datetime.now().isoformat())
        self.entities: dict[str, int] = {}
        self.sources: dict[str, int] = {}
        self.by_external: dict[str, int] = {}
        self.by_text: dict[tuple[str, str], int] = {}
        self.next_claim = self.next_event = 1
        self.n_entities = 0
        self.pending: dict[str, list[tuple[Any, ...]]] = {table: [] for table in COLUMNS}
        self.links: list[tuple[int, dict[str, Any]]] = []

    def entity(self, record: dict[str, Any]) -> None:
        self.n_entities += 1
        entity_id = self.n_entities
        self.pending["entities"].append((entity_id, record["name"], record["kind"],
                                         record["description"], self.now))
        for name in [record["name"], *record["aliases"]]:
            self.entities[name] = entity_id
            self.pending["entity_names"].append((entity_id, name, name_key(name)))

    def source(self, record: dict[str, Any]) -> None:
        source_id = len(self.sources) + 1
        self.sources[record["key"]] = source_id
        self.pending["sources"].append(
            (source_id, record["key"], record["title"], record["outlet"], record["url"],
             record["published"], record["kind"],
             self.sources[record["via"]] if record["via"] else None, record["notes"], self.now))

    def claim(self, record: dict[str, Any]) -> None:
        claim_id = self.next_claim
        self.next_claim += 1
        source_id = self.sources[record["source"]]
        events = record["history"]
        first_event = self.next_event
        self.next_event += len(events)
        previous = None
        for offset, event in enumerate(events):
            self.pending["status_history"].append((
                first_event + offset, claim_id, previous, event["to"], event["note"],
                self.sources[event["evidence"]] if event["evidence"] else None,
                stamp(event["at"])))
            previous = event["to"]
        speaker = self.entities[record["speaker"]] if record["speaker"] else None
        self.pending["claims"].append((
            claim_id, record["text"], record["quote"], speaker, source_id, record["said_on"],
            record["external_id"], first_event + len(events) - 1,
            stamp(record["created_at"]), stamp(record["updated_at"]), text_hash(record["text"])))
        self.pending["claim_entities"].extend((claim_id, self.entities[n])
                                              for n in record["about"])
        self.pending["claim_tags"].extend((claim_id, t) for t in record["tags"])
        if record["external_id"]:
            self.by_external[record["external_id"]] = claim_id
        self.by_text[record["source"], record["text"]] = claim_id
        self.links.extend((claim_id, link) for link in record["links"])
        if len(self.pending["claims"]) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        for table, rows in self.pending.items():
            if rows:
                self.write(table, rows)
                rows.clear()

    def finish(self) -> None:
        self.flush()
        rows = []
        for from_id, link in self.links:
            ref = link["to"]
            to_id = (self.by_external[ref["external_id"]] if ref.get("external_id")
                     else self.by_text[ref["source"], ref["text"]])
            rows.append((from_id, link["kind"], to_id, link["note"], stamp(link["created_at"])))
        if rows:
            self.write("links", rows)

    def load(self, path: str) -> None:
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                record = json.loads(line)
                getattr(self, record.get("type", "claim"))(record)
        self.finish()


def main(path: str, target: str) -> None:
    open_database(target).close()
    conn = sqlite3.connect(target, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("BEGIN IMMEDIATE")
    # claims and status_history point at each other: check references at COMMIT.
    conn.execute("PRAGMA defer_foreign_keys = ON")
    # The audit log's triggers are dropped for the load and put back before the commit, as
    # claims' importer does for the rows it adds (it logs them as ranges of ids): else
    # every row would be logged one by one and this would be no floor.
    triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                            "AND name LIKE 'audit\\_%' ESCAPE '\\'").fetchall()
    for name, _ in triggers:
        conn.execute(f'DROP TRIGGER "{name}"')
    Loader(sqlite_writer(conn)).load(path)
    for _, sql in triggers:
        conn.execute(sql)
    conn.execute("COMMIT")
    conn.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
