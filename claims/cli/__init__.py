"""The ``claims`` command line: a thin Typer layer over the library."""

from __future__ import annotations

# First of all, Ctrl-C while the rest is still being imported ends quietly (claims.cli.guard
# explains). _signal, the C module, because importing signal itself takes a while (enum).
import _signal
import os
import sys


def _interrupted_early(_signum: int, _frame: object) -> None:
    os.write(2, b"Error: interrupted\n")
    os._exit(130)


def _is_the_claims_program() -> bool:
    # The console script, or python -m claims; not a program that imports claims.cli.
    program = sys.argv[0] if sys.argv else ""
    return (os.path.basename(program) == "claims"
            or program.endswith(os.path.join("claims", "__main__.py")))


if _is_the_claims_program() and _signal.getsignal(_signal.SIGINT) is _signal.default_int_handler:
    _signal.signal(_signal.SIGINT, _interrupted_early)

from claims.cli import guard  # noqa: E402

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
    except SystemExit as exc:
        if guard.was_interrupted(exc):
            print(guard.INTERRUPTED_LINE, file=sys.stderr)
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
