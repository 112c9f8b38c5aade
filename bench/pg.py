"""The benchmarks on PostgreSQL: ``bench/run.py --url URL`` (a server you started, e.g. by
``source .ci/postgres.sh`` and ``--url "$CLAIMS_TEST_PG_URL"``).

The URL names a database the role can connect to; the role needs CREATEDB. For each size
the bench (re)creates its own database ``claims_bench_<size>`` on that server, copies the
cached SQLite database into it with ``claims db copy`` (timed: the copy is one of the
figures) and measures the same reads and writes as on SQLite. ``claims_bench_0`` is the
empty database that ``add`` is compared with. Nothing else on the server is touched.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import generate
from common import (
    BENCH_DIR,
    CLAIMS,
    HOT,
    PROCESS_RUNS_FACTOR,
    PYTHON,
    Row,
    Timing,
    compare,
    library_row,
    run_cmd,
    show_timing,
    shown_claim,
    time_in_library,
    timed_with_memory,
    typical_entity,
)
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url


def bench_url(server: str, size: str) -> URL:
    return make_url(server).set(database=f"claims_bench_{size}")


def recreate(server: str, size: str) -> URL:
    """An empty database for ``size`` on the server (dropped first if it is there)."""
    url = bench_url(server, size)
    engine = create_engine(make_url(server), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{url.database}"'))
    finally:
        engine.dispose()
    return url


def filled(server: str, size: str) -> URL | None:
    """The bench database of ``size`` when it is there, at the schema head, with every claim
    (so ``--reuse`` need not copy a million claims again), else None."""
    from claims.database.engine import SCHEMA_HEAD

    url = bench_url(server, size)
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            claims = conn.execute(text("SELECT count(*) FROM claims")).scalar()
    except Exception:  # no such database, or no schema in it
        return None
    finally:
        engine.dispose()
    return url if revision == SCHEMA_HEAD and claims == generate.SIZES[size] else None


def copy_row(size: str, path: Path, server: str, reuse: bool = False) -> tuple[Row, URL]:
    """``claims db copy`` of the cached SQLite database into a new PostgreSQL one."""
    existing = filled(server, size) if reuse else None
    if existing is not None:
        return Row("claims db copy SQLite -> PostgreSQL (process)", size, None, "s wall",
                   note="not measured: --reuse kept the database of an earlier run"), existing
    url = recreate(server, size)
    target = url.render_as_string(hide_password=False)
    timing = run_cmd([CLAIMS, "db", "copy", str(path), target])
    n_claims = generate.SIZES[size]
    return Row("claims db copy SQLite -> PostgreSQL (process)", size, timing.wall, "s wall",
               target="minutes at 1M", ok=None,
               note=f"CPU {timing.cpu:.1f} s in the client; {n_claims / timing.wall:.0f} "
                    "claims/s", extra={"cpu_s": timing.cpu}), url


def plan_of(conn: Any, statement: Any) -> list[str]:
    """PostgreSQL's EXPLAIN lines for a statement (values inlined, as on SQLite)."""
    compiled = statement.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True})
    return [row[0] for row in conn.exec_driver_sql(f"EXPLAIN {compiled}")]


def seq_scans(plan: list[str]) -> list[str]:
    return [line.strip() for line in plan if "Seq Scan on claims " in line + " "]


def pg_library_row(what: str, size: str, wall: float, cpu: float, plan: list[str],
                   note: str) -> Row:
    # The server does the work in another process: the client's CPU time leaves it out, so
    # the target is judged on wall time here (which a loaded machine inflates).
    row = library_row(what, size, wall, cpu, [], note)
    scans = seq_scans(plan)
    row.target = "< 20 ms wall, no seq scan"
    row.ok = wall < 0.020 and not scans
    row.note = row.note.replace("plan uses indexes",
                                "SEQ SCAN: " + "; ".join(scans) if scans else "plan uses indexes")
    row.extra["plan"] = plan
    return row


def list_rows(size: str, path: Path, url: URL) -> list[Row]:
    from claims.database.engine import open_database
    from claims.reads.query import ClaimFilter, count_claims, list_claims

    db = open_database(url)
    rows = []
    try:
        for label, name in (("hot", HOT), ("typical", typical_entity(path))):
            claim_filter = ClaimFilter(entity=name, limit=50)

            def listing(claim_filter: ClaimFilter = claim_filter) -> object:
                with db.connect() as conn:
                    return list_claims(conn, claim_filter)

            wall, cpu = time_in_library(listing)
            with db.connect() as conn:
                plan = plan_of(conn, claim_filter.select_ids(conn))
                matching = count_claims(conn, ClaimFilter(entity=name))
            rows.append(pg_library_row(f"PG list --entity ({label}) --limit 50, library",
                                       size, wall, cpu, plan, f"{name!r} in {matching} claims"))
    finally:
        db.close()
    return rows


def search_row(size: str, url: URL) -> Row:
    from claims.database.engine import open_database
    from claims.reads.query import ClaimFilter
    from claims.search.ranking import search_claims

    db = open_database(url)
    try:
        def searching() -> object:
            with db.connect() as conn:
                return search_claims(conn, generate.SEARCH_WORD, ClaimFilter(limit=50))

        wall, cpu = time_in_library(searching)
        found = len(searching())  # type: ignore[arg-type]
        with db.connect() as conn:
            matching = conn.execute(text(
                "SELECT count(*) FROM claims WHERE search_vector @@ "
                "phraseto_tsquery('claims_search', :w)"), {"w": generate.SEARCH_WORD}).scalar()
    finally:
        db.close()
    return pg_library_row(f"PG search {generate.SEARCH_WORD} --limit 50, library", size, wall,
                          cpu, [], f"{matching} matching claims ranked by ts_rank, "
                                   f"{found} returned")


