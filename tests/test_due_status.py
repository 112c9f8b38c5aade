"""A due date's copy of its claim's status (revision 0015) is always the status the
history gives, whoever writes and in whatever order, on both engines; the audit log
leaves it out; 0014 -> 0015 fills it and goes back down."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, inspect, text

import claims
from claims.database.engine import SCHEMA_HEAD, current_revision
from claims.database.migrate import migrate
from tests.conftest import Cli

CLAIM_IDS = (1, 2, 3, 20)
STATUSES = ("true", "false", "unverified", "disputed", "retracted")


def copies_and_truth(engine: Engine) -> list[tuple[int, str | None, str | None]]:
    """(claim, the copy on claim_due, the status its history gives) for every due date."""
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text(  # type: ignore[misc]
            "SELECT d.claim_id, d.claim_status, h.to_status FROM claim_due d "
            "JOIN claims c ON c.id = d.claim_id "
            "LEFT JOIN status_history h ON h.id = c.status_event_id ORDER BY d.claim_id"))]


def assert_copies_true(cli: Cli) -> None:
    database = claims.open_database(cli.url)
    try:
        rows = copies_and_truth(database.engine)
    finally:
        database.close()
    assert [(claim, copy) for claim, copy, _ in rows] == [(c, t) for c, _, t in rows]


def outside_write(cli: Cli, sql: str) -> None:
    """A write from psql or a sqlite3 shell: no library code runs."""
    database = claims.open_database(cli.url)
    try:
        with database.engine.begin() as conn:
            conn.execute(text(sql))
    finally:
        database.close()


step = st.one_of(
    st.tuples(st.just("status"), st.sampled_from(CLAIM_IDS), st.sampled_from(STATUSES)),
    st.tuples(st.just("due"), st.sampled_from(CLAIM_IDS),
              st.sampled_from(("2024-10-31", "2031-01-01", ""))),
    st.tuples(st.just("undo")),
    st.tuples(st.just("forge"), st.sampled_from(CLAIM_IDS)),
    st.tuples(st.just("drop-event"), st.sampled_from(CLAIM_IDS)),
)


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=1, max_size=6))
def test_the_copy_follows_every_write(seeded: Cli, steps: list[tuple]) -> None:
    # The database outlives each example: undo only change sets of this example, never
    # the seed's (which would delete the claims the next steps name).
    first = newest_change_set(seeded)
    for action, *args in steps:
        if action == "status":
            seeded.ok("status", str(args[0]), args[1])
        elif action == "due":
            seeded.ok("edit", str(args[0]), "--due", args[1])
        elif action == "undo" and newest_change_set(seeded) > first:
            seeded("undo", str(newest_change_set(seeded)))  # an undo's undo may be refused
        elif action == "forge":  # an outside writer setting the copy itself is overruled
            outside_write(seeded, f"UPDATE claim_due SET claim_status = 'true' "
                                  f"WHERE claim_id = {args[0]}")
        elif action == "drop-event":  # an outside writer taking back the newest event
            drop_newest_event(seeded, args[0])
        assert_copies_true(seeded)


def newest_change_set(cli: Cli) -> int:
    database = claims.open_database(cli.url)
    try:
        with database.engine.connect() as conn:
            return int(conn.execute(text("SELECT max(id) FROM change_sets")).scalar_one())
    finally:
        database.close()


def drop_newest_event(cli: Cli, claim_id: int) -> None:
    database = claims.open_database(cli.url)
    try:
        with database.engine.begin() as conn:
            events = conn.execute(text("SELECT id FROM status_history WHERE claim_id = :c "
                                       "ORDER BY id DESC"), {"c": claim_id}).scalars().all()
            if len(events) < 2:
                return
            conn.execute(text("UPDATE claims SET status_event_id = :e WHERE id = :c"),
                         {"e": events[1], "c": claim_id})
            conn.execute(text("DELETE FROM status_history WHERE id = :e"), {"e": events[0]})
    finally:
        database.close()


def test_deleting_the_current_event_leaves_no_status_on_the_copy(seeded: Cli) -> None:
    seeded.ok("edit", "20", "--due", "2024-10-31")
    seeded.ok("edit", "3", "--due", "2024-10-31")
    outside_write(seeded, "DELETE FROM status_history WHERE id = "
                          "(SELECT status_event_id FROM claims WHERE id = 20)")
    database = claims.open_database(seeded.url)
    try:  # the foreign key's ON DELETE SET NULL is a write the triggers see too
        assert copies_and_truth(database.engine) == [(3, "unverified", "unverified"),
                                                     (20, None, None)]
    finally:
        database.close()


def overdue_ids(cli: Cli) -> list[int]:
    return [row["claim"] for row in json.loads(
        cli.ok("due", "--overdue", "--format", "json").stdout)]


def test_a_broken_promise_leaves_the_overdue_list_and_undo_brings_it_back(seeded: Cli) -> None:
    seeded.ok("edit", "20", "--due", "2024-10-31")
    assert overdue_ids(seeded) == [20]
    seeded.ok("status", "20", "false")
    assert overdue_ids(seeded) == []
    seeded.ok("undo")
    assert overdue_ids(seeded) == [20]


def test_the_log_leaves_the_copy_out(seeded: Cli) -> None:
    seeded.ok("edit", "20", "--due", "2024-10-31")
    seeded.ok("status", "20", "disputed")
    database = claims.open_database(seeded.url)
    try:
        with database.engine.connect() as conn:
            logged = conn.execute(text(
                "SELECT op, before, after FROM changes WHERE kind = 'claim_due'")).all()
    finally:
        database.close()
    # One insert; the status change logs no change of claim_due, and no image has the copy.
    assert [op for op, _, _ in logged] == ["insert"]
    assert all("claim_status" not in (image or "") for _, *images in logged for image in images)


def due_columns_and_indexes(engine: Engine) -> tuple[list[str], list[str]]:
    inspector = inspect(engine)
    return ([c["name"] for c in inspector.get_columns("claim_due")],
            sorted(i["name"] for i in inspector.get_indexes("claim_due")))


def test_0015_fills_the_copy_from_data_and_goes_back_down(seeded: Cli) -> None:
    seeded.ok("edit", "20", "--due", "2024-10-31")
    seeded.ok("edit", "3", "--due", "2030-01-01")
    seeded.ok("status", "3", "false")
    database = claims.open_database(seeded.url)
    try:
        engine = database.engine
        migrate(engine, "0014")
        assert due_columns_and_indexes(engine) == (["claim_id", "due_on"],
                                                   ["ix_claim_due_due_on"])
        with engine.begin() as conn:  # written at 0014, before the copy existed
            conn.execute(text("UPDATE claims SET status_event_id = NULL WHERE id = 20"))
        migrate(engine, "head")
        assert current_revision(engine) == SCHEMA_HEAD
        assert due_columns_and_indexes(engine) == (
            ["claim_id", "due_on", "claim_status"], ["ix_claim_due_due_on_claim_id_claim_status"])
        assert copies_and_truth(engine) == [(3, "false", "false"), (20, None, None)]
    finally:
        database.close()
    seeded.ok("status", "20", "disputed")  # the upgraded database keeps the copy true
    assert overdue_ids(seeded) == [20]
    assert_copies_true(seeded)


def test_db_check_finds_a_copy_gone_wrong_behind_the_triggers_and_repairs_it(seeded: Cli) -> None:
    seeded.ok("edit", "20", "--due", "2024-10-31")
    seeded.ok("edit", "3", "--due", "2024-10-31")
    postgres = seeded.url.startswith("postgresql")
    outside_write(seeded, "ALTER TABLE claim_due DISABLE TRIGGER due_status_on_due" if postgres
                  else "DROP TRIGGER due_status_on_due_update")
    outside_write(seeded, "UPDATE claim_due SET claim_status = 'true' WHERE claim_id = 20")
    run = seeded("db", "check")
    assert run.exit_code == 1
    assert "due-date statuses: FAILED (claim 20's due date has another status" in run.stdout
    assert overdue_ids(seeded) == [3]  # what the broken copy makes of it
    assert "due-date statuses: repaired" in seeded("db", "check", "--repair").stdout
    assert "due-date statuses: ok" in seeded.ok("db", "check").stdout
    assert overdue_ids(seeded) == [3, 20]
