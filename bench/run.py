"""Every benchmark of issue 5 in one command: a table on stdout, optionally JSON.

    python bench/run.py [--sizes 10k,100k,1m] [--runs N] [--json out.json]

Each figure is the median of ``--runs`` runs; cheaper ones take more (in-library timings
30, --help and completion 4x, list and add processes 2x), imports a third. Each comparison
runs its two sides alternately in the same run and is reported as a ratio, which is what
survives a busy machine. Targets refer to the largest size given.
Databases are generated once and cached under bench/out/ (see generate.py).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # sibling scripts, not a package
import pg
import quick
from common import (
    BENCH_DIR,
    BIN,
    CLAIMS,
    HOT,
    PROCESS_RUNS_FACTOR,
    PYTHON,
    Row,
    Timing,
    alternate,
    compare,
    compile_claims,
    library_row,
    machine,
    max_claim_id,
    ratio_row,
    remove_claims_after,
    run_cmd,
    show_timing,
    shown_claim,
    table,
    time_in_library,
    timed_with_memory,
    typical_entity,
)

STARTUP_RUNS_FACTOR = 4  # --help and completion: runs per figure = --runs x this


# --- start-up: --help and completion ------------------------------------------------------

IMPORT_PROBE = """
import sys
from claims.cli import main
try:
    main()
except SystemExit:
    pass
heavy = sorted(m for m in ('sqlalchemy', 'alembic') if m in sys.modules)
sys.stderr.write('HEAVY=' + ','.join(heavy))
"""


def heavy_imports(argv: Sequence[str], env: dict[str, str] | None = None) -> str:
    """Which of SQLAlchemy/Alembic a ``claims`` invocation imported ('' when neither)."""
    done = subprocess.run([PYTHON, "-c", IMPORT_PROBE, *argv], capture_output=True,
                          env={**os.environ, **(env or {})}, check=False)
    return done.stderr.decode().rpartition("HEAVY=")[2].strip()


def startup_rows(runs: int) -> list[Row]:
    bare = [PYTHON, str(BENCH_DIR / "bare_typer.py")]
    help_row = compare("claims --help (process)", "-", runs,
                       lambda: run_cmd([CLAIMS, "--help"]), lambda: run_cmd([*bare, "--help"]),
                       1.3, "bare Typer app")
    complete = {"_CLAIMS_COMPLETE": "complete_bash", "COMP_WORDS": "claims li", "COMP_CWORD": "1"}
    bare_complete = {"_BARE_COMPLETE": "complete_bash", "COMP_WORDS": "bare --",
                     "COMP_CWORD": "1"}
    complete_row = compare("shell completion (process)", "-", runs,
                           lambda: run_cmd([CLAIMS], complete),
                           lambda: run_cmd(bare, bare_complete), 1.3, "bare Typer app")
    for row, argv, env in ((help_row, ["--help"], None), (complete_row, [], complete)):
        heavy = heavy_imports(argv, env)
        row.extra["heavy_imports"] = heavy
        row.note += f"; imports {heavy}" if heavy else "; no SQLAlchemy/Alembic"
        row.ok = bool(row.ok) and not heavy
    return [help_row, complete_row]


# --- list --entity X ------------------------------------------------------------------------


def query_plan(conn: Any, statement: Any) -> list[str]:
    """SQLite's EXPLAIN QUERY PLAN lines for an SQLAlchemy statement (on a Core connection)."""
    # Values written into the SQL: expanding IN lists have no plain placeholder to bind.
    compiled = statement.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True})
    raw = conn.connection.driver_connection
    return [row[3] for row in raw.execute(f"EXPLAIN QUERY PLAN {compiled}")]


def library_list_rows(size: str, path: Path) -> list[Row]:
    from claims.database.engine import open_database
    from claims.reads.query import ClaimFilter, count_claims, list_claims

    db = open_database(path)
    rows = []
    try:
        for label, name in (("hot", HOT), ("typical", typical_entity(path))):
            claim_filter = ClaimFilter(entity=name, limit=50)

            # Through a Core connection, as ``claims list`` reads.
            def listing(claim_filter: ClaimFilter = claim_filter) -> object:
                with db.connect() as conn:
                    return list_claims(conn, claim_filter)

            wall, cpu = time_in_library(listing)
            with db.connect() as conn:
                plan = query_plan(conn, claim_filter.select_ids(conn))
                matching = count_claims(conn, ClaimFilter(entity=name))
            rows.append(library_row(f"list --entity ({label}) --limit 50, library", size,
                                    wall, cpu, plan, f"{name!r} in {matching} claims"))
    finally:
        db.close()
    return rows


def show_row(size: str, path: Path) -> Row:
    claim_id = shown_claim(size)
    wall, cpu = show_timing(path, claim_id)
    return library_row(f"show {claim_id}, library", size, wall, cpu, [],
                       "claim, via chain, links, history, reviews, figures")