def process_list_row(size: str, url: URL, runs: int) -> Row:
    target = url.render_as_string(hide_password=False)
    argv = [CLAIMS, "--db", target, "list", "--entity", HOT, "--limit", "50"]
    samples = [run_cmd(argv) for _ in range(runs + 1)][1:]
    cpu = sorted(t.cpu for t in samples)[len(samples) // 2]
    wall = sorted(t.wall for t in samples)[len(samples) // 2]
    return Row(f"PG claims list --entity {HOT} --limit 50 (process)", size, cpu * 1000,
               "ms CPU", note=f"wall {wall * 1000:.0f} ms", extra={"wall_ms": wall * 1000})


def add_row(size: str, url: URL, empty: URL, runs: int) -> Row:
    marks = {str(u): _max_claim_id(u) for u in (url, empty)}
    serial = iter(range(1_000_000))

    def adding(target: URL) -> Callable[[], Timing]:
        rendered = target.render_as_string(hide_password=False)

        def one() -> Timing:
            n = next(serial)
            return run_cmd([CLAIMS, "--db", rendered, "add",
                            f"Bench claim {n}: Putin pledged {n} tonnes of grain to Tehran",
                            "--source", "src-00042", "--about", HOT, "--about", "Russia",
                            "--speaker", "Vladimir Putin", "--tag", "nuclear"])
        return one

    try:
        return compare("PG claims add (process)", size, runs, adding(url), adding(empty), 2.0,
                       "add into an empty database")
    finally:
        for target in (url, empty):
            _remove_claims_after(target, marks[str(target)])


def _max_claim_id(url: URL) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT coalesce(max(id), 0) FROM claims")).scalar_one())
    finally:
        engine.dispose()


def _remove_claims_after(url: URL, mark: int) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE claims SET status_event_id = NULL WHERE id > :m"),
                         {"m": mark})
            for table in ("status_history", "claim_entities", "claim_tags"):
                conn.execute(text(f"DELETE FROM {table} WHERE claim_id > :m"), {"m": mark})
            conn.execute(text("DELETE FROM claims WHERE id > :m"), {"m": mark})
    finally:
        engine.dispose()


def postgres_rows(sizes: list[str], server: str, runs: int, reuse: bool = False) -> list[Row]:
    """Every PostgreSQL figure: the copy, list, search, list process and add, per size."""
    started = time.perf_counter()
    empty_row, empty = copy_row("0", generate.ensure_database("0"), server, reuse)
    rows: list[Row] = []
    for size in sizes:
        path = generate.ensure_database(size)
        row, url = copy_row(size, path, server, reuse)
        rows.append(row)
        rows += list_rows(size, path, url)
        rows.append(search_row(size, url))
        claim_id = shown_claim(size)
        wall, cpu = show_timing(url, claim_id)
        rows.append(pg_library_row(f"PG show {claim_id}, library", size, wall, cpu, [],
                                   "claim, via chain, links, history, reviews, figures"))
        rows.append(process_list_row(size, url, runs * PROCESS_RUNS_FACTOR))
        rows.append(add_row(size, url, empty, runs * PROCESS_RUNS_FACTOR))
    del empty_row
    rows.append(Row("PostgreSQL benchmarks, total", "-", time.perf_counter() - started, "s"))
    return rows


def import_rows(sizes: list[str], server: str, runs: int) -> list[Row]:
    """``claims import`` of the exported JSONL file into a new PostgreSQL database, against
    bench/baseline_import_pg.py's plain COPY of the same rows into the same schema. Judged
    on wall time: the server's share of the work is not in the client's CPU time."""
    rows = []
    peaks: dict[str, float] = {}
    for size in sizes:
        source = generate.ensure_jsonl(size)
        samples: dict[str, list[tuple[Timing, float]]] = {"ours": [], "floor": []}
        for _ in range(runs):
            for side in samples:
                target = recreate(server, "import").render_as_string(hide_password=False)
                argv = ([CLAIMS, "--db", target, "import", str(source)] if side == "ours" else
                        [PYTHON, str(BENCH_DIR / "baseline_import_pg.py"), str(source), target])
                samples[side].append(timed_with_memory(argv))
        wall = {n: sorted(t.wall for t, _ in v)[len(v) // 2] for n, v in samples.items()}
        cpu = {n: sorted(t.cpu for t, _ in v)[len(v) // 2] for n, v in samples.items()}
        peak = max(m for _, m in samples["ours"])
        peaks[size] = peak
        n_claims = generate.SIZES[size]
        share = wall["floor"] / wall["ours"]
        rows.append(Row("PG import JSONL (process), throughput", size, n_claims / wall["ours"],
                        "claims/s", n_claims / wall["floor"], share, ">= 0.5 of plain COPY",
                        share >= 0.5,
                        note=f"wall {wall['ours']:.1f} s vs {wall['floor']:.1f} s, client CPU "
                             f"{cpu['ours']:.1f} s vs {cpu['floor']:.1f} s; peak RSS "
                             f"{peak:.0f} MB (plain COPY "
                             f"{max(m for _, m in samples['floor']):.0f} MB)",
                        extra={"wall_seconds": wall, "cpu_seconds": cpu, "peak_rss_mb": peak}))
    if "1m" in peaks and "100k" in peaks:
        ratio = peaks["1m"] / peaks["100k"]
        rows.append(Row("PG import peak memory, 1M vs 100k", "1m", peaks["1m"], "MB",
                        peaks["100k"], ratio, "<= 1.2x", ratio <= 1.2))
    return rows
