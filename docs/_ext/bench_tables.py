"""Benchmark tables, read at build time from ``bench/results/NAME.json``.

``{bench-results} NAME`` renders one results file as a table with a caption saying what
was measured, when, and on which machine. A results file is one JSON object::

    {
      "benchmark": "what was run (a bench/ script and its arguments)",
      "measured_on": "YYYY-MM-DD",
      "machine": "cores, memory, OS, Python, SQLite and PostgreSQL versions",
      "columns": ["measurement", "SQLite", "PostgreSQL", "target"],
      "rows": [{"measurement": "...", "SQLite": "...", "PostgreSQL": "...", "target": "..."}]
    }

``columns`` gives the order (every row has each, as a string or a number; ``null`` shows
as "-"); without it, the first row's keys in their order. A file that breaks these rules
is a build error, so ``sphinx-build -W`` catches it."""

from __future__ import annotations

import json
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

RESULTS = Path(__file__).resolve().parents[2] / "bench" / "results"
REQUIRED = ("benchmark", "measured_on", "machine", "rows")


def load_results(name: str) -> dict[str, object]:
    path = RESULTS / f"{name}.json"
    results = json.loads(path.read_text(encoding="utf-8"))
    missing = [key for key in REQUIRED if key not in results]
    if missing:
        raise ValueError(f"{path.name} lacks {', '.join(missing)}")
    rows = results["rows"]
    if not isinstance(rows, list) or not rows:
        raise ValueError(f"{path.name}: rows must be a non-empty list")
    columns = results.get("columns") or list(rows[0])
    for number, row in enumerate(rows, start=1):
        if set(row) != set(columns):
            raise ValueError(f"{path.name}: row {number} has {sorted(row)}, not {columns}")
    return {**results, "columns": columns}


def cell(value: object) -> nodes.entry:
    entry = nodes.entry()
    entry += nodes.paragraph(text="-" if value is None else str(value))
    return entry


def results_table(results: dict[str, object]) -> nodes.table:
    columns: list[str] = results["columns"]  # type: ignore[assignment]
    table = nodes.table()
    caption = (f"{results['benchmark']}; measured on {results['measured_on']}, "
               f"{results['machine']}")
    table += nodes.title(text=caption)
    group = nodes.tgroup(cols=len(columns))
    table += group
    for _ in columns:
        group += nodes.colspec(colwidth=1)
    head = nodes.thead()
    head += nodes.row("", *(cell(name) for name in columns))
    group += head
    body = nodes.tbody()
    for row in results["rows"]:  # type: ignore[attr-defined]
        body += nodes.row("", *(cell(row[name]) for name in columns))
    group += body
    return table


class BenchResults(SphinxDirective):
    """``{bench-results} NAME``: the table of bench/results/NAME.json."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0]
        self.env.note_dependency(str(RESULTS / f"{name}.json"))
        try:
            return [results_table(load_results(name))]
        except (OSError, ValueError) as problem:
            raise self.error(f"bench results {name!r}: {problem}") from problem


def setup(app: Sphinx) -> dict[str, object]:
    app.add_directive("bench-results", BenchResults)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
