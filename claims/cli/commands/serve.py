"""``claims serve``: the database in a browser (Datasette, read-only)."""

from typing import Annotated

import typer

from claims.cli.helpers import Commands, database, note

commands = Commands()


@commands()
def serve(
    ctx: typer.Context,
    port: Annotated[int, typer.Option("--port", "-p", min=0, max=65535, metavar="PORT",
                                      help="TCP port to listen on.")] = 8001,
    host: Annotated[str, typer.Option(
        "--host", metavar="ADDRESS",
        help="Address to listen on; the default is this machine only.")] = "127.0.0.1",
    open_browser: Annotated[bool, typer.Option(
        "--open", help="Open the claims page in your web browser.")] = False,
    immutable: Annotated[bool, typer.Option(
        "--immutable", help="Serve a file nobody writes to while it is served (faster).",
    )] = False,
) -> None:
    """Browse the claims in a web browser (Datasette, read-only)."""
    from claims.database.engine import resolve_url
    from claims.serve import require_datasette, servable_path, serve

    root = ctx.find_root().obj
    url = resolve_url(root.get("db") if isinstance(root, dict) else None)
    path = servable_path(url.get_backend_name(), url.database)  # PostgreSQL stops here
    require_datasette()
    database(ctx).close()  # brings the schema (and its views) to the newest revision
    note(f"Serving {path} read-only at http://{host}:{port}/ (Ctrl-C stops)")
    serve(path, host=host, port=port, open_browser=open_browser, immutable=immutable)

