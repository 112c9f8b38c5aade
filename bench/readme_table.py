"""The README's performance table from one ``bench/run.py --json`` file: one line per
measurement, the SQLite figure beside the PostgreSQL one.

    python bench/readme_table.py bench/out/results.json
"""

from __future__ import annotations

import json
import sys
from typing import Any

PG = "PG "


def cell(row: dict[str, Any] | None) -> str:
    if row is None or row["value"] is None:
        return "-"
    value = f"{row['value']:.1f} {row['unit']}"
    if row["what"].startswith(PG) and "wall_ms" in row["extra"]:
        # Judged on wall time: the server's work is not in the client's CPU time.
        value = f"{row['extra']['wall_ms']:.1f} ms wall ({row['value']:.1f} ms CPU)"
    if row["ratio"] is not None:
        value += f" ({row['ratio']:.2f}x)"
    if row["ok"] is False:
        value = f"**{value}**"
    return value


def main(path: str) -> None:
    with open(path, encoding="utf-8") as results:
        rows = json.load(results)["rows"]
    pairs: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        engine = "postgresql" if row["what"].startswith(PG) else "sqlite"
        name = row["what"].removeprefix(PG)
        entry = pairs.setdefault((name, row["size"]), {"target": row["target"]})
        entry[engine] = row
        entry["target"] = entry["target"] or row["target"]
    print("| measurement | size | SQLite | PostgreSQL | target |")
    print("|---|---|---|---|---|")
    for (name, size), entry in pairs.items():
        print(f"| {name} | {size} | {cell(entry.get('sqlite'))} | "
              f"{cell(entry.get('postgresql'))} | {entry['target']} |")


if __name__ == "__main__":
    main(sys.argv[1])
