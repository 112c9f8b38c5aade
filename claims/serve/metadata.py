"""The Datasette metadata ``claims serve`` ships: titles, the journalist's claims view first,
facets, full-text search, column labels, hidden internal tables, canned queries.

Built in Python rather than kept as a JSON file because its keys name the database, which
Datasette calls after the file's stem. The views it points at come from revision 0007
(``claims_view`` as revision 0010 redefines it, with reviews and figures).
"""

from __future__ import annotations

from typing import Any

from claims.figures.due import OPEN_STATUSES
from claims.vocab import Status

TITLE = "Claims"
DESCRIPTION = (
    "Who said what, where it was reported, and what we currently believe about it. "
    "Start with the claims; facet by status, speaker, source, tag or entity, or search "
    "their text and quotes."
)

# Tables a reader never needs: the views below show the same rows with names, not ids
# (reviews and figures in claims_view since revision 0010; a measure's figures and a
# publisher's reviews through the canned queries). The FTS shadow tables
# (claims_fts_data, ...) Datasette hides by itself.
HIDDEN_TABLES = (
    "alembic_version", "claims_fts", "claims_fts_stem", "claims", "claim_entities",
    "claim_tags", "entity_names", "status_history", "links", "sources", "entities",
    "reviews", "measures", "measure_names", "quantities", "claim_due",
    # The audit log's rows and its write-time state; its change sets (who, when, which
    # command) stay in view.
    "changes", "audit_session",
)

CLAIM_LABELS = {
    "id": "Claim id (claims show ID)",
    "text": "The claim, in the recorder's words",
    "quote": "Verbatim quote",
    "status": "What we currently believe: true ... false are verdicts",
    "rating": "Verdicts: 5 (true) down to 1 (false); empty for other statuses",
    "reviews": "Fact-checks: each publisher's verdict as they labelled it",
    "figures": "Figures the claim gives: value, unit and measure",
    "speaker": "Who made the claim",
    "source": "Key of the source it appeared in",
    "outlet": "Outlet of the source",
    "said_on": "Date said",
    "entities": "Entities the claim is about",
    "tags": "Tags",
    "created_at": "Recorded (UTC)",
    "updated_at": "Last edited (UTC)",
}

# Scale order of the statuses, for ORDER BY in SQL (verdicts first, true to false).
STATUS_ORDER = "CASE status " + " ".join(
    f"WHEN '{status.value}' THEN {i}" for i, status in enumerate(Status)
) + " END"

# claims_key() is the application's name key (claims.names.name_key), registered on every
# connection by the plugin: any name or alias in any script and case finds its entity.
ENTITY_CLAIMS_SQL = """
select v.* from claims_view v
where v.id in (
    select ce.claim_id from claim_entities ce
    join entity_names n on n.entity_id = ce.entity_id
    where n.key = claims_key(:name)
    union
    select c.id from claims c
    join entity_names n on n.entity_id = c.speaker_id
    where n.key = claims_key(:name)
)
order by v.id
"""

# Open: neither side settled as false, mostly false, retracted or outdated
# (claims.reads.graph.SETTLED).
OPEN_CONFLICTS_SQL = """
select l.from_id as claim, l.from_claim as claim_text, l.from_status as claim_status,
       l.to_id as other, l.to_claim as other_text, l.to_status as other_status, l.note
from links_view l
where l.kind = 'contradicts'
  and l.from_status not in ('false', 'mostly-false', 'retracted', 'outdated')
  and l.to_status not in ('false', 'mostly-false', 'retracted', 'outdated')
order by l.id
"""

TRACK_RECORD_SQL = f"""
select status, rating, count(*) as claims
from claims_view
where id in (
    select c.id from claims c
    join entity_names n on n.entity_id = c.speaker_id
    where n.key = claims_key(:speaker)
)
group by status, rating
order by {STATUS_ORDER}
"""


MEASURE_TIMELINE_SQL = """
select q.as_of, q.written as figure, q.value, m.unit, q.claim_id as claim, v.text,
       v.speaker, v.source, v.status
from quantities q
join measures m on m.id = q.measure_id
join claims_view v on v.id = q.claim_id
where q.measure_id in (select measure_id from measure_names where key = claims_key(:measure))
order by q.as_of, q.id
"""