def process_list_rows(size: str, path: Path, runs: int) -> list[Row]:
    ours = [CLAIMS, "--db", str(path), "list", "--entity", HOT, "--limit", "50"]
    floor = [PYTHON, str(BENCH_DIR / "floor_list.py"), "--db", str(path), "--entity", HOT,
             "--limit", "50"]
    where = ("id IN (SELECT claim_id FROM claim_entities WHERE entity_id = :e "
             "UNION SELECT id FROM claims WHERE speaker_id = :e)")
    with sqlite3.connect(path) as conn:
        entity_id = conn.execute("SELECT id FROM entities WHERE name = ?", (HOT,)).fetchone()[0]
    utils = [str(BIN / "sqlite-utils"), "rows", str(path), "claims", "--where", where,
             "-p", "e", str(entity_id), "--order", "id", "--limit", "50", "--tsv"]
    medians = alternate(runs, {"ours": lambda: run_cmd(ours), "floor": lambda: run_cmd(floor),
                               "utils": lambda: run_cmd(utils)})
    row = ratio_row(f"claims list --entity {HOT} --limit 50 (process)", size, medians["ours"],
                    medians["floor"], 1.3, "Typer+Core script")
    utils_ratio = medians["ours"].cpu / medians["utils"].cpu
    row.note += (f"; sqlite-utils rows {medians['utils'].cpu * 1000:.0f} ms CPU, "
                 f"ours {utils_ratio:.2f}x that")
    row.extra.update(sqlite_utils_cpu_ms=medians["utils"].cpu * 1000,
                     sqlite_utils_wall_ms=medians["utils"].wall * 1000,
                     ratio_to_sqlite_utils=utils_ratio)
    return [row]


# --- claims add -----------------------------------------------------------------------------


def add_row(size: str, path: Path, empty: Path, runs: int) -> Row:
    marks = {p: max_claim_id(p) for p in (path, empty)}

    serial = iter(range(1_000_000))

    def adding(target: Path) -> Callable[[], Timing]:
        # A new text every time: the same text twice is refused as a duplicate.
        def one() -> Timing:
            n = next(serial)
            return run_cmd([CLAIMS, "--db", str(target), "add",
                            f"Bench claim {n}: Putin pledged {n} tonnes of grain to Tehran",
                            "--source", "src-00042", "--about", HOT, "--about", "Russia",
                            "--speaker", "Vladimir Putin", "--tag", "nuclear"])
        return one

    try:
        row = compare("claims add (process)", size, runs, adding(path), adding(empty), 2.0,
                      "add into an empty database")
    finally:
        for target, mark in marks.items():
            remove_claims_after(target, mark)
    return row


# --- the table ------------------------------------------------------------------------------


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k,1m",
                        help="comma-separated sizes among " + ", ".join(generate.SIZES))
    parser.add_argument("--runs", type=int, default=7, help="runs per figure (median)")
    parser.add_argument("--import-sizes", default="10k",
                        help="sizes for the import benchmark (slow: importing 1M claims "
                             "takes about 10 CPU-minutes, the baseline about 6)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--url", help="a PostgreSQL URL (e.g. $CLAIMS_TEST_PG_URL after "
                        "'source .ci/postgres.sh'; the role needs CREATEDB): also run the "
                        "benchmarks there, in databases claims_bench_<size> it creates "
                        "(see bench/pg.py)")
    parser.add_argument("--reuse", action="store_true",
                        help="PostgreSQL: keep a claims_bench_<size> database that an earlier "
                        "run filled (at the schema head, every claim) instead of copying again")
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default=None,
                        help="which engines to measure (default: sqlite, or both with --url)")
    args = parser.parse_args(argv)
    args.engine = args.engine or ("both" if args.url else "sqlite")
    if args.engine != "sqlite" and not args.url:
        parser.error("--engine postgresql needs --url")
    args.sizes = [s.strip().lower() for s in args.sizes.split(",") if s.strip()]
    args.import_sizes = [s.strip().lower() for s in args.import_sizes.split(",") if s.strip()]
    unknown = [s for s in [*args.sizes, *args.import_sizes] if s not in generate.SIZES]
    if unknown:
        parser.error(f"unknown size(s) {unknown}; choose among {list(generate.SIZES)}")
    return args


