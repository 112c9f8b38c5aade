"""Every file a command writes goes through ``output_file``: one set of rules for what may be
written over.

- Never a file the command reads (its input), never the database or the files SQLite keeps
  beside it (``-wal``, ``-shm``, ``-journal``), never a directory. Compared by the file
  itself (device and inode) as well as by name, so a hard link or a second spelling of the
  same path is caught, and a name that does not exist yet is still refused when it is one
  of those.
- A symbolic link is followed: the file it points at is what gets written (and checked).
- A FIFO or a character device (``/dev/stdout``, ``/dev/null``, a pipe made with mkfifo) is
  written in place: replacing it would take it away from whoever reads it.
- A regular file, or a new name, is written beside the target first and renamed over it
  when the writing succeeded: a failed command leaves the old file (or none) behind, never
  half a file. An existing file keeps its permission bits.
- ``-`` is standard output.
"""

from __future__ import annotations

import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from claims.errors import InvalidError

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

STDOUT = "-"
# scheme:/ or scheme:// (a Path argument has already made "://" one slash).
_URL_START = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:/")
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")


Protected = Mapping[str | os.PathLike[str], str] | Iterable[str | os.PathLike[str]]


def database_files(url: URL | None) -> dict[Path, str]:
    """The files an SQLite database consists of, each with what it is (none for a server)."""
    if url is None or url.get_backend_name() != "sqlite":
        return {}
    name = url.database or ""
    if not name or name == ":memory:":
        return {}
    if name.startswith("file:"):
        from urllib.parse import unquote, urlsplit

        name = unquote(urlsplit(name).path)
    main = Path(name)
    return {main: "the database", **{main.with_name(main.name + side):
                                     f"the database's {side[1:]} file"
                                     for side in SQLITE_SIDE_FILES}}


def _roles(protected: Protected) -> list[tuple[Path, str]]:
    if isinstance(protected, Mapping):
        return [(Path(os.fspath(p)), role) for p, role in protected.items()]
    return [(Path(os.fspath(p)), "a file this command reads") for p in protected]


def check_target(target: str | os.PathLike[str], protected: Protected = ()) -> Path:
    """The real path ``target`` names, once it is known to be writable under the rules
    above; an ``InvalidError`` naming the reason otherwise."""
    given = os.fspath(target)
    if not given:
        raise InvalidError("the output path is empty", "give a file name, or - for stdout")
    if _URL_START.match(given):
        # Most likely "$CLAIMS_DB" given as the output: a URL whose password no message may
        # repeat, and never a file anyone meant to create.
        raise InvalidError("the output path is a URL (not shown: it may hold a password)",
                           "give a file name, or - for stdout")
    real = Path(os.path.realpath(given))
    shown = repr(given)
    try:
        info: os.stat_result | None = os.stat(real)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise InvalidError(f"cannot write {shown}: {exc.strerror}", "choose another path") from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise InvalidError(f"{shown} is a directory", "give a file name inside it")
    if info is not None and not _writable_in_place(info) and not stat.S_ISREG(info.st_mode):
        raise InvalidError(f"{shown} is not a regular file, FIFO or character device",
                           "choose another path")
    for other, role in _roles(protected):
        if _same_file(real, info, other):
            raise InvalidError(f"refusing to write {shown}: it is {role}",
                               "choose another output path")
    if info is None and not real.parent.is_dir():
        raise InvalidError(f"directory {str(real.parent)!r} does not exist", "create it first")
    return real


def _writable_in_place(info: os.stat_result) -> bool:
    return stat.S_ISFIFO(info.st_mode) or stat.S_ISCHR(info.st_mode)


def _same_file(real: Path, info: os.stat_result | None, other: Path) -> bool:
    other_real = Path(os.path.realpath(other))
    if other_real == real:
        return True
    if info is None:
        return False
    try:
        other_info = os.stat(other_real)
    except OSError:
        return False
    return (other_info.st_dev, other_info.st_ino) == (info.st_dev, info.st_ino)


@contextmanager
def output_file(target: str | os.PathLike[str], protected: Protected = (),
                *, encoding: str = "utf-8") -> Iterator[TextIO]:
    """A text stream onto ``target`` that follows the module's rules; ``protected`` are the
    paths it must never be (inputs, database files), optionally mapped to what each is, for
    the message. The write is complete, or (for a
    regular file) does not happen at all, when the block raises."""
    if os.fspath(target) == STDOUT:
        yield sys.stdout
        return
    real = check_target(target, protected)
    try:
        info: os.stat_result | None = os.stat(real)
    except FileNotFoundError:
        info = None
    if info is not None and _writable_in_place(info):
        with open(real, "w", encoding=encoding, newline="") as out:
            yield out
        return
    with _replacing(real, info, encoding) as out:
        yield out


def _new_file_mode() -> int:
    # What open() would have given a new file: mkstemp makes it private (0600) instead.
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


@contextmanager
def _replacing(real: Path, info: os.stat_result | None, encoding: str) -> Iterator[TextIO]:
    try:
        handle, partial = tempfile.mkstemp(dir=real.parent, prefix=f".{real.name}.",
                                           suffix=".partial")
    except OSError as exc:
        raise InvalidError(f"cannot write in {str(real.parent)!r}: {exc.strerror}",
                           "choose a directory you can write to") from None
    try:
        os.chmod(partial, stat.S_IMODE(info.st_mode) if info is not None else _new_file_mode())
        with open(handle, "w", encoding=encoding, newline="") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, real)
    finally:
        Path(partial).unlink(missing_ok=True)
