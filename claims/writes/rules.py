"""The domain's checks, each worded once, as pure functions of what the caller looked up.

``claims.writes.store`` feeds them one-row lookups (``claims add``, ``claims link`` ...), the bulk
writers of ``claims.io`` feed them batch lookups; both raise the same error with the same
message for the same bad input.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from claims.errors import ConflictError, InvalidError
from claims.names import quoted
from claims.parse import clean_text, parse_date
from claims.vocab import SourceKind, parse_choice

NAME_HINT = "names and aliases are unique, ignoring case"


# --- sources ------------------------------------------------------------------------------


def clean_source_key(key: str) -> str:
    """A source key as stored: trimmed, non-empty, no white space (it is typed in shells)."""
    cleaned = clean_text(key, "source key", required=True)
    if any(ch.isspace() for ch in cleaned):
        raise InvalidError(f"source key {key!r} contains spaces", "use a slug like menafn-treaty")
    return cleaned


@dataclass
class SourceFields:
    """A source's fields as stored, every one checked; ``via`` is the other source's key."""

    key: str
    title: str
    outlet: str
    url: str | None
    published: date | None
    kind: str
    via: str | None
    notes: str | None


def source_fields(key: str, *, title: str | None, outlet: str | None, url: str | None,
                  published: str | date | None, kind: str | SourceKind, via: str | None,
                  notes: str | None) -> SourceFields:
    """The checks every new source passes, from ``claims source add`` or from an import."""
    return SourceFields(
        key=clean_source_key(key),
        title=_required(title, "title"),
        outlet=_required(outlet, "outlet"),
        url=clean_text(url, "URL"),
        published=parse_date(published, "published date"),
        kind=parse_choice(SourceKind, kind, "source kind").value,
        via=clean_text(via, "via source"),
        notes=clean_text(notes, "notes"),
    )


def check_key_free(key: str, taken: bool) -> None:
    if taken:
        raise ConflictError(f"source key {key!r} is taken", "choose another key")


def check_url_free(owner_key: str | None) -> None:
    """``owner_key``: the key of the stored source that already has the URL, if any."""
    if owner_key is not None:
        raise ConflictError(f"URL already belongs to source {owner_key!r}", "use that source")


# --- entity names -------------------------------------------------------------------------


def check_name_free(display: str, owner: str | None, *, own: bool = False) -> None:
    """A name or alias belongs to one entity. ``owner``: the name of the entity that has it
    already; ``own``: the entity being named has it already (given twice)."""
    if own:
        raise ConflictError(f"the name {display!r} is already its own name or alias", NAME_HINT)
    if owner is not None:
        raise ConflictError(f"the name {display!r} is already {owner!r} name or alias",
                            NAME_HINT)


def check_not_likely_typo(display: str, near_misses: list[str]) -> None:
    """``claims add`` and ``claims edit`` refuse an unknown name close to a known one unless
    told (--new). Import creates unknown names as given (docs: "Import and export")."""
    if near_misses:
        raise InvalidError(f"unknown name {display!r}: did you mean {quoted(near_misses)}?",
                           "fix the spelling, or pass --new to create it")


# --- links --------------------------------------------------------------------------------


def check_not_self_link(from_id: int, to_id: int) -> None:
    if from_id == to_id:
        raise InvalidError(f"claim {from_id} cannot be linked to itself", "name two claims")


def check_no_updates_loop(from_id: int, to_id: int, closes_loop: bool) -> None:
    """``closes_loop``: ``to_id`` already reaches ``from_id`` along ``updates`` links."""
    if closes_loop:
        raise ConflictError(
            f"claim {to_id} already updates claim {from_id}, directly or through others",
            "an 'updates' chain cannot loop back on itself",
        )


def _required(value: str | None, what: str) -> str:
    return clean_text(value, what, required=True)
