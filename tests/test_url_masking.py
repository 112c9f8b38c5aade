"""No message, from any command that opens a database, shows any part of a password:
URLs are split at the authority's last ``@`` and an unparseable URL is never echoed."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from typer.testing import CliRunner

from claims.cli.app import app
from claims.database.engine import display_url, resolve_url
from tests import pg_server

PASSWORDS = [
    "Kq7p@ssW0rd",
    "@:Sup3rS3cret",
    "Zx9a/Bv8b?Cu7c#Dt6",
    "Mn5:Lk4:Jh3",
    "Gf2@Ds1@",
    "Qw8%Er7%41Ty6",
    "Ui5 Op4 As3",
    "Hj2'Kl1\"Zx0",
    "\u0416\u0438\u04373\u043b\u0451\u0436",  # Cyrillic
    "Cv9;Bn8&Mm7=Pp6",
    "Rr5[Tt4]Yy3",
    "Aa2\\Ss1",
    "Dd0@10.98.76.54:6543",
]

COMMANDS = [
    ["list"], ["show", "1"], ["add", "A claim", "--source", "s"], ["search", "words"],
    ["similar", "1"], ["related", "1"], ["conflicts"], ["graph"], ["history", "1"],
    ["status", "1", "false"], ["link", "1", "supports", "2"], ["unlink", "1", "supports", "2"],
    ["delete", "1", "--yes"], ["seed"], ["export"], ["import", "-", "--format", "jsonl"],
    ["entity", "list"], ["entity", "show", "Iran"], ["entity", "add", "X", "--kind", "person"],
    ["source", "list"], ["source", "show", "s"], ["db", "current"], ["db", "upgrade"],
    ["db", "path"], ["db", "backup", "x.db"], ["db", "check"],
]


def fragments(password: str) -> list[str]:
    """The pieces of a password that must never show: itself and each run of 3+ letters
    or digits in it."""
    return [password, *re.findall(r"\w{3,}", password)]


def run_all(url: str, tmp_path: Path) -> list[tuple[list[str], int, str]]:
    runner = CliRunner()
    results = []
    for args in COMMANDS:
        full = [a if a != "x.db" else str(tmp_path / "x.db") for a in args]
        result = runner.invoke(app, ["--db", url, *full], input="{}\n",
                               env={"CLAIMS_DEBUG": None, "CLAIMS_DB": None},
                               catch_exceptions=False)
        results.append((args, result.exit_code, result.stdout + result.stderr))
    return results


def assert_no_fragment(password: str, results: list[tuple[list[str], int, str]]) -> None:
    for args, code, output in results:
        for piece in fragments(password):
            assert piece not in output, (args, piece, output[:300])
        if args != ["db", "path"]:
            assert code != 0, (args, output[:300])
            assert len(output.strip().splitlines()) == 1 or output.startswith("Usage"), output


@pytest.mark.parametrize("password", PASSWORDS)
def test_no_command_shows_any_part_of_the_password(password: str, tmp_path: Path) -> None:
    # Port 1 on the loopback refuses at once: every command fails while connecting.
    url = f"postgresql+psycopg://claims:{password}@127.0.0.1:1/claimsdb"
    assert_no_fragment(password, run_all(url, tmp_path))


@pytest.mark.parametrize("password", PASSWORDS[:4])
def test_a_wrong_password_at_a_real_server_shows_none_of_it(password: str,
                                                           tmp_path: Path) -> None:
    server = pg_server.server_url()
    if not server:
        pytest.skip(f"PostgreSQL: {pg_server.failure()}")
    real = resolve_url(server)
    url = (f"postgresql+psycopg://{real.username}:{password}@{real.host}:{real.port}"
           f"/{real.database}")
    results = [r for r in run_all(url, tmp_path) if r[0] in (["list"], ["db", "current"])]
    assert_no_fragment(password, results)


@pytest.mark.parametrize("password", PASSWORDS)
def test_the_url_splits_at_the_last_at_sign(password: str) -> None:
    url = resolve_url(f"postgresql+psycopg://claims:{password}@db.example:5433/claimsdb")
    assert (url.username, url.password, url.host, url.port, url.database) == (
        "claims", unquote(password), "db.example", 5433, "claimsdb")  # %XX is an escape
    shown = display_url(url)
    assert shown == "postgresql+psycopg://claims:***@db.example:5433/claimsdb"


@pytest.mark.parametrize("raw", ["postgresql+psycopg://claims:Sup3rS3cret@host:port/db",
                                 "postgresql+psycopg://claims:Sup3rS3cret@host:99999999/db",
                                 "nodriver+x://claims:Sup3rS3cret@host/db"])
def test_an_unparseable_url_is_not_shown_at_all(raw: str) -> None:
    result = CliRunner().invoke(app, ["--db", raw, "list"], env={"CLAIMS_DEBUG": None},
                                catch_exceptions=False)
    assert result.exit_code == 1
    assert "Sup3rS3cret" not in result.stdout + result.stderr
    assert result.stderr.startswith("Error: ") and "unexpected" not in result.stderr


def test_query_passwords_are_masked() -> None:
    url = resolve_url("postgresql+psycopg://h/db?password=Zz9Yy8&sslpassword=Ww7Vv6")
    shown = display_url(url)
    assert "Zz9Yy8" not in shown and "Ww7Vv6" not in shown and shown.count("***") == 2
