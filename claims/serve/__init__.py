"""``claims serve``: the database in a browser, through Datasette, read-only.

Datasette reads SQLite only; a PostgreSQL database is served through a SQLite snapshot.
The file is opened with ``mode=ro`` (Datasette's default for a file it is given), so the
pages show other people's writes as they land and nothing is ever written; ``immutable``
serves a snapshot nobody writes to (``-i``: faster counts, no locking at all).
"""

from __future__ import annotations

import json
import sys
import tempfile
from importlib.util import find_spec
from pathlib import Path

from claims.errors import InvalidError

PLUGINS_DIR = Path(__file__).resolve().parent / "plugins"
SERVE_EXTRA = "pip install 'claims[serve]'"


def snapshot_hint() -> str:
    return ("serve a SQLite snapshot: 'claims db copy URL snapshot.db', or 'claims export > "
            "all.jsonl' and 'claims --db snapshot.db import all.jsonl'; then "
            "'claims --db snapshot.db serve'")


def require_datasette() -> None:
    if find_spec("datasette") is None:
        raise InvalidError("claims serve needs Datasette", SERVE_EXTRA)


def servable_path(url_dialect: str, database_path: str | None) -> Path:
    """The SQLite file to serve; a PostgreSQL database is refused with how to snapshot it."""
    if url_dialect != "sqlite" or not database_path:
        raise InvalidError("Datasette reads SQLite, not PostgreSQL", snapshot_hint())
    return Path(database_path)


def datasette_args(path: Path, metadata_file: Path, *, host: str, port: int,
                   open_browser: bool, immutable: bool) -> list[str]:
    """The ``datasette serve`` command line for ``path``."""
    # Without -i Datasette opens the file with mode=ro, keeping SQLite's locks, so a reader
    # sees whole commits only.
    args = ["serve", *(["-i", str(path)] if immutable else [str(path)]),
            "--metadata", str(metadata_file), "--plugins-dir", str(PLUGINS_DIR),
            "--host", host, "--port", str(port),
            "--setting", "default_page_size", "50",
            "--setting", "suggest_facets", "off"]
    if open_browser:
        args.append("--open")
    return args


def serve(path: Path, *, host: str = "127.0.0.1", port: int = 8001,
          open_browser: bool = False, immutable: bool = False) -> None:
    """Run Datasette over ``path`` until interrupted (the database must be at head)."""
    require_datasette()
    from datasette.cli import cli

    from claims.serve.metadata import build_metadata

    with tempfile.TemporaryDirectory(prefix="claims-serve-") as tmp:
        metadata_file = Path(tmp) / "metadata.json"
        metadata_file.write_text(json.dumps(build_metadata(path.stem), ensure_ascii=False))
        args = datasette_args(path, metadata_file, host=host, port=port,
                              open_browser=open_browser, immutable=immutable)
        sys.stdout.flush()
        cli.main(args=args, prog_name="claims serve", standalone_mode=False)
