"""Datasette plugin loaded by ``claims serve`` (through ``--plugins-dir``).

- ``claims_key(name)`` on every connection: the application's name key, so canned queries
  find an entity by any of its names or aliases exactly as the command line does.
- ``/`` goes straight to the claims view: the first thing a reader sees is the claims.
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


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(r"^/$", _home)]
