"""Several writers at once against one database: nothing lost, nothing "database is locked".

Writers are real processes (multiprocessing's 'spawn' context, and ``claims`` CLI
subprocesses), because threads in one interpreter would share a connection pool and the
GIL and prove much less. The work is bounded so each test runs in seconds.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import subprocess
import sys
import traceback
from collections.abc import Callable, Sequence
from multiprocessing.synchronize import Barrier
from typing import Any

from sqlalchemy import func, select, text

import claims
from claims.schema.models import Claim, Link, StatusEvent
from claims.writes import store
from claims.writes.entities import add_entity

WRITERS = 8
CLAIMS_PER_WRITER = 250
CLI_WRITERS = 3
CLI_ADDS = 3  # claims each CLI writer adds, then changes the status of, then links
SOURCE = "wire-1"
PROCESS_TIMEOUT_S = 180

SPAWN = multiprocessing.get_context("spawn")


# --- running functions in processes ---------------------------------------------------------


def _child(target: Callable[..., Any], args: tuple[Any, ...], index: int, results: Any) -> None:
    try:
        results.put((index, "ok", target(*args)))
    except BaseException:
        results.put((index, "error", traceback.format_exc()))


def run_processes(target: Callable[..., Any], args: Sequence[tuple[Any, ...]]) -> list[Any]:
    """Run ``target(*a)`` for each ``a`` in its own spawned process, all at once; return the
    results in order, or fail the test with every child's traceback."""
    results = SPAWN.Queue()
    procs = [SPAWN.Process(target=_child, args=(target, a, i, results)) for i, a in enumerate(args)]
    for proc in procs:
        proc.start()
    collected: dict[int, tuple[str, Any]] = {}
    try:
        for _ in procs:
            index, outcome, value = results.get(timeout=PROCESS_TIMEOUT_S)
            collected[index] = (outcome, value)
    finally:
        for proc in procs:
            proc.join(timeout=10)
            if proc.is_alive():
                proc.kill()
    errors = [value for outcome, value in collected.values() if outcome == "error"]
    assert not errors, "\n".join(errors)
    return [collected[i][1] for i in range(len(procs))]


