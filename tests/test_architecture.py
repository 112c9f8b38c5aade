"""The layering of docs/architecture.md, kept by import-linter (pyproject.toml,
[tool.importlinter]): every import points down, so there is no cycle (lazy imports and
TYPE_CHECKING imports count), and only claims.cli knows Typer and Rich."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    """lint-imports with the project's contracts over the package copied under ``tree``."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(tree / "pyproject.toml"), "--no-cache"],
        cwd=tree, capture_output=True, text=True, timeout=300,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "claims", tmp_path / "claims",
                    ignore=shutil.ignore_patterns("__pycache__", "_migrations", "_seeds"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_contracts_hold(tree: Path) -> None:
    run = _lint(tree)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Contracts: 4 kept, 0 broken." in run.stdout


def _add_line(path: Path, line: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "\n\n" + line + "\n", encoding="utf-8")


@pytest.mark.parametrize(("module", "offence", "contract"), [
    # A lazy import inside a function is still an upward arrow, and closes a cycle.
    ("claims/lookup.py", "def _late() -> None:\n    from claims.store import add_claim  # noqa",
     "The library's layers point down"),
    ("claims/vocab.py", "if False:\n    import claims.query  # noqa",
     "The library's layers point down"),
    ("claims/io/records.py", "def _late() -> None:\n    from claims.io import importer  # noqa",
     "The import and export modules point down"),
    ("claims/cli/helpers.py", "def _late() -> None:\n    from claims.cli import app  # noqa",
     "The command line points down to a leaf of helpers"),
    ("claims/records.py", "def _late() -> None:\n    import rich  # noqa",
     "Only the command line knows Typer and Rich"),
])
def test_an_upward_import_breaks_a_contract(tree: Path, module: str, offence: str,
                                            contract: str) -> None:
    _add_line(tree / module, offence)
    run = _lint(tree)
    assert run.returncode == 1, run.stdout
    assert f"{contract} BROKEN" in run.stdout


def test_every_command_module_imports_on_its_own() -> None:
    for name in ("app", "claims_cmds", "db_cmds", "entities", "find", "helpers", "options",
                 "render", "sources", "transfer"):
        run = subprocess.run([sys.executable, "-c", f"import claims.cli.{name}"],
                             capture_output=True, text=True, timeout=60)
        assert run.returncode == 0, (name, run.stderr)
