"""``count_claims`` of an entity alone counts the ids about or by it directly (issue 17);
it must agree with the listing, including a claim that is both about and by the entity,
and with the count of the general path once any other filter joins in."""

from __future__ import annotations

import claims
from claims.reads.query import ClaimFilter, count_claims, list_claims


def _add(db: claims.Database, text: str, **kwargs: object) -> int:
    with db.write() as session:
        return claims.add_claim(session, text, source="src", allow_new_names=True,
                                      **kwargs).claim.id  # type: ignore[arg-type]


def test_an_entity_alone_is_counted_as_its_listing_is(db: claims.Database) -> None:
    with db.write() as session:
        claims.add_source(session, "src", title="T", outlet="O")
    _add(db, "About Oman only.", about=["Oman"])
    _add(db, "Oman says so of itself.", speaker="Oman", about=["Oman"])  # both: once
    _add(db, "Oman says so of Italy.", speaker="Oman", about=["Italy"])
    _add(db, "Italy alone.", about=["Italy"])
    with db.connect() as conn:
        for name in ("Oman", "Italy"):
            alone = ClaimFilter(entity=name)
            listed = len(list_claims(conn, alone))
            assert count_claims(conn, alone) == listed
            narrowed = ClaimFilter(entity=name, statuses=["unverified"])
            assert count_claims(conn, narrowed) == listed
        assert count_claims(conn, ClaimFilter(entity="Oman")) == 3
        assert count_claims(conn, ClaimFilter(entity="Oman", about=["Italy"])) == 1
