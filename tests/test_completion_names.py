"""Shell completion finds the database where the library does (``claims.settings``) and
compares names as the library does (``claims.names``): a name typed in another case, width
or spacing is offered, without SQLAlchemy and without ever creating a database file. (The
old completion casefolded what was typed: full-width letters and extra spaces found
nothing.)"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from claims.names import name_key
from tests.probe import probe_script

PROBE = probe_script("HEAVY", "sorted(m for m in sys.modules if m.startswith('sqlalchemy'))")
BUSHEHR = "Bushehr nuclear power plant"


def _complete(words: str, env: dict[str, str]) -> tuple[list[str], str]:
    """What TAB offers for the last of ``words`` (shell-quoted), and the SQLAlchemy modules
    the completion loaded ('[]': none)."""
    count = len(shlex.split(words)) - 1
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True,
        env={**os.environ, **env, "_CLAIMS_COMPLETE": "complete_bash", "COMP_WORDS": words,
             "COMP_CWORD": str(count)})
    return [line for line in done.stdout.splitlines() if line], \
        done.stderr.rpartition("HEAVY ")[2].strip()


@pytest.fixture
def seeded_file(tmp_path: Path, sqlite_templates: dict[str, Path]) -> Path:
    path = tmp_path / "c.db"
    shutil.copyfile(sqlite_templates["seeded"], path)
    return path


@pytest.mark.parametrize("typed", [
    "".join(chr(ord(c) + 0xFEE0) for c in "BUSHEHR"),  # full-width, upper case
    "'bushehr   nuclear'",  # a run of spaces, as name_key makes one
    "'  Bushehr nuclear power'",  # leading spaces
])
def test_a_name_typed_in_another_form_is_offered(seeded_file: Path, typed: str) -> None:
    offered, heavy = _complete(f"claims list --about {typed}", {"CLAIMS_DB": str(seeded_file)})
    # Typer offers only what starts with the typed text: the name comes spelled as typed
    # as far as it was typed, which the library reads as the same name.
    assert name_key(BUSHEHR) in [name_key(name) for name in offered]
    assert all(name.startswith(shlex.split(typed)[0]) for name in offered)
    assert heavy == "[]"


def test_a_trailing_space_ends_the_word(seeded_file: Path) -> None:
    offered, _ = _complete("claims list --entity 'bushehr '", {"CLAIMS_DB": str(seeded_file)})
    assert offered and all(name_key(name).startswith("bushehr ") for name in offered)
    assert name_key(BUSHEHR) in [name_key(name) for name in offered]


def test_the_database_is_found_as_the_library_finds_it(seeded_file: Path) -> None:
    env = {"CLAIMS_DB": "/nonexistent/elsewhere.db"}
    by_option, _ = _complete(f"claims --db {seeded_file} list --about Bush", env)
    by_url, _ = _complete(f"claims --db sqlite:///{seeded_file} list --about Bush", env)
    assert BUSHEHR in by_option and BUSHEHR in by_url


def test_completion_never_creates_a_database(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {"XDG_DATA_HOME": str(data), "CLAIMS_DB": ""}
    assert _complete("claims list --entity I", env) == ([], "[]")  # the default location
    missing = tmp_path / "none.db"
    for db in (str(missing), f"sqlite:///{missing}"):
        assert _complete(f"claims --db {db} list --source g", {}) == ([], "[]")
    assert not missing.exists() and not data.exists()
