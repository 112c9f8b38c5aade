"""The library on its own: everything the CLI does, a Python caller does with one import."""

from __future__ import annotations

import pytest

import claims
from tests.conftest import Cli


def test_a_python_caller_records_and_queries_claims(db_url: str) -> None:
    db = claims.open_database(db_url)
    with db.write() as session:
        claims.add_source(session, "wire", title="Wire story", outlet="MENAFN",
                                published="2025-04-21")
        claims.add_entity(session, "Iran", kind="country", aliases=["Tehran"])
        first = claims.add_claim(session, "Iran denies it.", source="wire",
                                       speaker="tehran", about=["Iran"], status="disputed")
        second = claims.add_claim(session, "Iran is building a weapon.", source="wire",
                                        about=["IRAN"])
        claims.link_claims(session, first.claim.id, claims.LinkKind.CONTRADICTS,
                                 second.claim.id)
        claims.set_status(session, second.claim.id, claims.Status.FALSE, note="checked")
    with db.read() as session:
        about_iran = claims.list_claims(session, claims.ClaimFilter(about=["tehran"]))
        shown = claims.show_claim(session, second.claim.id)
    db.close()
    assert [c["text"] for c in about_iran] == ["Iran denies it.", "Iran is building a weapon."]
    assert shown["status"] == "false" and shown["rating"] == 1
    assert [(h["from"], h["to"]) for h in shown["history"]] == [
        (None, "unverified"), ("unverified", "false")]
    assert shown["links"][0]["direction"] == "incoming"


def test_core_connection_reads_give_the_session_reads_records(seeded: Cli) -> None:
    """``Database.connect()`` (Core, what ``claims list`` uses) and ``read()`` (ORM
    session) give the same records, and the same errors for unknown names."""
    db = claims.open_database(seeded.url)
    filters = [claims.ClaimFilter(entity="Tehran"), claims.ClaimFilter(about=["Iran", "Russia"]),
               claims.ClaimFilter(statuses=["disputed"], limit=1),
               claims.ClaimFilter(source="menafn-putin-iran-treaty", since="2025-01-01")]
    try:
        with db.read() as session:
            by_session = [claims.list_claims(session, f) for f in filters]
            entities = claims.list_entities(session)
        with db.connect() as conn:
            by_conn = [claims.list_claims(conn, f) for f in filters]
            assert claims.list_entities(conn) == entities
            with pytest.raises(claims.NotFoundError, match="did you mean 'Iran'"):
                claims.list_claims(conn, claims.ClaimFilter(entity="Irann"))
            with pytest.raises(claims.NotFoundError, match="no source with key 'nope'"):
                claims.count_claims(conn, claims.ClaimFilter(source="nope"))
    finally:
        db.close()
    assert by_conn == by_session
    assert all(by_session) and len(by_session[2]) == 1


def test_a_failed_write_rolls_back_everything_in_its_transaction(db_url: str) -> None:
    db = claims.open_database(db_url)
    with pytest.raises(claims.NotFoundError), db.write() as session:
        claims.add_source(session, "wire", title="T", outlet="O")
        claims.add_claim(session, "x", source="missing")
    with db.read() as session:
        assert claims.list_sources(session) == []
    db.close()


def test_errors_carry_a_hint(db_url: str) -> None:
    db = claims.open_database(db_url)
    with pytest.raises(claims.InvalidError) as raised, db.write() as session:
        claims.add_entity(session, "X", kind="planet")
    db.close()
    assert "person" in (raised.value.hint or "")
    assert str(raised.value).startswith("unknown entity kind 'planet' (choose one of:")


def test_vocabulary_ratings() -> None:
    ratings = {s.value: s.rating for s in claims.Status}
    assert ratings["true"] == 5 and ratings["half-true"] == 3 and ratings["false"] == 1
    assert ratings["unverified"] is None and not claims.Status.DISPUTED.is_verdict
    assert {k.value for k in claims.LinkKind if k.symmetric} == {"contradicts", "repeats"}
