"""A plain (non-editable) install carries its migrations and seeds: it can create, upgrade
and seed a database with no checkout in sight."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_install_creates_and_seeds_a_database(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
        check=True, capture_output=True,
    )
    wheel = next(wheels.glob("claims-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.startswith("claims/_migrations/versions/0001") for n in names)
    assert any(n.startswith("claims/_seeds/") and n.endswith(".toml") for n in names)

    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
         str(wheel)],
        check=True, capture_output=True,
    )
    # Run from an empty folder with only the installed copy importable.
    env = {**os.environ, "PYTHONPATH": str(target), "CLAIMS_DB": str(tmp_path / "new.db")}
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()

    def claims(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "claims", *args], cwd=workdir, env=env,
                              capture_output=True, text=True, check=True)

    where = subprocess.run(
        [sys.executable, "-c", "import claims.resources as r; print(r.resource_dir('migrations'))"],
        cwd=workdir, env=env, capture_output=True, text=True, check=True,
    ).stdout.strip()
    assert where.startswith(str(target))
    assert "Seeded:" in claims("seed").stderr
    rows = json.loads(claims("list", "--entity", "Iran", "--format", "json").stdout)
    assert len(rows) >= 5
    from claims.database.engine import SCHEMA_HEAD

    assert claims("db", "current").stdout.strip() == SCHEMA_HEAD
