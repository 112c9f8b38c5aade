"""What the benchmark scripts share: timing a process or a library call, the results row and
its table, the cached database's fixtures, and writing a results file for the docs.

Every bench script imports this module (and generate.py); this module imports no bench
script but generate.py, so no two bench scripts import each other back.
"""

from __future__ import annotations

import compileall
import json
import os
import platform
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import generate  # a sibling script (bench/ is on sys.path whenever this one is)

BENCH_DIR = Path(__file__).resolve().parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
CLAIMS = str(BIN / "claims")
RESULTS_DIR = BENCH_DIR / "results"
LIB_REPEATS = 30
PROCESS_RUNS_FACTOR = 2  # list and add processes: runs per figure = --runs x this
HOT = generate.HOT_ENTITY


@dataclass
class Row:
    """One line of the results table."""

    what: str
    size: str
    value: float | None
    unit: str
    baseline: float | None = None
    ratio: float | None = None
    target: str = ""
    ok: bool | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


# --- timing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    """One process: wall seconds, and CPU seconds (user + system) it used. The machine
    this was written on is shared, so ratios are judged on CPU time, which waiting for a
    core does not inflate; wall-clock ratios are shown beside them."""

    wall: float
    cpu: float


def run_cmd(argv: Sequence[str], env: dict[str, str] | None = None) -> Timing:
    """Time one process; fails loudly if the command fails."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, env={**os.environ, **(env or {})},
                          check=False)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed: {done.stderr.decode()[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(elapsed, cpu)


def alternate(runs: int, sides: dict[str, Callable[[], Timing]]) -> dict[str, Timing]:
    """Median timings of each side, run in turn so that load hits them alike."""
    for side in sides.values():
        side()  # warm the page cache and .pyc files before anything counts
    samples: dict[str, list[Timing]] = {name: [] for name in sides}
    for _ in range(runs):
        for name, side in sides.items():
            samples[name].append(side())
    return {name: Timing(statistics.median(t.wall for t in values),
                         statistics.median(t.cpu for t in values))
            for name, values in samples.items()}


def compare(what: str, size: str, runs: int, ours: Callable[[], Timing],
            floor: Callable[[], Timing], limit: float, floor_name: str) -> Row:
    medians = alternate(runs, {"ours": ours, "floor": floor})
    row = ratio_row(what, size, medians["ours"], medians["floor"], limit, floor_name)
    row.extra["runs"] = runs
    return row


def ratio_row(what: str, size: str, ours: Timing, floor: Timing, limit: float,
              floor_name: str) -> Row:
    ratio = ours.cpu / floor.cpu
    wall_ratio = ours.wall / floor.wall
    return Row(what, size, ours.cpu * 1000, "ms CPU", floor.cpu * 1000, ratio,
               f"<= {limit}x {floor_name}", ratio <= limit,
               note=f"wall {ours.wall * 1000:.0f} vs {floor.wall * 1000:.0f} ms "
                    f"({wall_ratio:.2f}x)",
               extra={"wall_ms": ours.wall * 1000, "floor_wall_ms": floor.wall * 1000,
                      "wall_ratio": wall_ratio})


def time_in_library(action: Callable[[], object],
                    repeats: int = LIB_REPEATS) -> tuple[float, float]:
    """Median wall and CPU seconds of an in-process call. On a loaded machine the wall
    time includes waiting for a core; the CPU time is the work itself."""
    action()
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def timed_with_memory(argv: Sequence[str]) -> tuple[Timing, float]:
    """Timing and peak resident memory (MB) of one process, via /usr/bin/time."""
    started = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-f", "MAXRSS_KB=%M CPU=%U+%S", *argv],
                          capture_output=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed: {done.stderr.decode()[-500:]}")
    report = done.stderr.decode().rpartition("MAXRSS_KB=")[2].split()
    user, system = report[1].removeprefix("CPU=").split("+")
    return Timing(elapsed, float(user) + float(system)), int(report[0]) / 1024


def import_ms(argv_of: Callable[[], Sequence[str]], runs: int = 5) -> float:
    """Median milliseconds a process spends importing, by ``python -X importtime``: the sum
    of the top-level imports' cumulative times, lazy ones made while the command ran too.
    ``argv_of()`` gives each run's command (a write needs a new one every time), starting
    with a Python script (a console script such as .venv/bin/claims), or this Python."""
    totals = []
    for _ in range(runs):
        argv = list(argv_of())
        if argv[0] == PYTHON:
            argv = argv[1:]
        done = subprocess.run([PYTHON, "-X", "importtime", *argv], capture_output=True,
                              check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} failed: {done.stderr.decode()[-500:]}")
        microseconds = 0
        for line in done.stderr.decode(errors="replace").splitlines():
            # "import time: self [us] | cumulative | name", nested imports indented.
            if line.startswith("import time:") and "|" in line:
                _self, cumulative, name = line.removeprefix("import time:").split("|", 2)
                if cumulative.strip().isdigit() and not name.startswith("  "):
                    microseconds += int(cumulative)
        totals.append(microseconds / 1000)
    return statistics.median(totals)


# --- the library's side ----------------------------------------------------------------------


def full_scans(plan: Sequence[str]) -> list[str]:
    """Plan lines that read a whole table (a SCAN without an index). ``SCAN anon_1`` reads
    the rows a subquery gave (SQLAlchemy names subqueries anon_N), not a table."""
    return [line for line in plan
            if line.startswith("SCAN") and "INDEX" not in line and "SUBQUERY" not in line
            and "CONSTANT ROW" not in line and not line.startswith("SCAN anon_")]


def library_row(what: str, size: str, wall: float, cpu: float, plan: list[str],
                note: str) -> Row:
    """Judged on CPU time (see time_in_library); the wall time is shown beside it."""
    scans = full_scans(plan)
    return Row(what, size, cpu * 1000, "ms CPU", target="< 20 ms, no full scan",
               ok=cpu < 0.020 and not scans,
               note=f"wall {wall * 1000:.1f} ms; {note}; "
                    + ("FULL SCAN: " + "; ".join(scans) if scans else "plan uses indexes"),
               extra={"wall_ms": wall * 1000, "plan": plan})


def show_timing(target: Any, claim_id: int) -> tuple[float, float]:
    """``claims show ID`` in the library, as the command reads it: the claim with its via
    chain, links and history, its reviews and its figures, in one ORM session."""
    from claims.database.engine import open_database
    from claims.figures.measures import claim_details
    from claims.reads.query import show_claim
    from claims.reviews.reads import claim_reviews

    db = open_database(target)
    try:
        def showing() -> object:
            with db.read() as session:
                record = show_claim(session, claim_id)
                record["reviews"] = claim_reviews(session, claim_id)
                record.update(claim_details(session, claim_id))
                return record

        return time_in_library(showing)
    finally:
        db.close()


def compile_claims() -> None:
    """Bytecode for the claims package that the timed processes import, as pip writes it."""
    import claims

    package = Path(claims.__file__).resolve().parent
    if not compileall.compile_dir(str(package), quiet=1):
        raise RuntimeError(f"could not compile {package}")


# --- the cached SQLite database ----------------------------------------------------------------


def typical_entity(path: Path) -> str:
    """A middling entity: the one at TYPICAL_RANK by number of claims about it."""
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT e.name FROM claim_entities ce JOIN entities e ON e.id = ce.entity_id "
            "GROUP BY e.id ORDER BY count(*) DESC, e.id LIMIT 1 OFFSET ?",
            (generate.TYPICAL_RANK,)).fetchone()[0]


def shown_claim(size: str) -> int:
    """The claim the show benchmark reads: one from the middle of the database."""
    return max(1, generate.SIZES[size] // 2)


def max_claim_id(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT coalesce(max(id), 0) FROM claims").fetchone()[0]


def remove_claims_after(path: Path, mark: int) -> None:
    """Put a cached database back as it was: drop the claims the benchmark added."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE claims SET status_event_id = NULL WHERE id > ?", (mark,))
        for table_name in ("status_history", "claim_entities", "claim_tags"):
            conn.execute(f"DELETE FROM {table_name} WHERE claim_id > ?", (mark,))
        conn.execute("DELETE FROM claims WHERE id > ?", (mark,))
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


# --- reporting ----------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    with open("/proc/meminfo") as meminfo:
        total_kb = int(meminfo.readline().split()[1])
    return {"nproc": os.cpu_count(), "ram_gb": round(total_kb / 1024 / 1024, 1),
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "load_avg": [round(x, 2) for x in os.getloadavg()], "platform": platform.platform()}


def machine_line() -> str:
    """The machine as bench/results/*.json describe it (docs/_ext/bench_tables.py)."""
    info = machine()
    return (f"{info['nproc']} cores, {info['ram_gb']} GB RAM, {platform.system()} "
            f"{'.'.join(platform.release().split('.')[:2])} {platform.machine()}, "
            f"Python {info['python']}, SQLite {info['sqlite']}")


def write_results(name: str, benchmark: str, columns: Sequence[str],
                  rows: Sequence[dict[str, Any]], **more: Any) -> Path:
    """bench/results/NAME.json, the file the docs render as a table: ``rows`` keyed by
    ``columns`` exactly (the docs build refuses anything else); ``more`` goes beside them
    (e.g. the raw figures), which the table leaves out."""
    for row in rows:
        if set(row) != set(columns):
            raise ValueError(f"row {row} does not have exactly the columns {list(columns)}")
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    results = {"benchmark": benchmark, "measured_on": date.today().isoformat(),
               "machine": machine_line(), "columns": list(columns), "rows": list(rows), **more}
    path.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def table(rows: Sequence[Row]) -> str:
    lines = ["| measurement | size | value | baseline | ratio | target | ok | note |",
             "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        ok = "n/a" if r.ok is None else ("yes" if r.ok else "NO")
        value = "not available" if r.value is None else f"{fmt(r.value)} {r.unit}"
        baseline = "-" if r.baseline is None else f"{fmt(r.baseline)} {r.unit}"
        lines.append(f"| {r.what} | {r.size} | {value} | {baseline} | {fmt(r.ratio, 2)} | "
                     f"{r.target} | {ok} | {r.note} |")
    return "\n".join(lines)
