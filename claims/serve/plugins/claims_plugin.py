"""Datasette plugin loaded by ``claims serve`` (through ``--plugins-dir``).

- ``claims_key(name)`` on every connection: the application's name key, so canned queries
  find an entity by any of its names or aliases exactly as the command line does.
- ``/`` goes straight to the claims view: the first thing a reader sees is the claims.
- A small stylesheet lays the column labels out in a compact grid above the table, so
  the claims themselves start on the first screen.
"""

from __future__ import annotations

from typing import Any

from datasette import hookimpl
from datasette.utils.asgi import Response

from claims.names import name_key


def _key(value: Any) -> str | None:
    return None if value is None else name_key(str(value))


@hookimpl
def prepare_connection(conn: Any) -> None:
    conn.create_function("claims_key", 1, _key, deterministic=True)


async def _home(datasette: Any) -> Response:
    names = [name for name in datasette.databases if not name.startswith("_")]
    target = f"/{names[0]}/claims_view" if names else "/-/"
    return Response.redirect(datasette.urls.path(target))


CSS = """
dl.column-descriptions { display: grid; grid-template-columns: repeat(3, max-content 1fr);
  gap: 0.1em 0.8em; font-size: 0.8em; margin: 0.5em 0; }
dl.column-descriptions dt { font-weight: bold; }
dl.column-descriptions dd { margin: 0; color: #555; }
td.col-text { min-width: 22em; }
"""
CSS_PATH = "/-/claims-serve.css"


async def _css() -> Response:
    return Response(CSS, content_type="text/css; charset=utf-8")


@hookimpl
def extra_css_urls(datasette: Any) -> list[str]:
    return [datasette.urls.path(CSS_PATH)]


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(r"^/$", _home), (r"^" + CSS_PATH + "$", _css)]
