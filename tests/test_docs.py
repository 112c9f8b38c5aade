"""The promises the docs make: help for every command, README commands, fast start-up."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import typer
from typer.main import get_command
from typer.testing import CliRunner

from claims import __version__
from claims.cli.app import app

ROOT = Path(__file__).resolve().parent.parent


def all_commands() -> list[tuple[str, object]]:
    """Every command and group, as 'entity add' style paths."""
    found: list[tuple[str, object]] = []

    def walk(command: object, path: str) -> None:
        found.append((path, command))
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, f"{path} {name}".strip())

    walk(get_command(app), "")
    return found


def test_every_command_has_help_text() -> None:
    missing = [
        path
        for path, command in all_commands()
        if path and not (getattr(command, "help", None) or "").strip()
    ]
    assert missing == []
    assert len(all_commands()) > 15


def test_every_command_answers_help() -> None:
    runner = CliRunner()
    for path, _ in all_commands():
        result = runner.invoke(app, [*path.split(), "--help"])
        assert result.exit_code == 0, path
        assert "Usage:" in result.stdout


def test_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.stdout.strip() == f"claims {__version__}"


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.+?)\n```", text, flags=re.S)[:2]


def test_readme_opens_with_run_and_test_commands_and_ci_runs_the_test_one() -> None:
    run_command, test_command = readme_commands()
    assert "claims seed" in run_command and "pip install" in run_command
    assert "[test]" in test_command and "pytest" in test_command
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in ci_lines


def run_and_list_modules(argv: list[str], prefixes: tuple[str, ...]) -> tuple[str, str]:
    """Runs ``claims ARGV`` in a fresh interpreter; its stdout, and the loaded modules whose
    names start with one of ``prefixes`` (as text: '[]' when none)."""
    code = (
        f"import sys; from claims.cli import main; sys.argv = ['claims', *{argv!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"heavy = sorted(m for m in sys.modules if m.startswith({prefixes!r}))\n"
        "print('HEAVY', heavy, file=sys.stderr)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return result.stdout, result.stderr.rpartition("HEAVY ")[2].strip()


def test_help_imports_neither_sqlalchemy_nor_alembic() -> None:
    stdout, heavy = run_and_list_modules(["--help"], ("sqlalchemy", "alembic"))
    assert heavy == "[]"
    assert "Usage:" in stdout


def test_listing_and_searching_load_neither_the_orm_nor_alembic(tmp_path: Path) -> None:
    """``claims list`` and ``claims search`` read through Core alone (issue 5's start-up
    budget): the ORM's import and mapper set-up are a large share of a short command."""
    db = str(tmp_path / "claims.db")
    subprocess.run([sys.executable, "-m", "claims", "--db", db, "seed"],
                   capture_output=True, check=True)
    heavy_prefixes = ("sqlalchemy.orm", "alembic")

    listed, heavy = run_and_list_modules(
        ["--db", db, "list", "--entity", "Iran", "--limit", "5"], heavy_prefixes)
    assert heavy == "[]"
    assert len(listed.splitlines()) == 5
    assert all("Iran" in line for line in listed.splitlines())

    found, heavy = run_and_list_modules(["--db", db, "search", "Bushehr"], heavy_prefixes)
    assert heavy == "[]"
    assert found and all("bushehr" in line.lower() for line in found.splitlines())


def test_library_never_imports_the_cli_layer() -> None:
    for path in (ROOT / "claims").rglob("*.py"):
        parts = path.relative_to(ROOT / "claims").parts
        if "cli" in parts or parts == ("__main__.py",):
            continue
        source = path.read_text(encoding="utf-8")
        assert not re.search(
            r"^\s*(import|from)\s+(typer|rich|claims\.cli)\b", source, flags=re.M
        ), path


def test_ruff_is_clean() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", str(ROOT)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout


def test_typer_is_the_public_api_used() -> None:
    # Typer bundles its own Click; reaching into it would break on upgrades.
    for path in (ROOT / "claims" / "cli").rglob("*.py"):
        assert "typer._click" not in path.read_text(encoding="utf-8"), path
    assert typer.Exit


def test_listing_claims_loads_neither_the_orm_nor_alembic(tmp_path: Path) -> None:
    """``claims list`` reads through Core alone (issue 5's start-up budget): the ORM's import
    and mapper set-up are a large share of a short command's time."""
    db = tmp_path / "claims.db"
    subprocess.run([sys.executable, "-m", "claims", "--db", str(db), "seed"],
                   capture_output=True, check=True)
    code = (
        "import sys; from claims.cli import main\n"
        f"sys.argv = ['claims', '--db', {str(db)!r}, 'list', '--entity', 'Iran', '--limit', '5']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in sys.modules if m.startswith(('sqlalchemy.orm', 'alembic')))\n"
        "print('HEAVY', heavy, file=sys.stderr)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert "HEAVY []" in result.stderr
    assert len(result.stdout.splitlines()) == 5
    assert all("Iran" in line or "Tehran" in line for line in result.stdout.splitlines())


def test_command_modules_keep_their_annotations_evaluated() -> None:
    """Typer evaluates string annotations one ``eval`` at a time whenever it builds the CLI
    (completion does, on every TAB); the command modules keep them as objects."""
    for path in (ROOT / "claims" / "cli").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        if "typer.Option(" in source or "typer.Argument(" in source or "command(" in source:
            assert not re.search(r"^from __future__ import annotations", source, re.M), path
