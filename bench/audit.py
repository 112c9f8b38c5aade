"""The audit log's cost, on SQLite: reads as of a moment against plain reads, and writes
(``add``, ``import``) with the log's triggers on against the same database with them
dropped; and the log's size per change.

Run: ``python bench/audit.py 10k`` (sizes as bench/generate.py; at most 100k here).
Library timings, median CPU of several runs (see bench/run.py on a loaded machine).
``python bench/audit.py 10k --postgresql`` times the writes on PostgreSQL too (a
throw-away server, as the tests start theirs; wall time, since the server does the work).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import ensure_database

import claims
from claims.database.engine import Context
from claims.reads.query import ClaimFilter, list_claims, show_claim
from claims.schema import tables
from claims.writes import store

REPEATS = 7
ADDS = 40
IMPORTED = 10_000
EDITS_SINCE = 20  # change sets the --as-of reads rewind
IMPORT_ROUNDS = 3


def cpu_ms(action: Callable[[], object], repeats: int = REPEATS) -> float:
    action()
    cpus = []
    for _ in range(repeats):
        started = time.process_time()
        action()
        cpus.append(time.process_time() - started)
    return statistics.median(cpus) * 1000


def drop_audit_triggers(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        for (name,) in conn.execute("SELECT name FROM sqlite_master "
                                    "WHERE type = 'trigger' AND name LIKE 'audit_%'").fetchall():
            conn.execute(f"DROP TRIGGER {name}")


def reads(path: Path) -> dict[str, float]:
    db = claims.open_database(path)
    with db.read() as session:
        source = session.scalar(tables.sources.select().with_only_columns(
            tables.sources.c.key).limit(1))
        top = session.scalar(tables.claims.select().with_only_columns(
            tables.claims.c.id).order_by(tables.claims.c.id.desc()).limit(1))
    with db.write() as session:  # the log's first entry (a generated file has none)
        store.set_status(session, top, "disputed", note="bench start")
    moment = datetime.now(UTC)
    for i in range(EDITS_SINCE):
        with db.write() as session:
            store.set_status(session, top - i, "false", note=f"bench {i}")
    assert source is not None

    def listing() -> object:
        with db.connect() as conn:
            return list_claims(conn, ClaimFilter(limit=50))

    def showing() -> object:
        with db.read() as session:
            return show_claim(session, top)

    found = {"list": cpu_ms(listing), "show": cpu_ms(showing)}
    db = db.with_context(Context(as_of=moment))
    found |= {"list --as-of": cpu_ms(listing), "show --as-of": cpu_ms(showing)}
    db.close()
    return found


def adds(path: Path, source: str) -> float:
    db = claims.open_database(path)
    counter = iter(range(10**9))

    def one() -> object:
        with db.write() as session:
            return store.add_claim(session, f"bench claim {next(counter)} {time.time()}",
                                   source=source, about=["bench entity"], allow_new_names=True,
                                   force=True)

    result = cpu_ms(one, ADDS)
    db.close()
    return result


def imports(path: Path, source: str, folder: Path, round_: int) -> float:
    """Claims imported per CPU second (SQLite works in this process)."""
    from claims.io.api import import_stream
    from claims.io.batching import ImportOptions

    lines = folder / "bench.jsonl"
    name = path.name if isinstance(path, Path) else path.database  # a file or a URL
    with lines.open("w") as out:
        for i in range(IMPORTED):
            out.write(json.dumps({"text": f"imported bench claim {i} {name} {round_}",
                                  "source": source, "about": ["Iran"], "tags": ["bench"],
                                  "external_id": f"bench-{name}-{round_}-{i}"}) + "\n")
    db = claims.open_database(path)
    started = time.process_time()
    with db.write() as session, lines.open() as stream:
        import_stream(session, stream, "jsonl", ImportOptions(label="bench"))
    elapsed = time.process_time() - started
    db.close()
    return IMPORTED / elapsed


def postgresql_writes(base: Path, source: str, folder: Path) -> dict[str, float]:
    """``add`` and import on PostgreSQL, log on against triggers dropped: wall time."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from pg import recreate
    from sqlalchemy import text

    from claims.database.copy import copy_database
    from tests import pg_server

    server = pg_server.server_url()
    assert server, pg_server.failure()
    urls = {}
    for name in ("log on", "log off"):
        urls[name] = recreate(server, "audit_" + name.replace(" ", "_"))
        copy_database(base, urls[name])
    engine = claims.database.engine.make_engine(urls["log off"])
    with engine.begin() as conn:
        for table, trigger in conn.execute(text(
                "SELECT tgrelid::regclass::text, tgname FROM pg_trigger "
                "WHERE tgname LIKE 'audit\\_%'")).all():
            conn.execute(text(f'DROP TRIGGER "{trigger}" ON {table}'))
    engine.dispose()
    found: dict[str, float] = {}
    for name, url in urls.items():
        started = time.perf_counter()
        adds(url, source)  # type: ignore[arg-type]
        found[f"PostgreSQL add ms wall, {name}"] = (time.perf_counter() - started) * 1000 / (
            ADDS + 1)
    rates: dict[str, list[float]] = {"log on": [], "log off": []}
    for round_ in range(IMPORT_ROUNDS):
        for name, url in urls.items():
            started = time.perf_counter()
            imports(url, source, folder, round_)  # type: ignore[arg-type]
            rates[name].append(IMPORTED / (time.perf_counter() - started))
    for name, values in rates.items():
        found[f"PostgreSQL import claims/s wall, {name}"] = statistics.median(values)
    found["PostgreSQL import ratio, log on / off"] = (
        found["PostgreSQL import claims/s wall, log on"]
        / found["PostgreSQL import claims/s wall, log off"])
    return found


