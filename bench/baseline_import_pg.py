"""The floor for ``claims import`` into PostgreSQL: the same JSONL file into the same schema
(every index, the generated search columns) through plain psycopg 3 ``COPY``, one
transaction, with the rows bench/baseline_import.py builds (it trusts its input the same way).

The one reference that points forwards (``claims.status_event_id`` -> ``status_history``) is
dropped for the load and added back before the commit, which checks every row once: what a
plain bulk load does, and what ``claims db copy`` does. The audit log's triggers are kept
quiet, as claims' importer keeps them for the rows it adds.

    python bench/baseline_import_pg.py FILE.jsonl POSTGRESQL_URL   (an empty database)
"""

from __future__ import annotations

import sys
from typing import Any

import psycopg
from baseline_import import COLUMNS, Loader

from claims.database.engine import open_database, resolve_url


def copy_writer(conn: psycopg.Connection[Any]) -> Any:
    def write(table: str, rows: list[tuple[Any, ...]]) -> None:
        with conn.cursor().copy(f"COPY {table} ({', '.join(COLUMNS[table])}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    return write


def main(path: str, target: str) -> None:
    open_database(target).close()  # the schema, as Alembic's head makes it
    url = resolve_url(target)
    with psycopg.connect(host=url.host, port=url.port, user=url.username,
                         password=url.password, dbname=url.database) as conn:
        name, definition = conn.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'claims'::regclass AND confrelid = 'status_history'::regclass"
        ).fetchone()  # type: ignore[misc]
        conn.execute(f'ALTER TABLE claims DROP CONSTRAINT "{name}"')
        # The audit log's triggers stay quiet, as they do for the rows claims' own import
        # writes (it logs them as ranges of ids): else every row would be logged one by one.
        conn.execute("SELECT set_config('claims.quiet', 'on', true)")
        Loader(copy_writer(conn)).load(path)
        conn.execute(f'ALTER TABLE claims ADD CONSTRAINT "{name}" {definition}')
        conn.commit()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
