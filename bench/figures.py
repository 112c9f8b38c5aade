"""Benchmarks of issue 13: a measure's timeline, ``due --overdue``, and the figure parser.

The claims come from ``bench/generate.py`` (cached per size); this script copies that
database and adds, with plain ``sqlite3``: measures (5,000 at a million claims, in
proportion below), figures on a fifth of the claims (200k at a million), one "hot"
measure with 1,000 figures from many sources, and due dates on 0.5% of the claims (half
of them in the past, some resolved by an ``updates`` link). Then, in the library:

- ``timeline`` of the hot measure (target < 30 ms),
- ``due_claims(overdue_only=True)`` (target < 30 ms),
- ``find_figures`` over the claim texts (target >= 20,000 sentences a second).

Times are medians of CPU time (the wall time, shown beside, includes waiting for a core on
a shared machine; on PostgreSQL the server's work is in the wall time only). Run by hand:
``python bench/figures.py --size 100k`` (the issue's size is ``1m``; ``--postgresql``
also measures on a throw-away PostgreSQL server, ``--url`` on one of yours); results go
to stdout and ``bench/out/figures-SIZE.json``.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sqlite3
import sys
import time
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate
from common import time_in_library

SEED = 13
HOT_FIGURES = 1_000
REPEATS = 15
TODAY = date(2026, 12, 1)


def build(size: str) -> tuple[Path, str]:
    """A copy of the cached claims database with figures and due dates added."""
    base = generate.ensure_database(size)
    path = generate.OUT_DIR / f"figures-{size}.db"
    shutil.copyfile(base, path)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("BEGIN")
        hot = _fill(conn, random.Random(SEED))
        conn.execute("COMMIT")
    finally:
        conn.close()
    return path, hot


def _fill(conn: sqlite3.Connection, rng: random.Random) -> str:
    n_claims = conn.execute("SELECT count(*) FROM claims").fetchone()[0]
    entity_ids = [row[0] for row in conn.execute("SELECT id FROM entities")]
    n_measures = max(50, n_claims * 5_000 // 1_000_000)
    now = "2026-12-01 00:00:00.000000"
    measures, names = [], []
    for measure_id in range(1, n_measures + 1):
        entity_id = rng.choice(entity_ids)
        name = f"measure {measure_id}"
        measures.append((measure_id, entity_id, name, "%", measure_id % 3 == 0, 5.0, now))
        names.append((measure_id, entity_id, name, name))
    conn.executemany("INSERT INTO measures (id, entity_id, name, unit, only_grows, tolerance,"
                     " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", measures)
    conn.executemany("INSERT INTO measure_names (measure_id, entity_id, name, key)"
                     " VALUES (?, ?, ?, ?)", names)
    claim_ids = rng.sample(range(1, n_claims + 1), n_claims // 5)
    start = date(2015, 1, 1)
    figures = []
    for index, claim_id in enumerate(claim_ids):
        measure_id = 1 if index < HOT_FIGURES else rng.randrange(2, n_measures + 1)
        value = round(rng.uniform(0, 100), 1)
        as_of = start + timedelta(days=rng.randrange(0, 4000))
        figures.append((claim_id, measure_id, value, "%", f"{value}%", as_of.isoformat(), now))
    conn.executemany("INSERT INTO quantities (claim_id, measure_id, value, unit, written, as_of,"
                     " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", figures)
    due_ids = rng.sample(range(1, n_claims + 1), max(10, n_claims // 200))
    due = [(claim_id, (TODAY + timedelta(days=rng.randrange(-900, 900))).isoformat())
           for claim_id in due_ids]
    conn.executemany("INSERT OR IGNORE INTO claim_due (claim_id, due_on) VALUES (?, ?)", due)
    return "measure 1"


def parser_rate(texts: Sequence[str]) -> tuple[float, float, int]:
    from claims.figures.parse import find_figures

    found = 0
    wall, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        found += len(find_figures(text))
    return (len(texts) / (time.perf_counter() - wall), len(texts) / (time.process_time() - cpu),
            found)


def measure(url: object, hot: str) -> dict[str, object]:
    """Timeline of the hot measure and ``due --overdue``, in the library, on one database."""
    from claims.database.engine import open_database
    from claims.figures.due import due_claims
    from claims.figures.timeline import timeline

    database = open_database(url)  # type: ignore[arg-type]
    results: dict[str, object] = {"engine": database.dialect}
    try:
        with database.connect() as conn:
            series = timeline(conn, hot, today=TODAY)
            wall, cpu = time_in_library(lambda: timeline(conn, hot, today=TODAY), REPEATS)
            results["timeline"] = {"figures": len(series["figures"]), "cpu_ms": cpu * 1000,
                                   "wall_ms": wall * 1000, "target_ms": 30}
            overdue = due_claims(conn, overdue_only=True, today=TODAY)
            wall, cpu = time_in_library(lambda: due_claims(conn, overdue_only=True, today=TODAY),
                                        REPEATS)
            results["due_overdue"] = {"claims": len(overdue), "cpu_ms": cpu * 1000,
                                      "wall_ms": wall * 1000, "target_ms": 30}
    finally:
        database.close()
    return results


def claim_texts(path: Path) -> list[str]:
    """The first 100k claim texts of the database, then LIAR's statements when present."""
    conn = sqlite3.connect(path)
    try:
        texts = [row[0] for row in conn.execute("SELECT text FROM claims ORDER BY id LIMIT 100000")]
    finally:
        conn.close()
    liar = Path("/work/shared/data/liar/train.tsv")
    if liar.exists():
        with liar.open(encoding="utf-8") as lines:
            texts += [line.split("\t")[2] for line in lines if line.count("\t") > 3]
    return texts


