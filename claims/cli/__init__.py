"""The ``claims`` command line: a thin Typer layer over the library."""

from __future__ import annotations

import atexit
import gc
import os
import sys

# First of all, Ctrl-C while the rest is still being imported ends quietly (claims.cli.guard
# explains). _signal, the C module, because importing signal itself takes a while (enum).
# Type checkers read signal's stubs for it (typeshed has none of _signal): the same functions.
TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    import signal as _signal
else:
    import _signal


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


# A command allocates some 60,000 objects that live as long as the process (the modules,
# classes and functions of Typer and SQLAlchemy). At Python's default threshold of 700 the
# collector runs over them about 120 times to free next to nothing; from this one on, a
# quick command never collects, and a long one (import, serve) still collects once per this
# many new objects. At exit, Python collects once more over every object: freezing them
# first skips that pass, which frees nothing the end of the process does not (module
# teardown and atexit still run). Together: ``claims list`` at 100k, 382 -> 300 ms CPU.
GC_FIRST_THRESHOLD = 100_000


def main() -> None:
    gc.set_threshold(GC_FIRST_THRESHOLD, *gc.get_threshold()[1:])
    atexit.register(gc.freeze)  # registered first, so it runs after every other handler
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
