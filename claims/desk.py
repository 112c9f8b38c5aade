"""Who "we" are: the publisher name of our own fact-checking desk.

Kept free of SQLAlchemy so the CLI and the migrations can read it cheaply."""

from __future__ import annotations

import os

PUBLISHER_VAR = "CLAIMS_PUBLISHER"
DEFAULT_PUBLISHER = "Our desk"


def desk_name(given: str | None = None) -> str:
    """The name given, else ``$CLAIMS_PUBLISHER``, else "Our desk"."""
    for candidate in (given, os.environ.get(PUBLISHER_VAR)):
        if candidate and candidate.strip():
            return candidate.strip()
    return DEFAULT_PUBLISHER
