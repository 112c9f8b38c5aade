"""What escaping user data (claims.textsafe.visible) costs ``claims list``.

Lists every claim of a generated database (bench/generate.py) in-process, the way the
command does (Core query, then tab-separated rendering, then a Rich table for the first
``--table-rows``), once as shipped and once with ``visible`` replaced by the identity, and
prints the medians and the overhead relative to the whole listing.

Run by hand: ``python bench/escaping.py --size 100k`` (sizes as in generate.py; the
project's rule is to stay at or below 100k on shared machines).
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from contextlib import redirect_stdout
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import SIZES, ensure_database

import claims
from claims.cli import render
from claims.query import ClaimFilter, list_claims


def _listing(url: str, fmt: render.OutputFormat, limit: int | None) -> Callable[[], None]:
    def run() -> None:
        database = claims.open_database(url)
        try:
            with database.connect() as conn:
                records = list_claims(conn, ClaimFilter(limit=limit))
            with redirect_stdout(io.StringIO()):
                render.emit_records(records, fmt, render.CLAIM_COLUMNS)
        finally:
            database.close()
    return run


def _median(run: Callable[[], None], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _measure(run: Callable[[], None], repeats: int) -> tuple[float, float]:
    shipped = render.visible
    escaped = _median(run, repeats)
    render.visible = lambda text, **_: text  # type: ignore[assignment]
    try:
        plain = _median(run, repeats)
    finally:
        render.visible = shipped
    return escaped, plain


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="10k", choices=sorted(SIZES))
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--table-rows", type=int, default=2000)
    args = parser.parse_args(argv)
    url = str(ensure_database(args.size))
    cases = [(f"list (tsv, all {args.size})", render.OutputFormat.TSV, None),
             (f"list (table, {args.table_rows} rows)", render.OutputFormat.TABLE,
              args.table_rows)]
    for label, fmt, limit in cases:
        escaped, plain = _measure(_listing(url, fmt, limit), args.repeats)
        print(f"{label}: {escaped:.3f}s escaped, {plain:.3f}s without, "
              f"overhead {100 * (escaped - plain) / plain:+.1f}%")


if __name__ == "__main__":
    main(sys.argv[1:])
