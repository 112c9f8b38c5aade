"""``claims show --format json`` prints the library's record of a claim, reviews, figures
and due date included, so a Python caller gets the same record with one call."""

from __future__ import annotations

import json

import pytest

import claims
from claims.errors import NotFoundError
from claims.reviews.full_record import full_claim_record
from tests.conftest import Cli

CLAIM = "20"  # the seed claim "... Units 2 and 3 reported to be 17% complete"


def test_the_library_record_is_what_show_prints(seeded: Cli) -> None:
    seeded.ok("measure", "add", "Bushehr 2-3 progress", "--entity", "Bushehr", "--unit", "%")
    seeded.ok("figure", "add", CLAIM, "17%", "--measure", "Bushehr 2-3 progress")
    seeded.ok("edit", CLAIM, "--due", "Q3 2026")
    seeded.ok("review", "add", CLAIM, "unproven", "--url", "https://desk.example/bushehr")
    seeded.ok("review", "add", CLAIM, "false", "--by", "Other Checker")
    shown = json.loads(seeded.ok("show", CLAIM, "--format", "json").stdout)

    database = claims.open_database(seeded.url)
    try:
        with database.connect() as conn:
            record = full_claim_record(conn, int(CLAIM))
        with database.read() as session:  # an ORM session reads the same record
            assert full_claim_record(session, int(CLAIM)) == record
    finally:
        database.close()
    assert record == shown
    assert record["due"] == "2026-09-30"
    assert [f["written"] for f in record["figures"]] == ["17%"]
    assert [r["publisher"] for r in record["reviews"]] == ["Our desk", "Other Checker"]


def test_an_unknown_claim_is_not_found(db_url: str) -> None:
    database = claims.open_database(db_url)
    try:
        with database.connect() as conn, pytest.raises(NotFoundError):
            full_claim_record(conn, 424242)
    finally:
        database.close()
