"""Commands that never touch the database load no SQLAlchemy (issue 17): ``db path`` for a
file, ``--help``, ``--version`` and shell completion, each checked in a fresh interpreter."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.probe import probe_script

PROBE = probe_script("HEAVY", "sorted(m for m in sys.modules "
                     "if m.split('.')[0] in ('sqlalchemy', 'alembic'))")


def run(argv: list[str], env: dict[str, str] | None = None) -> tuple[str, str]:
    """stdout of ``claims ARGV`` and the SQLAlchemy/Alembic modules it loaded ('[]': none)."""
    done = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, check=True)
    return done.stdout, done.stderr.rpartition("HEAVY ")[2].strip()


def test_db_path_of_a_file_loads_no_sqlalchemy(tmp_path: Path) -> None:
    target = tmp_path / "sub" / ".." / "claims.db"
    out, heavy = run(["--db", str(target), "db", "path"])
    assert out.strip() == str(target.resolve())
    assert heavy == "[]"


def test_db_path_from_the_environment_loads_no_sqlalchemy(tmp_path: Path) -> None:
    out, heavy = run(["db", "path"], {"CLAIMS_DB": str(tmp_path / "env.db")})
    assert out.strip() == str(tmp_path / "env.db")
    assert heavy == "[]"


def test_db_path_of_a_url_still_hides_the_password() -> None:
    out, _ = run(["--db", "postgresql+psycopg://ann:s3cret@db.example/claims", "db", "path"])
    assert "s3cret" not in out and "db.example/claims" in out


def test_version_loads_no_sqlalchemy() -> None:
    out, heavy = run(["--version"])
    assert out.startswith("claims ")
    assert heavy == "[]"


@pytest.mark.parametrize("words", ["claims li", "claims db p", "claims list --ent"])
def test_completion_loads_no_sqlalchemy(words: str) -> None:
    env = {"_CLAIMS_COMPLETE": "complete_bash", "COMP_WORDS": words,
           "COMP_CWORD": str(len(words.split()) - 1)}
    out, heavy = run([], env)
    last = words.split()[-1]
    assert out.split() and all(c.startswith(last) for c in out.split())
    assert heavy == "[]"
