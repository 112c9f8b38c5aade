"""Revision 0004 (reviews): from 0003 with data, our verdicts become our desk's reviews and
every status stays; downgrade removes the table; both engines."""

from __future__ import annotations

import json

from sqlalchemy import inspect, text

import claims
from claims.database.engine import current_revision, make_engine, resolve_url
from claims.database.migrate import migrate
from claims.parse import text_hash
from tests.conftest import Cli

STATUSES = ["unverified", "false", "disputed", "mostly-true"]  # claim i's history: first i+1


def _fill_at_0003(url: str) -> None:
    engine = make_engine(resolve_url(url))
    migrate(engine, "0003")
    with engine.begin() as conn:
        run = conn.execute
        run(text("INSERT INTO sources (id, key, title, outlet, kind, created_at) "
                 "VALUES (1, 'wire', 'Wire', 'Wire', 'article', '2025-01-02 03:04:05')"))
        event = 0
        for claim in range(1, 5):
            body = f"Claim number {claim}"
            run(text("INSERT INTO claims (id, text, text_hash, source_id, created_at, updated_at)"
                     " VALUES (:id, :t, :h, 1, '2025-01-02 03:04:05', '2025-01-02 03:04:05')"),
                {"id": claim, "t": body, "h": text_hash(body)})
            previous = None
            for step, status in enumerate(STATUSES[:claim]):
                event += 1
                run(text("INSERT INTO status_history (id, claim_id, from_status, to_status, "
                         "note, at) VALUES (:id, :c, :f, :t, :n, :at)"),
                    {"id": event, "c": claim, "f": previous, "t": status, "n": f"step {step}",
                     "at": f"2025-02-0{step + 1} 10:00:00"})
                previous = status
            run(text("UPDATE claims SET status_event_id = :e WHERE id = :c"),
                {"e": event, "c": claim})
    engine.dispose()


def test_upgrade_from_0003_turns_our_verdicts_into_desk_reviews(blank_db_url: str) -> None:
    _fill_at_0003(blank_db_url)
    claims.open_database(blank_db_url).close()  # upgrades to the head
    cli = Cli(blank_db_url)
    listed = json.loads(cli.ok("list", "--format", "json").stdout)
    assert [c["status"] for c in listed] == ["unverified", "false", "disputed", "mostly-true"]
    history = json.loads(cli.ok("history", "4", "--format", "json").stdout)
    assert [h["to"] for h in history] == STATUSES
    reviews = json.loads(cli.ok("reviews", "4", "--format", "json").stdout)
    assert [(r["publisher"], r["rating"], r["published"], r["explanation"], r["sets_status"])
            for r in reviews] == [("Our desk", "false", "2025-02-02", "step 1", True),
                                  ("Our desk", "mostly-true", "2025-02-04", "step 3", True)]
    assert json.loads(cli.ok("reviews", "1", "--format", "json").stdout) == []
    # New rows get fresh ids after the ones the upgrade wrote (PostgreSQL's sequence too).
    cli.ok("review", "add", "1", "true", "--by", "Other")
    # (review ids follow the history rows they came from: the last one was 10).
    assert json.loads(cli.ok("reviews", "1", "--format", "json").stdout)[0]["id"] == 11


def test_downgrade_to_0003_removes_reviews_and_keeps_statuses(blank_db_url: str) -> None:
    _fill_at_0003(blank_db_url)
    claims.open_database(blank_db_url).close()
    engine = make_engine(resolve_url(blank_db_url))
    migrate(engine, "0003")
    assert current_revision(engine) == "0003"
    assert "reviews" not in inspect(engine).get_table_names()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM status_history")).scalar() == 10
    migrate(engine, "head")
    engine.dispose()
