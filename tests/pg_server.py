"""A throw-away PostgreSQL server for the test run, started on first need.

When ``CLAIMS_TEST_PG_URL`` is set (CI's .ci/postgres.sh sets it), that server is used
as it is. Otherwise, wherever PostgreSQL's binaries are installed (on PATH or in
/usr/lib/postgresql/*/bin), the suite makes a new cluster in a temporary directory,
listening on 127.0.0.1 on a free port with its socket inside that directory, and removes
it when the run ends. Only when no binaries exist is the PostgreSQL half skipped.

initdb refuses to run as root, so as root the cluster belongs to the ``postgres`` system
user when there is one, else to ``nobody``.
"""

from __future__ import annotations

import atexit
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

PG_URL_VAR = "CLAIMS_TEST_PG_URL"
_BINARIES = ("initdb", "pg_ctl", "postgres")


def _bin_dir() -> Path | None:
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(os.path.realpath(found)).parent
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        reverse=True,
    )
    for folder in versions:
        if all((folder / name).exists() for name in _BINARIES):
            return folder
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _owner() -> str | None:
    """The system user to run the cluster as; None means the current user."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    return None


class _Server:
    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.owner = _owner()
        self.dir = Path(tempfile.mkdtemp(prefix="claims-test-pg-"))
        self.data = self.dir / "data"
        self.port = _free_port()
        self.password = secrets.token_hex(12)
        if self.owner:
            entry = pwd.getpwnam(self.owner)
            os.chown(self.dir, entry.pw_uid, entry.pw_gid)
        os.chmod(self.dir, 0o700)

    def _run(self, *args: str) -> None:
        subprocess.run(
            [str(self.bin_dir / args[0]), *args[1:]],
            check=True,
            capture_output=True,
            cwd=self.dir,
            user=self.owner,
        )

    def start(self) -> str:
        pwfile = self.dir / "pw"
        pwfile.write_text(self.password + "\n")
        if self.owner:
            entry = pwd.getpwnam(self.owner)
            os.chown(pwfile, entry.pw_uid, entry.pw_gid)
        self._run(
            "initdb", "-D", str(self.data), "-U", "postgres", f"--pwfile={pwfile}",
            "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8",
            "--locale=C", "--no-sync",
        )
        pwfile.unlink()
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off "
            "-c full_page_writes=off -c synchronous_commit=off -c max_connections=100 "
            "-c TimeZone=UTC"
        )
        self._run(
            "pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.dir / "log"),
            "-w", "-t", "60", "start",
        )
        atexit.register(self.stop)
        self._create_role()
        return (
            f"postgresql+psycopg://claims:{self.password}@127.0.0.1:{self.port}/claims_test"
        )

    def _create_role(self) -> None:
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", password=self.password,
            dbname="postgres", autocommit=True,
        ) as conn:
            conn.execute(
                f"CREATE ROLE claims LOGIN CREATEDB PASSWORD '{self.password}'"
            )
            conn.execute("CREATE DATABASE claims_test OWNER claims")
        with psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", password=self.password,
            dbname="claims_test", autocommit=True,
        ) as conn:
            conn.execute("ALTER SCHEMA public OWNER TO claims")

    def stop(self) -> None:
        if self.data.exists():
            subprocess.run(
                [str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                 "-w", "stop"],
                capture_output=True, cwd=self.dir, user=self.owner, check=False,
            )
        shutil.rmtree(self.dir, ignore_errors=True)


_started: str | None = None
_failure: str | None = None


def server_url() -> str | None:
    """The URL of the test run's PostgreSQL database, starting a server if need be;
    None (with ``failure()`` saying why) when there is none to be had."""
    global _started, _failure
    given = os.environ.get(PG_URL_VAR)
    if given:
        return given
    if _started or _failure:
        return _started
    bin_dir = _bin_dir()
    if bin_dir is None:
        _failure = f"no PostgreSQL binaries found (install them, or set {PG_URL_VAR})"
        return None
    server = _Server(bin_dir)
    try:
        _started = server.start()
    except (OSError, subprocess.CalledProcessError) as error:
        server.stop()
        detail = getattr(error, "stderr", b"") or b""
        _failure = f"could not start PostgreSQL: {error} {detail.decode(errors='replace')}"
        return None
    # Subprocesses the tests start (concurrent writers, installs) see the same server.
    os.environ[PG_URL_VAR] = _started
    return _started


def failure() -> str:
    return _failure or "PostgreSQL is not available"
