"""The library on its own: everything the CLI does, a Python caller does with one import."""

from __future__ import annotations

import pytest

import claims


def test_a_python_caller_records_and_queries_claims(db_url: str) -> None:
    db = claims.open_database(db_url)
    with db.write() as session:
        claims.store.add_source(session, "wire", title="Wire story", outlet="MENAFN",
                                published="2025-04-21")
        claims.store.add_entity(session, "Iran", kind="country", aliases=["Tehran"])
        first = claims.store.add_claim(session, "Iran denies it.", source="wire",
                                       speaker="tehran", about=["Iran"], status="disputed")
        second = claims.store.add_claim(session, "Iran is building a weapon.", source="wire",
                                        about=["IRAN"])
        claims.store.link_claims(session, first.claim.id, claims.LinkKind.CONTRADICTS,
                                 second.claim.id)
        claims.store.set_status(session, second.claim.id, claims.Status.FALSE, note="checked")
    with db.read() as session:
        about_iran = claims.query.list_claims(session, claims.ClaimFilter(about=["tehran"]))
        shown = claims.query.show_claim(session, second.claim.id)
    db.close()
    assert [c["text"] for c in about_iran] == ["Iran denies it.", "Iran is building a weapon."]
    assert shown["status"] == "false" and shown["rating"] == 1
    assert [(h["from"], h["to"]) for h in shown["history"]] == [
        (None, "unverified"), ("unverified", "false")]
    assert shown["links"][0]["direction"] == "incoming"


def test_a_failed_write_rolls_back_everything_in_its_transaction(db_url: str) -> None:
    db = claims.open_database(db_url)
    with pytest.raises(claims.NotFoundError), db.write() as session:
        claims.store.add_source(session, "wire", title="T", outlet="O")
        claims.store.add_claim(session, "x", source="missing")
    with db.read() as session:
        assert claims.query.list_sources(session) == []
    db.close()


def test_errors_carry_a_hint(db_url: str) -> None:
    db = claims.open_database(db_url)
    with pytest.raises(claims.InvalidError) as raised, db.write() as session:
        claims.store.add_entity(session, "X", kind="planet")
    db.close()
    assert "person" in (raised.value.hint or "")
    assert str(raised.value).startswith("unknown entity kind 'planet' (choose one of:")


def test_vocabulary_ratings() -> None:
    ratings = {s.value: s.rating for s in claims.Status}
    assert ratings["true"] == 5 and ratings["half-true"] == 3 and ratings["false"] == 1
    assert ratings["unverified"] is None and not claims.Status.DISPUTED.is_verdict
    assert {k.value for k in claims.LinkKind if k.symmetric} == {"contradicts", "repeats"}
