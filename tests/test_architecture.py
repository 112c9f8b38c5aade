"""The floors of docs/architecture.md, kept by import-linter (pyproject.toml,
[tool.importlinter]): every import points down, so there is no cycle (lazy imports and
TYPE_CHECKING imports count); every contract is exhaustive, so a module nobody placed
fails; and only claims.cli knows Typer and Rich."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
PACKAGE = ROOT / "claims"


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    """lint-imports with the project's contracts over the package copied under ``tree``."""
    return subprocess.run(
        [str(LINT_IMPORTS), str(tree / "pyproject.toml"), "--no-cache"],
        cwd=tree, capture_output=True, text=True, timeout=300,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
    )


def _contracts() -> list[dict[str, object]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["importlinter"]["contracts"]


def library_modules() -> list[str]:
    """Every module of the package, dotted ('claims.audit.undo'), packages included."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found.append(".".join(parts))
    return found


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    shutil.copytree(PACKAGE, tmp_path / "claims",
                    ignore=shutil.ignore_patterns("__pycache__", "_migrations", "_seeds"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_contracts_hold(tree: Path) -> None:
    run = _lint(tree)
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"Contracts: {len(_contracts())} kept, 0 broken." in run.stdout


def test_every_layers_contract_is_exhaustive() -> None:
    layered = [c for c in _contracts() if c["type"] == "layers"]
    assert layered and all(c.get("exhaustive") is True for c in layered)
    containers = {c for contract in layered for c in contract["containers"]}  # type: ignore[attr-defined]
    packages = {m for m in library_modules() if (ROOT / m.replace(".", "/")).is_dir()}
    # Every package with more than one floor of its own has a contract.
    assert {"claims", "claims.cli", "claims.audit", "claims.database", "claims.io",
            "claims.reads", "claims.reviews", "claims.schema", "claims.writes"} <= containers
    assert containers <= packages


def _add_line(path: Path, line: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "\n\n" + line + "\n", encoding="utf-8")


@pytest.mark.parametrize(("module", "offence", "contract"), [
    # A lazy import inside a function is still an upward arrow, and closes a cycle.
    ("claims/reads/lookup.py",
     "def _late() -> None:\n    from claims.writes.store import add_claim  # noqa",
     "The library's packages point down"),
    ("claims/vocab.py", "if False:\n    import claims.reads.query  # noqa",
     "The library's packages point down"),
    ("claims/io/items.py", "def _late() -> None:\n    from claims.io import importer  # noqa",
     "The import and export package"),
    ("claims/audit/entries.py", "def _late() -> None:\n    from claims.audit import undo  # noqa",
     "The audit log package"),
    ("claims/cli/helpers.py", "def _late() -> None:\n    from claims.cli import app  # noqa",
     "The command line: command modules over shared helpers"),
    ("claims/reads/records.py", "def _late() -> None:\n    import rich  # noqa",
     "Only the command line knows Typer and Rich"),
])
def test_an_upward_import_breaks_a_contract(tree: Path, module: str, offence: str,
                                            contract: str) -> None:
    _add_line(tree / module, offence)
    run = _lint(tree)
    assert run.returncode == 1, run.stdout
    assert f"{contract} BROKEN" in run.stdout


@pytest.mark.parametrize("where", ["claims/widgets.py", "claims/audit/widgets.py",
                                   "claims/cli/commands/widgets.py"])
def test_a_module_nobody_placed_fails(tree: Path, where: str) -> None:
    (tree / where).write_text('"""A module no floor names."""\n', encoding="utf-8")
    run = _lint(tree)
    assert run.returncode != 0
    assert "widgets" in run.stdout + run.stderr


def test_every_module_imports_on_its_own() -> None:
    # Each in a fresh interpreter: an import that only works after another module has run
    # (a cycle papered over by import order) fails here.
    code = ("import importlib, sys\n"
            "for name in sys.argv[1:]:\n"
            "    importlib.import_module(name)\n")
    modules = [m for m in library_modules() if not m.endswith("__main__")]
    for start in range(0, len(modules), 12):
        batch = modules[start:start + 12]
        for name in batch:
            run = subprocess.run([sys.executable, "-c", code, name],
                                 capture_output=True, text=True, timeout=60)
            assert run.returncode == 0, (name, run.stderr)


def test_the_root_holds_only_the_foundation() -> None:
    root_modules = sorted(p.stem for p in PACKAGE.glob("*.py"))
    assert len(root_modules) <= 15, root_modules


def test_no_module_shares_a_name_with_a_module_of_another_idea() -> None:
    # Same name in two packages only where it is the same idea (a package's writes, its
    # records as JSON, its command module).
    same_idea = {"store", "records", "export", "figures", "reviews", "audit", "claims", "db",
                 "extract", "report", "serve", "parse", "filters", "entities", "sources",
                 "timeline", "as_of", "reads", "__init__", "__main__"}
    seen: dict[str, list[str]] = {}
    for name in library_modules():
        seen.setdefault(name.rpartition(".")[2], []).append(name)
    clashes = {k: v for k, v in seen.items() if len(v) > 1 and k not in same_idea}
    assert clashes == {}


def _reexports(path: Path) -> list[str]:
    """Names a module imports from another claims module only to hand on: ``import x as x``
    (the explicit re-export spelling) or a comment saying a name lived elsewhere before."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    found = [f"{node.module}.{alias.name}" for node in ast.walk(tree)
             if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("claims")
             for alias in node.names if alias.asname == alias.name]
    if re.search(r"lived here|[Rr]e-exported", source):
        found.append("a re-export comment")
    return found


def test_each_public_name_has_one_import_path() -> None:
    shims = {str(p.relative_to(ROOT)): _reexports(p) for p in PACKAGE.rglob("*.py")
             if p != PACKAGE / "__init__.py"}
    assert {k: v for k, v in shims.items() if v} == {}


def test_the_architecture_page_names_every_module() -> None:
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = [m for m in library_modules() if m != "claims" and f"`{m}`" not in page]
    assert missing == []


def test_the_face_offers_each_name_from_the_module_that_defines_it() -> None:
    import importlib

    import claims

    for name in claims.__all__:
        if name == "__version__":
            continue
        module = importlib.import_module(claims._EXPORTS[name])
        value = getattr(module, name)
        assert getattr(claims, name) is value
        defined_in = getattr(value, "__module__", module.__name__)
        assert defined_in == module.__name__, (name, defined_in)