def log_size(path: Path) -> tuple[int, float]:
    with sqlite3.connect(path) as conn:
        count = conn.execute("SELECT count(*) FROM changes").fetchone()[0]
        try:
            size = conn.execute("SELECT sum(pgsize) FROM dbstat WHERE name = 'changes' "
                                "OR name LIKE 'ix_changes_%'").fetchone()[0]
        except sqlite3.OperationalError:  # no dbstat in this build: the payload alone
            size = conn.execute("SELECT sum(length(row_key) + coalesce(length(before), 0) "
                                "+ coalesce(length(after), 0) + 40) FROM changes").fetchone()[0]
    return count, (size or 0) / max(count, 1)


def main(size: str, postgresql: bool = False) -> None:
    base = ensure_database(size)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        logged, unlogged = folder / "logged.db", folder / "unlogged.db"
        shutil.copyfile(base, logged)
        claims.open_database(logged).close()  # at the head: the log's triggers in place
        shutil.copyfile(logged, unlogged)
        drop_audit_triggers(unlogged)
        with sqlite3.connect(logged) as conn:
            source = conn.execute("SELECT key FROM sources LIMIT 1").fetchone()[0]
        results: dict[str, object] = {"size": size, **reads(logged)}
        rates: dict[str, list[float]] = {"log on": [], "log off": []}
        added: dict[str, list[float]] = {"log on": [], "log off": []}
        for _ in range(IMPORT_ROUNDS):  # alternating, so load drifts hit both alike
            for name, path in (("log off", unlogged), ("log on", logged)):
                added[name].append(adds(path, source))
        for name, found in added.items():
            results[f"add ms CPU, {name}"] = statistics.median(found)
        for round_ in range(IMPORT_ROUNDS):  # alternating, so load drifts hit both alike
            for name, path in (("log on", logged), ("log off", unlogged)):
                rates[name].append(imports(path, source, folder, round_))
        for name, found in rates.items():
            results[f"import claims/CPU s, {name}"] = statistics.median(found)
        results["import ratio, log on / off"] = (results["import claims/CPU s, log on"]
                                                 / results["import claims/CPU s, log off"])
        results["add ratio, log on / off"] = (results["add ms CPU, log on"]
                                              / results["add ms CPU, log off"])
        if postgresql:
            results |= postgresql_writes(base, source, folder)
        count, per_change = log_size(logged)
        results["changes"] = count
        results["log bytes per change"] = per_change
    for key, value in results.items():
        print(f"{key:28} {value:.2f}" if isinstance(value, float) else f"{key:28} {value}")


if __name__ == "__main__":
    sizes = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(sizes[0] if sizes else "10k", "--postgresql" in sys.argv)
