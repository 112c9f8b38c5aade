"""The command as typed, for the audit log's change sets, with every database URL's
password masked (and a URL that cannot be parsed left out whole: any part may be secret)."""

from __future__ import annotations

import shlex
from collections.abc import Sequence

from claims.errors import DatabaseError

HIDDEN_URL = "(a database URL, not shown)"


def masked_command(argv: Sequence[str], program: str = "claims") -> str:
    shown: list[str] = []
    for arg in argv:
        prefix, _, value = arg.partition("=") if arg.startswith("--") and "=" in arg \
            else ("", "", arg)
        if "://" in value:
            value = _masked_url(value)
        shown.append(f"{prefix}={value}" if prefix else value)
    return shlex.join([program, *shown])


def _masked_url(value: str) -> str:
    from claims.db import display_url, parse_url

    try:
        url = parse_url(value)
    except DatabaseError:
        return HIDDEN_URL
    return value if url.get_backend_name() == "sqlite" else display_url(url)
