"""The commands people type most, whole process, against ``sqlite-utils query`` running the
equivalent SQL on the same database (issue 17: each <= 2x).

The equivalent is one statement that answers the same question with the same columns, written
here by hand as the floor (the library builds its SQL with SQLAlchemy Core): what a process
that opens the file, runs the query and prints rows costs, with Click's start-up and
sqlite-utils' own imports. ``add`` and ``status`` write, so the benchmark puts the database
back as it was afterwards.

    python bench/quick.py [--size 100k] [--runs 10] [--only list,show] [--db COPY.db]

Beside each comparison, the milliseconds each side spends importing (``python -X
importtime``: its top-level imports' cumulative times, lazy ones included). The table goes
to stdout and to bench/results/quick.json (the docs' performance page renders it; the raw
figures are in its "raw" list), unless ``--no-json``.

Before timing, the ``claims`` package is compiled to bytecode, as ``pip install`` does:
an editable checkout run with ``PYTHONDONTWRITEBYTECODE=1`` (as on the machine the README's
figures come from) would otherwise compile every claims module from source in every
process, about 0.15 s CPU that no installed claims pays (sqlite-utils' modules are
compiled). ``--db`` times a copy of a database instead of the cached one (``add`` and
``status`` write to it and put it back).
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # sibling scripts, not a package
from common import (
    BIN,
    CLAIMS,
    HOT,
    PYTHON,
    Row,
    compare,
    compile_claims,
    import_ms,
    max_claim_id,
    remove_claims_after,
    run_cmd,
    shown_claim,
    table,
    write_results,
)

LIMIT = 2.0
UTILS = str(BIN / "sqlite-utils")

LIST_SQL = """
SELECT c.id, h.to_status AS status, sp.name AS speaker, s.key AS source, c.said_on,
       (SELECT group_concat(name, ', ') FROM (
            SELECT e.name FROM claim_entities ce JOIN entities e ON e.id = ce.entity_id
            WHERE ce.claim_id = c.id ORDER BY e.name)) AS about,
       c.text
FROM claims c JOIN sources s ON s.id = c.source_id
LEFT JOIN entities sp ON sp.id = c.speaker_id
LEFT JOIN status_history h ON h.id = c.status_event_id
WHERE c.id IN (SELECT claim_id FROM claim_entities WHERE entity_id = :e
               UNION SELECT id FROM claims WHERE speaker_id = :e ORDER BY 1 LIMIT 50)
ORDER BY c.id
"""
SEARCH_SQL = """
SELECT c.id, h.to_status AS status, s.key AS source, c.text,
       snippet(claims_fts, -1, '[', ']', '…', 16) AS snippet
FROM claims_fts JOIN claims c ON c.id = claims_fts.rowid
JOIN sources s ON s.id = c.source_id
LEFT JOIN status_history h ON h.id = c.status_event_id
WHERE claims_fts MATCH :q ORDER BY bm25(claims_fts, 10.0, 1.0) LIMIT 50
"""
SHOW_SQL = """
SELECT c.*, s.key AS source, h.to_status AS status,
       (SELECT json_group_array(json_array(l.kind, l.to_id)) FROM links l
        WHERE l.from_id = c.id OR l.to_id = c.id) AS links,
       (SELECT json_group_array(json_array(x.at, x.from_status, x.to_status, x.note))
        FROM status_history x WHERE x.claim_id = c.id) AS history,
       (SELECT json_group_array(t.tag) FROM claim_tags t WHERE t.claim_id = c.id) AS tags