def main(argv: Sequence[str]) -> None:
    args = parse_args(argv)
    if not shutil.which("sqlite-utils", path=str(BIN)):
        sys.exit("install the bench tools first: .venv/bin/pip install -e '.[bench]'")
    started = time.perf_counter()
    info = machine()
    compile_claims()  # the timed processes import compiled claims, as after pip install
    empty = generate.ensure_database("0")
    # Short processes get more runs than --runs: a shared machine moves a half-second
    # process by a third from one run to the next, and more runs cost little.
    rows: list[Row] = []
    if args.engine != "postgresql":
        rows += startup_rows(args.runs * STARTUP_RUNS_FACTOR)
        for size in args.sizes:
            path = generate.ensure_database(size)
            rows += library_list_rows(size, path)
            rows += search_rows(size, path)
            rows.append(show_row(size, path))
            rows += process_list_rows(size, path, args.runs * PROCESS_RUNS_FACTOR)
            rows.append(add_row(size, path, empty, args.runs * PROCESS_RUNS_FACTOR))
        biggest = args.sizes[-1]
        rows += quick.quick_rows(biggest, generate.ensure_database(biggest),
                           args.runs * PROCESS_RUNS_FACTOR)
        rows += import_rows(args.import_sizes, max(1, args.runs // 3))
    if args.url:
        rows += pg.postgres_rows(args.sizes, args.url, args.runs, args.reuse)
        if args.engine != "sqlite":
            rows += pg.import_rows(args.import_sizes, args.url, max(1, args.runs // 3))
    info["load_avg_after"] = [round(x, 2) for x in os.getloadavg()]
    info["seconds"] = round(time.perf_counter() - started, 1)
    print(table(rows))
    print(f"\nmachine: {info}")
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "runs": args.runs,
                                         "rows": [asdict(r) for r in rows]},
                                        ensure_ascii=False, indent=2))


def search_rows(size: str, path: Path) -> list[Row]:
    try:
        from claims.search.ranking import search_claims
    except ImportError:
        return [Row("search WORD --limit 50, library", size, None, "ms",
                    target="< 20 ms, no full scan", note="claims.search.ranking not available")]
    from sqlalchemy import event

    from claims.database.engine import open_database
    from claims.reads.query import ClaimFilter

    db = open_database(path)
    statements: list[tuple[str, Any]] = []

    def remember(_conn: Any, _cursor: Any, sql: str, params: Any, *_: Any) -> None:
        statements.append((sql, params))

    try:
        def searching() -> object:  # through a Core connection, as ``claims search`` reads
            with db.connect() as conn:
                return search_claims(conn, generate.SEARCH_WORD, ClaimFilter(limit=50))

        wall, cpu = time_in_library(searching)
        event.listen(db.engine, "before_cursor_execute", remember)
        found = len(searching())  # type: ignore[arg-type]
        event.remove(db.engine, "before_cursor_execute", remember)
        ranked = next((sql, params) for sql, params in statements if "MATCH" in sql.upper())
        with db.engine.connect() as conn:
            raw = conn.connection.driver_connection
            plan = [r[3] for r in raw.execute(f"EXPLAIN QUERY PLAN {ranked[0]}", ranked[1])]
            matching = raw.execute("SELECT count(*) FROM claims_fts WHERE claims_fts MATCH ?",
                                   (generate.SEARCH_WORD,)).fetchone()[0]
    finally:
        db.close()
    return [library_row(f"search {generate.SEARCH_WORD} --limit 50, library", size, wall, cpu,
                        plan, f"{matching} matching claims ranked by bm25, {found} returned")]


def import_rows(sizes: Sequence[str], runs: int) -> list[Row]:
    """``claims import`` of an exported JSONL file vs plain executemany, both into a new
    database with every index and the FTS triggers; throughput and peak memory."""
    if not (BIN / "claims").exists() or not _has_import():
        return [Row("import JSONL (process)", size, None, "claims/s",
                    target=">= 50% of executemany", note="claims import not available")
                for size in sizes]
    rows = []
    peaks: dict[str, float] = {}
    for size in sizes:
        source = generate.ensure_jsonl(size)
        n_claims = generate.SIZES[size]
        work = generate.OUT_DIR / "import-target.db"
        sides = {"ours": [CLAIMS, "--db", str(work), "import", str(source)],
                 "floor": [PYTHON, str(BENCH_DIR / "baseline_import.py"), str(source),
                           str(work)]}
        samples: dict[str, list[tuple[Timing, float]]] = {"ours": [], "floor": []}
        for _ in range(runs):
            for name, argv in sides.items():
                _remove_database(work)
                samples[name].append(timed_with_memory(argv))
        _remove_database(work)
        seconds = {n: statistics.median(t.cpu for t, _ in v) for n, v in samples.items()}
        walls = {n: statistics.median(t.wall for t, _ in v) for n, v in samples.items()}
        peak = max(m for _, m in samples["ours"])
        peaks[size] = peak
        share = seconds["floor"] / seconds["ours"]
        rows.append(Row("import JSONL (process), throughput", size, n_claims / seconds["ours"],
                        "claims/CPU-s", n_claims / seconds["floor"], share,
                        ">= 0.5 of executemany", share >= 0.5,
                        note=f"CPU {seconds['ours']:.1f} s vs {seconds['floor']:.1f} s, wall "
                             f"{walls['ours']:.1f} s vs {walls['floor']:.1f} s; "
                             f"peak RSS {peak:.0f} MB (executemany "
                             f"{max(m for _, m in samples['floor']):.0f} MB)",
                        extra={"cpu_seconds": seconds, "wall_seconds": walls,
                               "peak_rss_mb": peak}))
    if "1m" in peaks and "100k" in peaks:
        ratio = peaks["1m"] / peaks["100k"]
        rows.append(Row("import peak memory, 1M vs 100k", "1m", peaks["1m"], "MB",
                        peaks["100k"], ratio, "<= 1.2x", ratio <= 1.2))
    return rows


def _has_import() -> bool:
    import importlib.util

    return importlib.util.find_spec("claims.io.api") is not None


def _remove_database(path: Path) -> None:
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)


if __name__ == "__main__":
    main(sys.argv[1:])
