"""The library type-checks: ``mypy claims`` under pyproject.toml's [tool.mypy] (strict),
and every ``type: ignore`` left in it says which error it silences and why."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "claims"

# "type: ignore[code, other-code]  # why": codes in brackets, then a comment of its own.
_IGNORE = re.compile(r"type:\s*ignore(?P<codes>\[[a-z-]+(?:,\s*[a-z-]+)*\])?(?P<after>.*)")
_REASON = re.compile(r"\s+#\s*\S")


def unexplained_ignores(source: str) -> list[tuple[int, str]]:
    """The ``(line, comment)`` of each ``type: ignore`` in ``source`` lacking a code or a
    reason. Comments only: the words inside a string are no ignore."""
    found = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type != tokenize.COMMENT:
            continue
        match = _IGNORE.search(token.string)
        if match and not (match["codes"] and _REASON.match(match["after"])):
            found.append((token.start[0], token.string))
    return found


def test_mypy_passes() -> None:
    run = subprocess.run([sys.executable, "-m", "mypy", "claims"], cwd=ROOT,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Success" in run.stdout


def test_every_ignore_names_its_code_and_reason() -> None:
    unexplained = [f"{path.relative_to(ROOT)}:{line}: {comment}"
                   for path in sorted(PACKAGE.rglob("*.py"))
                   for line, comment in unexplained_ignores(path.read_text(encoding="utf-8"))]
    assert unexplained == []


def test_the_ignore_check_catches_a_bare_or_unexplained_ignore() -> None:
    source = (
        "a = f()  # type: ignore\n"
        "b = f()  # type: ignore[arg-type]\n"
        "c = f()  # type: ignore  # no code\n"
        "d = f()  # type: ignore[arg-type]  # any JSON value\n"
        "e = f()  # type: ignore[arg-type, union-attr]  # two codes, one reason\n"
        "s = '# type: ignore'\n"
    )
    assert [line for line, _ in unexplained_ignores(source)] == [1, 2, 3]


def test_the_package_ships_its_types() -> None:
    # PEP 561: the marker tells type checkers of the code using claims to read its hints.
    assert (PACKAGE / "py.typed").is_file()
