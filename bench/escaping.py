"""What escaping user data (claims.textsafe.visible) costs ``claims list``.

Lists every claim of a generated database (bench/generate.py) in-process, the way the
command does (Core query, then tab-separated rendering, then a Rich table for the first
``--table-rows``), once as shipped and once with ``visible`` replaced by the identity, and
prints the medians and the overhead relative to the whole listing. The two variants
run alternately, so a change in the machine's load falls on both.

At a million claims one listing takes minutes and the machine's load moves its time by
more than the 5% asked about, so ``--direct`` also measures escaping on its own: the
listing runs once more recording every string given to ``visible``, then ``visible`` is
timed over exactly those strings in a tight loop; its share of the escaped listing is the
cost of escaping, free of the noise between two long runs.

Run by hand: ``python bench/escaping.py --size 100k`` (sizes as in generate.py); at the
issue's size, under the shared lock: ``python bench/escaping.py --size 1m --repeats 1
--direct``.
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
from claims import textsafe
from claims.cli import render
from claims.reads.query import ClaimFilter, list_claims


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


def _timed(run: Callable[[], None]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def _measure(run: Callable[[], None], repeats: int) -> tuple[float, float]:
    """Medians of the listing as shipped and with ``visible`` as the identity, alternately."""
    shipped = textsafe.visible
    escaped, plain = [], []
    try:
        for _ in range(repeats):
            textsafe.visible = shipped
            escaped.append(_timed(run))
            textsafe.visible = lambda text, **_: text  # type: ignore[assignment]
            plain.append(_timed(run))
    finally:
        textsafe.visible = shipped
    return statistics.median(escaped), statistics.median(plain)


def _escaping_alone(run: Callable[[], None]) -> tuple[float, int]:
    """Seconds ``visible`` takes over every string one listing gives it, and their count."""
    shipped = textsafe.visible
    given: list[str] = []

    def recording(text: str, **_: bool) -> str:
        given.append(text)
        return text

    textsafe.visible = recording  # type: ignore[assignment]
    try:
        run()
    finally:
        textsafe.visible = shipped
    started = time.perf_counter()
    for text in given:
        shipped(text)
    return time.perf_counter() - started, len(given)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="10k", choices=sorted(SIZES))
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--table-rows", type=int, default=2000)
    parser.add_argument("--direct", action="store_true",
                        help="also time escaping alone over one listing's strings")
    args = parser.parse_args(argv)
    url = str(ensure_database(args.size))
    cases = [(f"list (tsv, all {args.size})", render.OutputFormat.TSV, None),
             (f"list (table, {args.table_rows} rows)", render.OutputFormat.TABLE,
              args.table_rows)]
    for label, fmt, limit in cases:
        run = _listing(url, fmt, limit)
        escaped, plain = _measure(run, args.repeats)
        print(f"{label}: {escaped:.3f}s escaped, {plain:.3f}s without, "
              f"overhead {100 * (escaped - plain) / plain:+.1f}%", flush=True)
        if args.direct:
            alone, strings = _escaping_alone(run)
            print(f"{label}: escaping alone {alone:.3f}s over {strings:,} strings, "
                  f"{100 * alone / (escaped - alone):+.1f}% of the listing without it",
                  flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