# A promise is open in claims.figures.due's sense: its statuses, spelled from there.
OVERDUE_PROMISES_SQL = """
select d.due_on as due, v.id as claim, v.text, v.speaker, v.status
from claim_due d
join claims_view v on v.id = d.claim_id
where d.due_on < date('now')
  and v.status in ({open_statuses})
  and not exists (select 1 from links l where l.to_id = d.claim_id and l.kind = 'updates')
order by d.due_on, v.id
""".format(open_statuses=", ".join(f"'{status}'" for status in OPEN_STATUSES))

PUBLISHER_REVIEWS_SQL = """
select r.published, r.claim_id as claim, v.text, r.rating, r.label, r.url,
       v.status as our_status
from reviews r
join claims_view v on v.id = r.claim_id
where r.publisher_id in (select entity_id from entity_names where key = claims_key(:publisher))
order by r.published, r.id
"""


def canned_queries() -> dict[str, dict[str, Any]]:
    queries: dict[str, dict[str, Any]] = {
        "entity_claims": {
            "title": "Claims about an entity (or made by it)",
            "description": "Any of its names or aliases, in any script: Iran, tehran, ایران.",
            "sql": ENTITY_CLAIMS_SQL,
            "hide_sql": True,
        },
        "open_conflicts": {
            "title": "Open conflicts",
            "description": "Claims that contradict each other where neither side is settled "
                           "as false, mostly false, retracted or outdated.",
            "sql": OPEN_CONFLICTS_SQL,
            "hide_sql": True,
        },
        "track_record": {
            "title": "A speaker's track record",
            "description": "Their claims counted by status, in scale order (name or alias).",
            "sql": TRACK_RECORD_SQL,
            "hide_sql": True,
        },
        "measure_timeline": {
            "title": "A measure's figures over time",
            "description": "Every figure of a measure (by any of its names or aliases), "
                           "in time order, with the claim, its source and status.",
            "sql": MEASURE_TIMELINE_SQL,
            "hide_sql": True,
        },
        "overdue_promises": {
            "title": "Overdue promises",
            "description": "Claims due before today that no later claim updates and whose "
                           "status is still open (as 'claims due --overdue').",
            "sql": OVERDUE_PROMISES_SQL,
            "hide_sql": True,
        },
        "claim_reviews": {
            "title": "Fact-checks by a publisher",
            "description": "The reviews a publisher (by any name or alias) wrote, with "
                           "their label as published and our status beside theirs.",
            "sql": PUBLISHER_REVIEWS_SQL,
            "hide_sql": True,
        },
    }
    return queries


def build_metadata(database: str) -> dict[str, Any]:
    """Metadata for a database that Datasette names ``database`` (the file's stem)."""
    tables: dict[str, Any] = {name: {"hidden": True} for name in HIDDEN_TABLES}
    tables["claims_view"] = {
        "title": "Claims",
        "description": "Every claim with its current status, speaker, source, entities, "
                       "tags, reviews and figures. Search finds words of the text and the quote.",
        "fts_table": "claims_fts",
        "fts_pk": "id",
        "searchmode": "escaped",
        "facets": ["status", "speaker", "source", {"array": "tags"}, {"array": "entities"}],
        "columns": CLAIM_LABELS,
        "size": 50,
    }
    tables["history_view"] = {
        "title": "Status history",
        "description": "Every change of what we believe about a claim, with the claim's text.",
        "facets": ["to_status"],
        "columns": {"claim_id": "Claim id", "claim": "The claim's text",
                    "from_status": "Status before", "to_status": "Status set",
                    "note": "Why", "evidence": "Source given as evidence", "at": "When (UTC)"},
    }
    tables["entities_view"] = {
        "title": "Entities",
        "description": "People, organisations, places ... with their aliases.",
        "facets": ["kind"],
        "columns": {"aliases": "Other names it answers to",
                    "claims_by": "Claims it made", "claims_about": "Claims about it"},
    }
    tables["sources_view"] = {
        "title": "Sources",
        "facets": ["outlet", "kind"],
        "columns": {"via": "Key of the source it was reported through"},
    }
    tables["links_view"] = {
        "title": "Links between claims",
        "facets": ["kind"],
    }
    return {
        "title": TITLE,
        "description": DESCRIPTION,
        "databases": {
            database: {
                "title": TITLE,
                "description": DESCRIPTION,
                "tables": tables,
                "queries": canned_queries(),
            }
        },
    }
