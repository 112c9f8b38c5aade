"""The audit log's range entries read back as the rows they stand for.

A bulk write (an import's new claims) logs its inserts as one ``changes`` entry per run of
ids (``claims.audit.changesets.log_inserted``) instead of one per row, which keeps an import nearly
as fast as without the log. Whatever reverts a change set (``claims undo``, ``--as-of``)
first expands its entries here into one row per row, read from the table: at that moment
the rows are as the change set left them, since every later change set has been reverted
before it (``--as-of`` goes newest first) or makes the undo refuse (``claims.audit.undo``).
"""

from __future__ import annotations

from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select

from claims.schema.sql import Reader
from claims.schema.tables import metadata

# The filter columns of ``changes`` and, per table, the column each is copied from
# (as the triggers of revision 0009 copy them).
FILTERS = {
    "claims": {"claim_id": "id", "entity_id": "speaker_id", "source_id": "source_id"},
    "status_history": {"claim_id": "claim_id", "source_id": "evidence_id"},
    "claim_entities": {"claim_id": "claim_id", "entity_id": "entity_id"},
    "claim_tags": {"claim_id": "claim_id"},
    "claim_due": {"claim_id": "claim_id"},
    "quantities": {"claim_id": "claim_id"},
}
# Tables whose range entries are ranges of claim ids rather than of their own ids.
BY_CLAIM = frozenset({"claim_entities", "claim_tags", "claim_due"})


def expanded(session: Reader, rows: Sequence[Any]) -> list[Any]:
    """``rows`` (``changes`` rows in log order) with each range entry replaced by a row per
    row it stands for, in key order; plain rows as they are."""
    found: list[Any] = []
    for row in rows:
        if row.key_from is None:
            found.append(row)
        else:
            found.extend(_rows_of(session, row))
    return found


def _rows_of(session: Reader, entry: Any) -> list[Any]:
    table = metadata.tables[entry.kind]
    keys = list(table.primary_key.columns)
    filters = FILTERS.get(entry.kind, {})
    span = table.c.claim_id if entry.kind in BY_CLAIM else table.c.id
    query = (select(*keys, *(table.c[source] for source in filters.values()))
             .where(span.between(entry.key_from, entry.key_to)).order_by(*keys))
    rows = []
    for values in session.execute(query):
        copied = dict(zip(filters, values[len(keys):], strict=True))
        rows.append(SimpleNamespace(
            id=entry.id, change_set_id=entry.change_set_id, kind=entry.kind, op="insert",
            row_key="/".join(str(v) for v in values[:len(keys)]), before=None, after=None,
            claim_id=copied.get("claim_id"), other_claim_id=None,
            entity_id=copied.get("entity_id"), source_id=copied.get("source_id"),
            purged=entry.purged, key_from=None, key_to=None, row_count=None))
    return rows
