"""The ``claims`` command line: a thin Typer layer over the library."""

from __future__ import annotations


def main() -> None:
    from claims.cli.app import app

    app(prog_name="claims")
