"""Where the database is: --db, then CLAIMS_DB, then the user's data directory."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from claims.cli.app import app
from claims.database.engine import SCHEMA_HEAD


def run(args: list[str], env: dict[str, str | None]) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, args, env=env)
    return result.exit_code, result.stdout, result.stderr


def test_default_is_a_file_in_the_user_data_directory_created_on_first_use(
    tmp_path: Path,
) -> None:
    env = {"CLAIMS_DB": None, "XDG_DATA_HOME": str(tmp_path / "data"), "HOME": str(tmp_path)}
    code, out, _ = run(["db", "path"], env)
    expected = tmp_path / "data" / "claims" / "claims.db"
    assert code == 0 and out.strip() == str(expected)
    assert not expected.exists()  # printing the path creates nothing
    code, out, _ = run(["db", "current"], env)
    assert out.startswith("empty") and not expected.exists()
    code, _, err = run(["seed"], env)
    assert code == 0 and "Seeded" in err and expected.is_file()
    code, out, _ = run(["db", "current"], env)
    assert out.strip() == SCHEMA_HEAD


def test_db_option_beats_the_environment(tmp_path: Path) -> None:
    env = {"CLAIMS_DB": str(tmp_path / "env.db")}
    _, out, _ = run(["--db", str(tmp_path / "opt.db"), "db", "path"], env)
    assert out.strip() == str(tmp_path / "opt.db")
    _, out, _ = run(["db", "path"], env)
    assert out.strip() == str(tmp_path / "env.db")


def test_upgrade_creates_the_schema_and_reports_the_revision(tmp_path: Path) -> None:
    env = {"CLAIMS_DB": str(tmp_path / "new.db")}
    code, _, err = run(["db", "upgrade"], env)
    assert code == 0 and SCHEMA_HEAD in err
    code, out, _ = run(["db", "current"], env)
    assert out.strip() == SCHEMA_HEAD
