"""Search alone, at one size on one engine: ``python bench/search.py DATABASE [WORD ...]``.

DATABASE is a SQLite file or a PostgreSQL URL (at the newest revision: opening it
upgrades it). For each word (default: the benchmark's ``centrifuge``, in about 1% of the
generated claims) it prints the median CPU and wall milliseconds of
``search_claims(conn, WORD, ClaimFilter(limit=50))`` over ``--runs`` calls after one warm-up,
each through a fresh Core connection from the pool as ``claims search`` reads, and how
many claims match. ``--check`` also compares the page with the full ranking's first 50.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate
from common import time_in_library

from claims.database.engine import open_database
from claims.reads.query import ClaimFilter
from claims.search.ranking import count_matches, search_claims


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database")
    parser.add_argument("words", nargs="*", default=[generate.SEARCH_WORD])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--limit", type=int, default=50)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    db = open_database(args.database)
    try:
        for word in args.words:
            def searching(word: str = word) -> object:
                with db.connect() as conn:
                    return search_claims(conn, word, ClaimFilter(limit=args.limit))

            wall, cpu = (seconds * 1000 for seconds in time_in_library(searching, args.runs))
            with db.connect() as conn:
                matching = count_matches(conn, word)
            line = (f"{db.dialect:10s} {word:14s} {matching:8d} matching: "
                    f"{cpu:6.1f} ms CPU, {wall:6.1f} ms wall (median of {args.runs})")
            if args.check:
                with db.connect() as conn:
                    page = search_claims(conn, word, ClaimFilter(limit=args.limit))
                    full = search_claims(conn, word, ClaimFilter(limit=None))[:args.limit]
                line += f"; same as the full ranking: {page == full}"
            print(line, flush=True)
    finally:
        db.close()


if __name__ == "__main__":
    main(sys.argv[1:])
