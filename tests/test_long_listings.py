"""A listing longer than one query's parameter limit (``claims list`` of a million claims
failed with 'too many SQL variables': every id went into one IN list). The file's limit
is lowered to SQLite's default (32,766; Debian builds allow 250,000) so that a few tens of
thousands of claims show it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import event

import claims
from claims.parse import text_hash
from claims.reads.query import ClaimFilter, list_claims

SQLITE_DEFAULT_MAX_VARIABLES = 32_766
N_CLAIMS = 33_000


@pytest.fixture
def many_claims(backend: str, db_url: str) -> str:
    if backend != "sqlite":
        pytest.skip("the limit is SQLite's (PostgreSQL's 65,535 would need 66k claims here; "
                    "the chunking is the same code)")
    conn = sqlite3.connect(db_url)
    now = "2026-12-01 00:00:00.000000"
    conn.execute("INSERT INTO sources (id, key, title, outlet, kind, created_at) "
                 "VALUES (1, 's', 'S', 'O', 'article', ?)", (now,))
    texts = [f"Claim number {i} about something." for i in range(1, N_CLAIMS + 1)]
    conn.execute("PRAGMA foreign_keys = OFF")  # claims and their first events point both ways
    conn.executemany("INSERT INTO claims (id, text, text_hash, source_id, status_event_id,"
                     " created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?, ?)",
                     [(i, t, text_hash(t), i, now, now) for i, t in enumerate(texts, 1)])
    conn.executemany("INSERT INTO status_history (id, claim_id, to_status, at)"
                     " VALUES (?, ?, 'unverified', ?)",
                     [(i, i, now) for i in range(1, N_CLAIMS + 1)])
    conn.commit()
    conn.close()
    return db_url


def test_a_listing_beyond_the_parameter_limit_lists_everything(many_claims: str) -> None:
    database = claims.open_database(Path(many_claims))

    @event.listens_for(database.engine, "connect")
    def default_limit(dbapi_connection: sqlite3.Connection, _: object) -> None:
        dbapi_connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER,
                                  SQLITE_DEFAULT_MAX_VARIABLES)

    database.engine.dispose()  # new connections get the lowered limit
    try:
        with database.connect() as conn:
            records = list_claims(conn, ClaimFilter())
    finally:
        database.close()
    assert sorted(r["id"] for r in records) == list(range(1, N_CLAIMS + 1))
    assert all(r["status"] == "unverified" and r["source"] == "s" for r in records)