FROM claims c JOIN sources s ON s.id = c.source_id
LEFT JOIN status_history h ON h.id = c.status_event_id
WHERE c.id = :id
"""
ADD_SQL = ("INSERT INTO claims (text, source_id, created_at, updated_at, text_copy) "
           "VALUES (:t, 42, datetime('now'), datetime('now'), 0)")
STATUS_SQL = ("INSERT INTO status_history (claim_id, from_status, to_status, note, at) "
              "VALUES (:id, 'unverified', :s, 'bench', datetime('now'))")


@dataclass(frozen=True)
class Quick:
    """One quick command and its floor: the argv of a new process of each side (a write
    needs a new text or status every time, so these are functions)."""

    name: str
    what: str
    ours: Callable[[], list[str]]
    floor: Callable[[], list[str]]
    floor_name: str = "sqlite-utils query"


def utils(path: Path, sql: str, **params: object) -> list[str]:
    argv = [UTILS, "query", str(path), sql]
    for name, value in params.items():
        argv += ["-p", name, str(value)]
    return argv


# The claims program timed: the installed one, or another given by --claims (a script that
# runs another checkout's claims.cli.main, to time a change against the code before it).
PROGRAM = [CLAIMS]


def claims(path: Path, *args: str) -> list[str]:
    return [*PROGRAM, "--db", str(path), *args]


def quick_commands(size: str, path: Path) -> list[Quick]:
    """``list``, ``show``, ``search``, ``add`` and ``status`` against sqlite-utils query,
    then the floors: what the imports alone cost."""
    with sqlite3.connect(path) as conn:
        hot = conn.execute("SELECT entity_id FROM entity_names WHERE name = ?",
                           (HOT,)).fetchone()[0]
        current = conn.execute(
            "SELECT h.to_status FROM claims c JOIN status_history h "
            "ON h.id = c.status_event_id WHERE c.id = ?", (shown_claim(size),)).fetchone()[0]
    shown = shown_claim(size)
    serial = iter(range(10**6))
    # Each status change must differ from the status before it.
    turn = iter((["false", "true"] if current == "true" else ["true", "false"]) * 10**5)
    vs = "(process, vs sqlite-utils)"
    commands = [
        Quick("list", f"claims list --entity {HOT} --limit 50 {vs}",
              lambda: claims(path, "list", "--entity", HOT, "--limit", "50", "--format",
                             "json"),
              lambda: utils(path, LIST_SQL, e=hot)),
        Quick("show", f"claims show {shown} {vs}",
              lambda: claims(path, "show", str(shown), "--format", "json"),
              lambda: utils(path, SHOW_SQL, id=shown)),
        Quick("search", f"claims search {generate.SEARCH_WORD} --limit 50 {vs}",
              lambda: claims(path, "search", generate.SEARCH_WORD, "--limit", "50",
                             "--format", "json"),
              lambda: utils(path, SEARCH_SQL, q=generate.SEARCH_WORD)),
        Quick("add", f"claims add {vs}",
              lambda: claims(path, "add", f"Quick claim {(n := next(serial))}: a pledge of "
                             f"{n} tonnes", "--source", "src-00042", "--about", HOT),
              lambda: utils(path, ADD_SQL,
                            t=f"Quick floor {(n := next(serial))}: a pledge of {n} tonnes")),
        Quick("status", f"claims status {shown} STATUS {vs}",
              lambda: claims(path, "status", str(shown), next(turn)),
              lambda: utils(path, STATUS_SQL, id=shown, s="true")),
    ]
    commands += [Quick(f"floor{i}", what, lambda code=code: [PYTHON, "-c", code],
                       lambda: utils(path, LIST_SQL, e=hot), "sqlite-utils query (list)")
                 for i, (what, code) in enumerate(FLOORS.items(), start=1)]
    return commands


# What a Typer command that reads through SQLAlchemy pays before it does anything: the imports
# alone. claims' commands import Typer without the pydantic its coercion loads on first use
# (claims.cli.as_typed), SQLAlchemy Core, and for writes the ORM; the last row is the floor
# the README gave before, with pydantic.
FLOORS = {
    "floor: import typer + sqlalchemy (process, vs sqlite-utils)":
        "import typer, typer.main, sqlalchemy",
    "floor: the same + sqlalchemy.orm (process, vs sqlite-utils)":
        "import typer, typer.main, sqlalchemy, sqlalchemy.orm",
    "floor: import typer + its pydantic coercion + sqlalchemy (process, vs sqlite-utils)":
        "import typer, typer._adapters, sqlalchemy",
}


# sqlite-utils imports numpy when it is installed (matplotlib, for claims' charts, brings it),
# and numpy starts OpenBLAS's threads, which spin on any idle core: about 100 ms more CPU for
# the floor on a quiet machine and none on a busy one, so the ratio moved with the load (list:
# 0.87x to 1.6x in runs an hour apart). One thread each keeps numpy's import in the floor and
# its spinning out of it. Both sides get it (claims' quick commands never import numpy).
ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def measure(size: str, quick: Quick, runs: int) -> Row:
    """The paired comparison, then each side's import time (-X importtime, a fifth of the
    runs, at least 3)."""
    row = compare(quick.what, size, runs, lambda: run_cmd(quick.ours(), ONE_THREAD),
                  lambda: run_cmd(quick.floor(), ONE_THREAD), LIMIT, quick.floor_name)
    import_runs = max(3, runs // 5)
    row.extra.update(command=quick.name, import_ms=import_ms(quick.ours, import_runs),
                     floor_import_ms=import_ms(quick.floor, import_runs))
    row.note += (f"; imports {row.extra['import_ms']:.0f} vs "
                 f"{row.extra['floor_import_ms']:.0f} ms")
    return row


def quick_rows(size: str, path: Path, runs: int, only: Sequence[str] = ()) -> list[Row]:
    """Every comparison (or those named in ``only``); the database is put back as it was
    after the writes."""
    with restored(path, shown_claim(size)):
        return [measure(size, quick, runs) for quick in quick_commands(size, path)
                if not only or quick.name in only]


@contextmanager
def restored(path: Path, shown: int) -> Iterator[None]:
    """Undo what ``add`` and ``status`` (both sides) write to the cached database."""
    conn = sqlite3.connect(path, isolation_level=None)
    event, history_mark = conn.execute(
        "SELECT status_event_id, (SELECT max(id) FROM status_history) FROM claims "
        "WHERE id = ?", (shown,)).fetchone()
    conn.close()
    claims_mark = max_claim_id(path)
    try:
        yield
    finally:
        remove_claims_after(path, claims_mark)
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("UPDATE claims SET status_event_id = ? WHERE id = ?", (event, shown))
        conn.execute("DELETE FROM status_history WHERE id > ?", (history_mark,))
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()


COLUMNS = ("measurement", "size", "claims", "sqlite-utils", "ratio", "claims imports",
           "sqlite-utils imports", "target")


def results_row(row: Row) -> dict[str, object]:
    """One line of bench/results/quick.json: median CPU of the whole process, each side."""
    return {"measurement": row.what, "size": row.size.replace("m", "M"),
            "claims": f"{row.value:.1f} ms CPU", "sqlite-utils": f"{row.baseline:.1f} ms CPU",
            "ratio": f"{row.ratio:.2f}x", "claims imports": f"{row.extra['import_ms']:.0f} ms",
            "sqlite-utils imports": f"{row.extra['floor_import_ms']:.0f} ms",
            "target": row.target}


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="100k", choices=list(generate.SIZES))
    parser.add_argument("--runs", type=int, default=10, help="paired runs per comparison")
    parser.add_argument("--only", default="",
                        help="comma-separated commands among list, show, search, add, status, "
                             "floor1, floor2, floor3 (default: every one)")
    parser.add_argument("--db", type=Path, help="a copy of the database of --size to use")
    parser.add_argument("--claims", type=Path,
                        help="time this program instead of the installed claims (a Python "
                             "script, for the import timing too); implies --no-json")
    parser.add_argument("--no-json", action="store_true",
                        help="do not write bench/results/quick.json")
    args = parser.parse_args(argv)
    if args.claims:
        PROGRAM[:] = [str(args.claims.resolve())]
        args.no_json = True
    only = [name.strip() for name in args.only.split(",") if name.strip()]
    compile_claims()
    path = args.db or generate.ensure_database(args.size)
    rows = quick_rows(args.size, path, args.runs, only)
    print(table(rows))
    if not args.no_json:
        written = write_results(
            "quick", f"bench/quick.py --size {args.size} --runs {args.runs}"
            + (f" --only {','.join(only)}" if only else "")
            + ": whole process, median CPU of paired runs (each side one BLAS thread); "
            "imports: python -X importtime's total, median of 3",
            COLUMNS, [results_row(row) for row in rows], runs=args.runs,
            raw=[asdict(row) for row in rows])
        print(f"\nwritten to {written}")


if __name__ == "__main__":
    main(sys.argv[1:])
