"""The library's exceptions. The CLI turns each into one line: ``Error: <what> (<fix>)``."""

from __future__ import annotations


class ClaimsError(Exception):
    """Base of every error the library raises on purpose.

    ``hint`` says how to fix the problem; the CLI prints it in parentheses.
    """

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class NotFoundError(ClaimsError):
    """A claim, entity or source named by the caller does not exist."""


class InvalidError(ClaimsError):
    """A value is outside its vocabulary, unparseable, empty or otherwise malformed."""


class ConflictError(ClaimsError):
    """The request clashes with what is stored: a taken key, a duplicate link, a cycle."""


class DatabaseError(ClaimsError):
    """The database cannot be opened or used: missing directory, not a database, too new."""
