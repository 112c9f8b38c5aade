"""The commands people type most, whole process, against ``sqlite-utils query`` running the
equivalent SQL on the same database (issue 17: each <= 2x).

The equivalent is one statement that answers the same question with the same columns, written
here by hand as the floor (the library builds its SQL with SQLAlchemy Core): what a process
that opens the file, runs the query and prints rows costs, with Click's start-up and
sqlite-utils' own imports. ``add`` and ``status`` write, so the benchmark puts the database
back as it was afterwards.

    python bench/quick.py [--size 100k] [--runs 10] [--db COPY.db]

Before timing, the ``claims`` package is compiled to bytecode, as ``pip install`` does:
an editable checkout run with ``PYTHONDONTWRITEBYTECODE=1`` (as on the machine the README's
figures come from) would otherwise compile every claims module from source in every
process, about 0.15 s CPU that no installed claims pays (sqlite-utils' modules are
compiled). ``--db`` times a copy of a database instead of the cached one (``add`` and
``status`` write to it and put it back).
"""

from __future__ import annotations

import argparse
import compileall
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import generate  # noqa: E402
from run import (  # noqa: E402
    BIN,
    CLAIMS,
    HOT,
    PYTHON,
    Row,
    Timing,
    _max_claim_id,
    _remove_claims_after,
    compare,
    run_cmd,
    shown_claim,
    table,
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


def utils(path: Path, sql: str, **params: object) -> Callable[[], Timing]:
    argv = [UTILS, "query", str(path), sql]
    for name, value in params.items():
        argv += ["-p", name, str(value)]
    return lambda: run_cmd(argv)


def claims(path: Path, *args: str) -> Callable[[], Timing]:
    return lambda: run_cmd([CLAIMS, "--db", str(path), *args])


def quick_rows(size: str, path: Path, runs: int) -> list[Row]:
    """``list``, ``show``, ``search``, ``add`` and ``status`` against sqlite-utils query."""
    with sqlite3.connect(path) as conn:
        hot = conn.execute("SELECT entity_id FROM entity_names WHERE name = ?",
                           (HOT,)).fetchone()[0]
    shown = shown_claim(size)
    rows = [
        compare(f"claims list --entity {HOT} --limit 50 (process, vs sqlite-utils)", size, runs,
                claims(path, "list", "--entity", HOT, "--limit", "50", "--format", "json"),
                utils(path, LIST_SQL, e=hot), LIMIT, "sqlite-utils query"),
        compare(f"claims show {shown} (process, vs sqlite-utils)", size, runs,
                claims(path, "show", str(shown), "--format", "json"),
                utils(path, SHOW_SQL, id=shown), LIMIT, "sqlite-utils query"),
        compare(f"claims search {generate.SEARCH_WORD} --limit 50 (process, vs sqlite-utils)",
                size, runs,
                claims(path, "search", generate.SEARCH_WORD, "--limit", "50", "--format",
                       "json"),
                utils(path, SEARCH_SQL, q=generate.SEARCH_WORD), LIMIT, "sqlite-utils query"),
    ]
    rows.append(_writes(size, path, runs, shown))
    rows.append(_status(size, path, runs, shown))
    rows += _floors(size, path, runs, hot)
    return rows


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


def _floors(size: str, path: Path, runs: int, hot: int) -> list[Row]:
    return [compare(what, size, runs, lambda code=code: run_cmd([PYTHON, "-c", code]),
                    utils(path, LIST_SQL, e=hot), LIMIT, "sqlite-utils query (list)")
            for what, code in FLOORS.items()]


def _writes(size: str, path: Path, runs: int, shown: int) -> Row:
    mark = _max_claim_id(path)
    serial = iter(range(10**6))

    def ours() -> Timing:
        n = next(serial)
        return claims(path, "add", f"Quick claim {n}: a pledge of {n} tonnes", "--source",
                      "src-00042", "--about", HOT)()

    def floor() -> Timing:
        n = next(serial)
        return utils(path, ADD_SQL, t=f"Quick floor {n}: a pledge of {n} tonnes")()

    try:
        return compare("claims add (process, vs sqlite-utils)", size, runs, ours, floor, LIMIT,
                       "sqlite-utils query")
    finally:
        _remove_claims_after(path, mark)


def _status(size: str, path: Path, runs: int, shown: int) -> Row:
    conn = sqlite3.connect(path, isolation_level=None)
    event, mark, current = conn.execute(
        "SELECT c.status_event_id, (SELECT max(id) FROM status_history), h.to_status "
        "FROM claims c JOIN status_history h ON h.id = c.status_event_id WHERE c.id = ?",
        (shown,)).fetchone()
    conn.close()
    # Each change must differ from the status before it.
    pair = ["false", "true"] if current == "true" else ["true", "false"]
    turn = iter(pair * 10**5)
    try:
        return compare(f"claims status {shown} STATUS (process, vs sqlite-utils)", size, runs,
                       lambda: claims(path, "status", str(shown), next(turn))(),
                       utils(path, STATUS_SQL, id=shown, s="true"), LIMIT,
                       "sqlite-utils query")
    finally:
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("UPDATE claims SET status_event_id = ? WHERE id = ?", (event, shown))
        conn.execute("DELETE FROM status_history WHERE id > ?", (mark,))
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="100k", choices=list(generate.SIZES))
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--db", type=Path, help="a copy of the database of --size to use")
    args = parser.parse_args(argv)
    compile_claims()
    path = args.db or generate.ensure_database(args.size)
    print(table(quick_rows(args.size, path, args.runs)))


def compile_claims() -> None:
    """Bytecode for the claims package that the timed processes import, as pip writes it."""
    import claims

    package = Path(claims.__file__).resolve().parent
    if not compileall.compile_dir(str(package), quiet=1):
        raise RuntimeError(f"could not compile {package}")


if __name__ == "__main__":
    main(sys.argv[1:])