def claims_cli(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """The installed command line, in its own process, as a user would run it."""
    return subprocess.run(
        [sys.executable, "-m", "claims", *args],
        env={**os.environ, "CLAIMS_DB": url}, capture_output=True, text=True,
        timeout=PROCESS_TIMEOUT_S,
    )


# --- the work each process does ---------------------------------------------------------------


def add_claims(url: str, writer: int, count: int, barrier: Barrier) -> int:
    """One library writer: ``count`` claims, one transaction each."""
    db = claims.open_database(url, context=claims.Context(actor=f"writer {writer}"))
    barrier.wait()
    try:
        for i in range(count):
            with db.write() as session:
                store.add_claim(session, f"writer {writer} says {i}", source=SOURCE,
                                about=["Iran"], tags=[f"w{writer}"],
                                external_id=f"w{writer}-{i}")
    finally:
        db.close()
    return count


def cli_writer(url: str, writer: int, barrier: Barrier) -> dict[str, int]:
    """One user at the shell: adds claims, changes their status, links them."""
    barrier.wait()
    ids = []
    for i in range(CLI_ADDS):
        done = claims_cli(url, "add", f"cli {writer} claim {i}", "--source", SOURCE,
                          "--about", "Iran", "--speaker", f"Spokesperson {writer}", "--new")
        assert done.returncode == 0, done.stderr
        ids.append(done.stdout.strip())
    for claim_id in ids:
        done = claims_cli(url, "status", claim_id, "false", "--note", f"checked by {writer}")
        assert done.returncode == 0, done.stderr
    for first, second in itertools.pairwise(ids):
        done = claims_cli(url, "link", second, "contradicts", first)
        assert done.returncode == 0, done.stderr
    return {"claims": len(ids), "status_changes": len(ids), "links": len(ids) - 1}


def change_status_many(url: str, claim_id: int, user: int, times: int, barrier: Barrier) -> int:
    """One user flipping a claim's status over and over, racing the others."""
    db = claims.open_database(url)
    barrier.wait()
    try:
        for i in range(times):
            with db.write() as session:
                status = ("mostly-false", "false", "true")[(user + i) % 3]
                store.set_status(session, claim_id, status, note=f"user {user} change {i}")
    finally:
        db.close()
    return times


def open_new_database(url: str, barrier: Barrier) -> str | None:
    barrier.wait()
    db = claims.open_database(url)
    try:
        from claims.database.engine import current_revision

        return current_revision(db.engine)
    finally:
        db.close()


# --- helpers -------------------------------------------------------------------------------------


def prepare(url: str) -> None:
    db = claims.open_database(url)
    with db.write() as session:
        store.add_source(session, SOURCE, title="Wire copy", outlet="Wire")
        add_entity(session, "Iran", kind="country")
    db.close()


def assert_history_chains(session: Any) -> None:
    """Every claim's history starts from nothing, each row's ``from`` is the previous row's
    ``to``, and the claim's current status is its last row."""
    rows = session.execute(
        select(StatusEvent.claim_id, StatusEvent.id, StatusEvent.from_status, StatusEvent.to_status)
        .order_by(StatusEvent.claim_id, StatusEvent.id)
    ).all()
    last: dict[int, tuple[int, str]] = {}
    for claim_id, event_id, from_status, to_status in rows:
        expected_from = last[claim_id][1] if claim_id in last else None
        assert from_status == expected_from, f"claim {claim_id}, history row {event_id}"
        last[claim_id] = (event_id, to_status)
    current = dict(session.execute(select(Claim.id, Claim.status_event_id)).all())
    assert current == {claim_id: event_id for claim_id, (event_id, _) in last.items()}


def assert_intact(url: str) -> None:
    db = claims.open_database(url)
    try:
        if db.dialect == "sqlite":
            with db.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
                assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
    finally:
        db.close()


# --- tests ---------------------------------------------------------------------------------


def test_eight_library_writers_and_cli_users_lose_nothing(db_url: str) -> None:
    prepare(db_url)
    barrier = SPAWN.Barrier(WRITERS + CLI_WRITERS)
    jobs: list[tuple[Any, ...]] = [(db_url, w, CLAIMS_PER_WRITER, barrier) for w in range(WRITERS)]
    cli_jobs: list[tuple[Any, ...]] = [(db_url, w, barrier) for w in range(CLI_WRITERS)]

    # One pool of processes for both kinds of writer, so they really overlap.
    results = run_processes(_dispatch, [(add_claims, j) for j in jobs]
                            + [(cli_writer, j) for j in cli_jobs])

    library_added = sum(results[:WRITERS])
    cli_done = results[WRITERS:]
    assert library_added == WRITERS * CLAIMS_PER_WRITER == 2000
    cli_claims = sum(r["claims"] for r in cli_done)
    db = claims.open_database(db_url)
    try:
        with db.read() as session:
            by_external_id = session.scalar(
                select(func.count()).where(Claim.external_id.is_not(None)))
            assert by_external_id == 2000
            assert session.scalar(select(func.count()).select_from(Claim)) == 2000 + cli_claims
            history = session.scalar(select(func.count()).select_from(StatusEvent))
            assert history == 2000 + cli_claims + sum(r["status_changes"] for r in cli_done)
            assert session.scalar(select(func.count()).select_from(Link)) == sum(
                r["links"] for r in cli_done)
            per_writer = dict(session.execute(text(
                "SELECT tag, count(*) FROM claim_tags GROUP BY tag")).all())
            assert per_writer == {f"w{w}": CLAIMS_PER_WRITER for w in range(WRITERS)}
            assert_history_chains(session)
            assert_change_sets_whole(session)
    finally:
        db.close()
    assert_intact(db_url)


# What one add_claim writes, as the audit log records it.
ADD_CHANGES = {("claims", "insert"): 1, ("claims", "update"): 1,
               ("status_history", "insert"): 1, ("claim_entities", "insert"): 1,
               ("claim_tags", "insert"): 1}


def assert_change_sets_whole(session: Any) -> None:
    """Each library writer's claims are one change set each, holding exactly the rows of
    that one claim: none lost, none split, none mixed with another writer's."""
    from claims.schema.tables import change_sets, changes

    assert session.scalar(select(func.count()).select_from(changes)
                          .where(changes.c.change_set_id.is_(None))) == 0
    rows = session.execute(
        select(change_sets.c.id, change_sets.c.actor, changes.c.kind, changes.c.op,
               changes.c.claim_id, Claim.external_id)
        .join(changes, changes.c.change_set_id == change_sets.c.id)
        .outerjoin(Claim, Claim.id == changes.c.claim_id)
        .where(change_sets.c.actor.like("writer %"))).all()
    sets: dict[int, list[Any]] = {}
    for row in rows:
        sets.setdefault(row.id, []).append(row)
    per_actor: dict[str, int] = {}
    for members in sets.values():
        actor = members[0].actor
        per_actor[actor] = per_actor.get(actor, 0) + 1
        counts: dict[tuple[str, str], int] = {}
        for m in members:
            counts[(m.kind, m.op)] = counts.get((m.kind, m.op), 0) + 1
        assert counts == ADD_CHANGES
        assert len({m.claim_id for m in members}) == 1
        writer = actor.split()[1]
        assert all(m.external_id.startswith(f"w{writer}-") for m in members)
    assert per_actor == {f"writer {w}": CLAIMS_PER_WRITER for w in range(WRITERS)}


def test_two_concurrent_undos_of_one_change_set_one_wins(db_url: str) -> None:
    prepare(db_url)
    db = claims.open_database(db_url)
    with db.write() as session:
        claim_id = store.add_claim(session, "Undone twice", source=SOURCE).claim.id
    with db.write() as session:
        store.set_status(session, claim_id, "false")
    with db.read() as session:
        target = session.scalar(text("SELECT max(id) FROM change_sets"))
    db.close()
    env = {**os.environ, "CLAIMS_DB": db_url}
    procs = [subprocess.Popen([sys.executable, "-m", "claims", "undo", str(target)], env=env,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outcomes = sorted((p.wait(timeout=PROCESS_TIMEOUT_S), p.stderr.read()) for p in procs
                      if p.stderr is not None)
    assert [code for code, _ in outcomes] == [0, 1]
    loser = outcomes[1][1].strip().splitlines()
    assert len(loser) == 1 and f"change set {target} was already undone" in loser[0]
    db = claims.open_database(db_url)
    try:
        with db.read() as session:
            assert_history_chains(session)
            statuses = list(session.scalars(
                select(StatusEvent.to_status).where(StatusEvent.claim_id == claim_id)
                .order_by(StatusEvent.id)))
    finally:
        db.close()
    assert statuses == ["unverified", "false", "unverified"]


def _dispatch(target: Callable[..., Any], args: tuple[Any, ...]) -> Any:
    return target(*args)


def test_simultaneous_status_changes_all_land_in_order(db_url: str) -> None:
    prepare(db_url)
    db = claims.open_database(db_url)
    with db.write() as session:
        claim_id = store.add_claim(session, "Contested", source=SOURCE).claim.id
    db.close()
    users, times = 4, 25
    barrier = SPAWN.Barrier(users)

    run_processes(change_status_many, [(db_url, claim_id, u, times, barrier) for u in range(users)])

    db = claims.open_database(db_url)
    try:
        with db.read() as session:
            assert_history_chains(session)
            notes = list(session.scalars(
                select(StatusEvent.note).where(StatusEvent.claim_id == claim_id)
                .order_by(StatusEvent.id)))
    finally:
        db.close()
    assert len(notes) == 1 + users * times
    for user in range(users):
        mine = [n for n in notes if n and n.startswith(f"user {user} ")]
        # Each user's changes are all there, in the order that user made them.
        assert mine == [f"user {user} change {i}" for i in range(times)]


def test_concurrent_first_open_of_a_new_database_migrates_once(db_url: str) -> None:
    from claims.database.engine import SCHEMA_HEAD

    openers = 6
    barrier = SPAWN.Barrier(openers)

    revisions = run_processes(open_new_database, [(db_url, barrier)] * openers)

    assert revisions == [SCHEMA_HEAD] * openers
    db = claims.open_database(db_url)
    try:
        with db.read() as session:
            stamps = session.execute(text("SELECT version_num FROM alembic_version")).all()
    finally:
        db.close()
    assert [tuple(s) for s in stamps] == [(SCHEMA_HEAD,)]
    assert_intact(db_url)


def test_cli_status_changes_racing_each_other(db_url: str) -> None:
    """Two people at their shells change one claim's status at the same moment."""
    prepare(db_url)
    db = claims.open_database(db_url)
    with db.write() as session:
        claim_id = store.add_claim(session, "Disputed", source=SOURCE).claim.id
    db.close()
    env = {**os.environ, "CLAIMS_DB": db_url}
    procs = [
        subprocess.Popen([sys.executable, "-m", "claims", "status", str(claim_id), status,
                          "--note", f"user {u}"], env=env, stderr=subprocess.PIPE, text=True)
        for u, status in enumerate(("true", "false"))
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=PROCESS_TIMEOUT_S)
        assert proc.returncode == 0, err
    db = claims.open_database(db_url)
    try:
        with db.read() as session:
            assert_history_chains(session)
            notes = set(session.scalars(
                select(StatusEvent.note).where(StatusEvent.claim_id == claim_id)))
    finally:
        db.close()
    assert notes == {None, "user 0", "user 1"}
