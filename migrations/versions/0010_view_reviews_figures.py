"""claims_view shows each claim's reviews and figures (``claims serve``)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01

Written by hand: recreates 0007's ``claims_view`` with two more columns, as text a reader
takes in at a glance, empty (NULL) where a claim has none, placed beside our status and
rating (other desks' verdicts next to ours; on a laptop's screen the columns after them
need scrolling):

- ``reviews``: every publisher's verdict, oldest first, as ``publisher: label`` (the
  label as they published it, else the status we read it as), joined with ``; ``.
- ``figures``: every figure the claim gives, oldest first, as ``value unit (measure)``
  in the measure's unit, its qualifier in front (``at least 18% (Bushehr 2-3
  progress)``).

SQLite only, as 0007 and for its reasons; on PostgreSQL this revision changes nothing.
The downgrade puts back 0007's definition. Both definitions are spelled out here: a
revision must not change when a later one, or the application, does.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RATING = """CASE h.to_status WHEN 'true' THEN 5 WHEN 'mostly-true' THEN 4
    WHEN 'half-true' THEN 3 WHEN 'mostly-false' THEN 2 WHEN 'false' THEN 1 END"""

# Spelled in full rather than pieced together: SQLite keeps a view's SQL as written and
# Datasette shows it under the table, where a reader may study it. A value reads as a
# person writes it (17, not 17.0); a percentage sticks to its number (17%).
CLAIMS_VIEW_0010 = """
CREATE VIEW claims_view AS
SELECT
    c.id AS id, c.text AS text, c.quote AS quote, h.to_status AS status,
    CASE h.to_status WHEN 'true' THEN 5 WHEN 'mostly-true' THEN 4 WHEN 'half-true' THEN 3
        WHEN 'mostly-false' THEN 2 WHEN 'false' THEN 1 END AS rating,
    (SELECT group_concat(shown, '; ') FROM (
        SELECT p.name || ': ' || coalesce(r.label, r.rating) AS shown
        FROM reviews r
        JOIN entities p ON p.id = r.publisher_id
        WHERE r.claim_id = c.id
        ORDER BY r.published IS NULL, r.published, r.id)) AS reviews,
    (SELECT group_concat(shown, '; ') FROM (
        SELECT coalesce(replace(q.qualifier, '-', ' ') || ' ', '')
            || CASE WHEN q.value = CAST(q.value AS INTEGER) AND abs(q.value) < 1e15
                    THEN CAST(CAST(q.value AS INTEGER) AS TEXT)
                    ELSE CAST(q.value AS TEXT) END
            || CASE WHEN m.unit = '%' THEN '%' ELSE coalesce(' ' || m.unit, '') END
            || ' (' || m.name || ')' AS shown
        FROM quantities q
        JOIN measures m ON m.id = q.measure_id
        WHERE q.claim_id = c.id
        ORDER BY q.as_of IS NULL, q.as_of, q.id)) AS figures,
    sp.name AS speaker, s.key AS source, s.outlet AS outlet, c.said_on AS said_on,
    (SELECT json_group_array(name) FROM (
        SELECT e.name AS name FROM claim_entities ce
        JOIN entities e ON e.id = ce.entity_id
        WHERE ce.claim_id = c.id ORDER BY e.name)) AS entities,
    (SELECT json_group_array(tag) FROM (
        SELECT t.tag AS tag FROM claim_tags t
        WHERE t.claim_id = c.id ORDER BY t.tag)) AS tags,
    c.created_at AS created_at, c.updated_at AS updated_at
FROM claims c
JOIN sources s ON s.id = c.source_id
LEFT JOIN entities sp ON sp.id = c.speaker_id
LEFT JOIN status_history h ON h.id = c.status_event_id"""

# 0007's definition to the character: SQLite keeps a view's SQL as written, and a downgrade
# must give back the very schema 0007 made.
CLAIMS_VIEW_0007 = f"""
        CREATE VIEW claims_view AS
        SELECT c.id AS id, c.text AS text, c.quote AS quote, h.to_status AS status,
               {RATING} AS rating, sp.name AS speaker, s.key AS source, s.outlet AS outlet,
               c.said_on AS said_on,
               (SELECT json_group_array(name) FROM (
                    SELECT e.name AS name FROM claim_entities ce
                    JOIN entities e ON e.id = ce.entity_id
                    WHERE ce.claim_id = c.id ORDER BY e.name)) AS entities,
               (SELECT json_group_array(tag) FROM (
                    SELECT t.tag AS tag FROM claim_tags t
                    WHERE t.claim_id = c.id ORDER BY t.tag)) AS tags,
               c.created_at AS created_at, c.updated_at AS updated_at
        FROM claims c
        JOIN sources s ON s.id = c.source_id
        LEFT JOIN entities sp ON sp.id = c.speaker_id
        LEFT JOIN status_history h ON h.id = c.status_event_id"""


def _replace_claims_view(definition: str) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP VIEW IF EXISTS claims_view")
    op.execute(definition)


def upgrade() -> None:
    _replace_claims_view(CLAIMS_VIEW_0010)


def downgrade() -> None:
    _replace_claims_view(CLAIMS_VIEW_0007)
