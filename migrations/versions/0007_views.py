"""SQL views for reading the database in Datasette (``claims serve``)

Revision ID: 0007
Revises: 0003
Create Date: 2026-12-01

Written by hand: views a journalist reads instead of the normalised tables, with names in
place of ids. SQLite only, on purpose: Datasette reads SQLite, the views use SQLite's JSON
functions (``json_group_array``, which Datasette's array facets read), and a PostgreSQL
database is served through a SQLite snapshot, which gets the views from this revision when
it is created. On PostgreSQL this revision changes nothing (so both engines share one
revision history). Views are invisible to autogenerate, so they never show as drift.

- ``claims_view``: one row per claim: id, text, quote, status and rating, speaker,
  source, outlet, said on, the entities it is about and its tags (JSON arrays), recorded
  and updated times. Full-text search goes through ``claims_fts`` (rowid = id).
- ``history_view``: every status change with its claim's text and the evidence's key.
- ``entities_view``: every entity with its aliases and how many claims are by or about it.
- ``sources_view``: every source with the key of the source it came through.
- ``links_view``: every link with both claims' texts and statuses.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Ratings as in claims.vocab.RATINGS, spelled in SQL (a revision must not change when the
# application does).
RATING = """CASE h.to_status WHEN 'true' THEN 5 WHEN 'mostly-true' THEN 4
    WHEN 'half-true' THEN 3 WHEN 'mostly-false' THEN 2 WHEN 'false' THEN 1 END"""

VIEWS = {
    "claims_view": f"""
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
        LEFT JOIN status_history h ON h.id = c.status_event_id""",
    "history_view": """
        CREATE VIEW history_view AS
        SELECT h.id AS id, h.claim_id AS claim_id, c.text AS claim, h.from_status AS from_status,
               h.to_status AS to_status, h.note AS note, ev.key AS evidence, h.at AS at
        FROM status_history h
        JOIN claims c ON c.id = h.claim_id
        LEFT JOIN sources ev ON ev.id = h.evidence_id""",
    "entities_view": """
        CREATE VIEW entities_view AS
        SELECT e.id AS id, e.name AS name, e.kind AS kind, e.description AS description,
               (SELECT json_group_array(name) FROM (
                    SELECT n.name AS name FROM entity_names n
                    WHERE n.entity_id = e.id AND n.name <> e.name ORDER BY n.id)) AS aliases,
               (SELECT count(*) FROM claims c WHERE c.speaker_id = e.id) AS claims_by,
               (SELECT count(*) FROM claim_entities ce WHERE ce.entity_id = e.id)
                   AS claims_about
        FROM entities e""",
    "sources_view": """
        CREATE VIEW sources_view AS
        SELECT s.id AS id, s.key AS key, s.title AS title, s.outlet AS outlet, s.url AS url,
               s.published AS published, s.kind AS kind, v.key AS via, s.notes AS notes,
               (SELECT count(*) FROM claims c WHERE c.source_id = s.id) AS claims
        FROM sources s
        LEFT JOIN sources v ON v.id = s.via_id""",
    "links_view": """
        CREATE VIEW links_view AS
        SELECT l.id AS id, l.from_id AS from_id, a.text AS from_claim, ha.to_status AS from_status,
               l.kind AS kind, l.to_id AS to_id, b.text AS to_claim, hb.to_status AS to_status,
               l.note AS note, l.created_at AS created_at
        FROM links l
        JOIN claims a ON a.id = l.from_id
        JOIN claims b ON b.id = l.to_id
        LEFT JOIN status_history ha ON ha.id = a.status_event_id
        LEFT JOIN status_history hb ON hb.id = b.status_event_id""",
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for sql in VIEWS.values():
        op.execute(sql)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in reversed(VIEWS):
        op.execute(f"DROP VIEW IF EXISTS {name}")
