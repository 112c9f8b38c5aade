"""A ``claims`` command run in a fresh interpreter that then reports, on stderr after a
label, what it had imported: for tests of what a command loads."""

from __future__ import annotations


def probe_script(label: str, report: str) -> str:
    """Python source that runs ``claims`` with its own argv, then prints ``label`` and the
    value of the expression ``report`` (which may use ``sys``) to stderr."""
    return (
        "import sys\n"
        "from claims.cli import main\n"
        "sys.argv = ['claims', *sys.argv[1:]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stdout.flush()\n"
        f"print({label!r}, {report}, file=sys.stderr)\n"
    )
