"""``claims stats`` and ``claims report``: track records and dossiers."""

import typer


def register(app: typer.Typer) -> None:
    pass
