"""A Rich progress bar for library calls that report ``(name, done, total)`` as they go."""

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def table_progress(verb: str) -> Iterator[Callable[[str, int, int], None] | None]:
    """One bar per named step on stderr when it is a terminal; no callback otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress, TaskID

    with Progress(console=Console(stderr=True), transient=True) as progress:
        tasks: dict[str, TaskID] = {}

        def update(name: str, done: int, total: int) -> None:
            if name not in tasks:
                tasks[name] = progress.add_task(f"{verb} {name}", total=total or None)
            progress.update(tasks[name], completed=done)

        yield update