def on_postgresql(size: str, path: Path, hot: str, server: str | None) -> dict[str, object]:
    """The same measurements on PostgreSQL: the figures database copied (``claims db
    copy``) into a new database ``claims_figures_SIZE`` on ``server``, or on a throw-away
    server started as the tests start theirs (data directory under /tmp, removed after)."""
    from pg import recreate

    from claims.database.copy import copy_database

    if server is None:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        from tests import pg_server

        server = pg_server.server_url()
        if server is None:
            raise SystemExit(f"no PostgreSQL: {pg_server.failure()}")
    url = recreate(server, f"figures_{size}")
    started = time.perf_counter()
    copy_database(path, url)
    copied = time.perf_counter() - started
    # claims db copy leaves the database analysed and vacuumed, as autovacuum would.
    results = measure(url, hot)
    results["copy_s"] = copied
    return results


def run(size: str, *, postgresql: bool, server: str | None) -> dict[str, object]:
    path, hot = build(size)
    results: dict[str, object] = {"size": size, **measure(path, hot)}
    texts = claim_texts(path)
    wall_rate, cpu_rate, found = parser_rate(texts)
    results["parser"] = {"sentences": len(texts), "figures": found,
                         "per_second_cpu": cpu_rate, "per_second_wall": wall_rate,
                         "target_per_second": 20_000}
    if postgresql:
        results["postgresql"] = on_postgresql(size, path, hot, server)
    return results


def _report(results: dict[str, object], engine: str) -> None:
    timing, due = results["timeline"], results["due_overdue"]
    print(f"{engine}: timeline of a {timing['figures']}-figure measure: "  # type: ignore[index]
          f"{timing['cpu_ms']:.1f} ms CPU ({timing['wall_ms']:.1f} ms wall), "  # type: ignore[index]
          "target < 30 ms")
    print(f"{engine}: due --overdue ({due['claims']} claims): "  # type: ignore[index]
          f"{due['cpu_ms']:.1f} ms CPU ({due['wall_ms']:.1f} ms wall), "  # type: ignore[index]
          "target < 30 ms")


def main(argv: Sequence[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(generate.SIZES), default="10k",
                        help="claims in the database (the issue's size is 1m)")
    parser.add_argument("--postgresql", action="store_true",
                        help="also on PostgreSQL: --url, else a throw-away server")
    parser.add_argument("--url", help="a PostgreSQL server URL whose role may CREATEDB")
    args = parser.parse_args(argv)
    results = run(args.size, postgresql=args.postgresql or bool(args.url), server=args.url)
    out = generate.OUT_DIR / f"figures-{args.size}.json"
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    _report(results, "SQLite")
    parse = results["parser"]
    print(f"figure parser: {parse['per_second_cpu']:,.0f} sentences/s CPU "  # type: ignore[index]
          f"({parse['per_second_wall']:,.0f} wall) over {parse['sentences']:,} sentences, "  # type: ignore[index]
          f"{parse['figures']:,} figures; target >= 20,000")  # type: ignore[index]
    if "postgresql" in results:
        on_pg = results["postgresql"]
        print(f"PostgreSQL: copied in {on_pg['copy_s']:.0f} s wall")  # type: ignore[index]
        _report(on_pg, "PostgreSQL")  # type: ignore[arg-type]


if __name__ == "__main__":
    main(sys.argv[1:])
