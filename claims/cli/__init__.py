"""The ``claims`` command line: a thin Typer layer over the library."""

from __future__ import annotations

# First of all: Ctrl-C while the rest is still being imported ends quietly (see guard).
from claims.cli import guard

guard.exit_on_interrupt()

import os  # noqa: E402
import sys  # noqa: E402

# What a command exits with when the reader of its output goes away (``claims list | head``):
# the status a shell reports for a process ended by SIGPIPE, as cat and grep do.
BROKEN_PIPE_EXIT = 141


def main() -> None:
    guard.safe_stderr()
    try:
        with guard.interruptible():
            from claims.cli.app import app

            app(prog_name="claims")
    except KeyboardInterrupt:
        print(guard.INTERRUPTED_LINE, file=sys.stderr)
        sys.exit(guard.INTERRUPTED_EXIT)
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
