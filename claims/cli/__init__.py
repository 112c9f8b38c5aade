"""The ``claims`` command line: a thin Typer layer over the library."""

from __future__ import annotations

import os
import sys

# What a command exits with when the reader of its output goes away (``claims list | head``):
# the status a shell reports for a process ended by SIGPIPE, as cat and grep do.
BROKEN_PIPE_EXIT = 141


def main() -> None:
    from claims.cli.app import app

    try:
        app(prog_name="claims")
    except BrokenPipeError:
        _silence_stdout()
        sys.exit(BROKEN_PIPE_EXIT)
    except SystemExit:
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            _silence_stdout()
            sys.exit(BROKEN_PIPE_EXIT)
        raise


def _silence_stdout() -> None:
    # Python flushes stdout again at exit; point it at /dev/null so that flush is quiet.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
