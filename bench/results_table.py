"""The performance page's main table from one ``bench/run.py --json`` file: one row per
measurement, the SQLite figure beside the PostgreSQL one, written as
``bench/results/run.json`` (the format of ``docs/_ext/bench_tables.py``), so the page shows
what the benchmark printed and nobody types a figure by hand.

    python bench/run.py --sizes 1m --runs 3 --import-sizes 100k --url "$URL" --json out.json
    python bench/results_table.py out.json "bench/run.py --sizes 1m --runs 3 ..."
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from common import write_results

PG = "PG "


def cell(row: dict[str, Any] | None) -> str | None:
    if row is None or row["value"] is None:
        return None
    value = f"{row['value']:.1f} {row['unit']}"
    if row["what"].startswith(PG) and "wall_ms" in row["extra"]:
        # Judged on wall time: the server's work is not in the client's CPU time.
        value = f"{row['extra']['wall_ms']:.1f} ms wall ({row['value']:.1f} ms CPU)"
    if row["ratio"] is not None:
        value += f" ({row['ratio']:.2f}x)"
    if row["ok"] is False:
        value += " (missed)"
    return value


COLUMNS = ("measurement", "size", "SQLite", "PostgreSQL", "target")


def table_rows(run: dict[str, Any]) -> list[dict[str, Any]]:
    pairs: dict[tuple[str, str], dict[str, Any]] = {}
    for row in run["rows"]:
        engine = "PostgreSQL" if row["what"].startswith(PG) else "SQLite"
        name = row["what"].removeprefix(PG)
        entry = pairs.setdefault((name, row["size"]), {"target": row["target"]})
        entry[engine] = row
        entry["target"] = entry["target"] or row["target"]
    return [{"measurement": name, "size": size, "SQLite": cell(entry.get("SQLite")),
             "PostgreSQL": cell(entry.get("PostgreSQL")), "target": entry["target"]}
            for (name, size), entry in pairs.items()]


def main(path: str, benchmark: str) -> None:
    # Run right after the benchmark, on its machine: write_results describes this one.
    run = json.loads(Path(path).read_text(encoding="utf-8"))
    print(f"wrote {write_results('run', benchmark, COLUMNS, table_rows(run))}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "bench/run.py")
