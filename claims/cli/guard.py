"""What the process does before and around the CLI proper: Ctrl-C at any moment, and stderr
that no escape sequence passes.

Ctrl-C: Python raises ``KeyboardInterrupt`` wherever SIGINT lands, also while modules are
still being imported, before any error handler of ours exists, and the default is a
traceback. So the first thing ``claims.cli`` does (``claims/__init__.py`` imports nothing,
so that is within microseconds of start-up) is to install a handler that writes one line
and exits 130 at once: until ``main`` runs there is nothing to clean up. While the
commands run, ``interruptible`` restores the usual ``KeyboardInterrupt``
so that transactions roll back and partial files are removed on the way out, and the
error handler prints the same line. The only moments left are Python's own start-up and
the few lines of ``claims/__init__.py`` before this module loads.

stderr: ``main`` wraps it in ``SafeStream``, which writes every acting character
(claims.textsafe.visible) escaped, so a usage error that echoes a hostile argument (Click
prints the value as given) cannot drive the terminal. The progress bar, which draws with
escape sequences on purpose, writes to ``raw_stderr()`` and escapes its text itself.
"""

from __future__ import annotations

import io
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

INTERRUPTED_EXIT = 130
INTERRUPTED_LINE = "Error: interrupted"


@contextmanager
def interruptible() -> Iterator[None]:
    """Ctrl-C raises KeyboardInterrupt inside the block (for cleanup), exits at once after.
    A process started with Ctrl-C ignored (a script's background job: the shell ignores
    SIGINT for those, so that Ctrl-C stops only what runs in front) keeps ignoring it."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        yield
        return
    try:
        previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    except ValueError:
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def was_interrupted(exc: BaseException) -> bool:
    """True when ``exc`` is Typer's exit for a KeyboardInterrupt (it exits 130 silently)."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and not any(current is s for s in seen):
        if isinstance(current, KeyboardInterrupt):
            return True
        seen.append(current)
        current = current.__cause__ or current.__context__
    return False


class SafeStream(io.TextIOBase):
    """A text stream that writes ``visible`` text (newlines kept) to the stream it wraps."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self.raw_stream = stream

    def write(self, text: str) -> int:
        from claims.textsafe import visible

        self.raw_stream.write(visible(text, keep_newlines=True))
        return len(text)

    def flush(self) -> None:
        self.raw_stream.flush()

    def isatty(self) -> bool:
        return self.raw_stream.isatty()

    def fileno(self) -> int:
        return self.raw_stream.fileno()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]  # the wrapped stream's, read-only
        return self.raw_stream.encoding

    @property
    def errors(self) -> str | None:  # type: ignore[override]  # the wrapped stream's
        return self.raw_stream.errors


def safe_stderr() -> None:
    if sys.stderr is not None and not isinstance(sys.stderr, SafeStream):
        sys.stderr = SafeStream(sys.stderr)


def raw_stderr() -> Any:
    """The real stderr, for Rich's progress bar."""
    return getattr(sys.stderr, "raw_stream", sys.stderr)
