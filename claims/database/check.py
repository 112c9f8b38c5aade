"""Is the database sound? The engine's own checks, then the library's invariants.

``check_database`` runs, in order:

- ``integrity``: SQLite's ``PRAGMA integrity_check`` (every page, index and constraint);
  PostgreSQL checks its pages itself, so the check is reported as passed there.
- ``foreign keys``: ``PRAGMA foreign_key_check`` (SQLite enforces foreign keys only per
  connection, so a file written by another program may break them).
- ``status events``: every claim points at a history row, and that row is its own.
- ``text hashes``: every ``claims.text_hash`` is the hash of its text (import matching and
  the duplicate rule depend on it).
- ``due-date statuses``: every due date's copy of its claim's status (``claim_due.
  claim_status``, kept by triggers) is the status the history gives.
- ``full-text index``: SQLite's FTS5 index agrees with the claims table, and the triggers
  that keep it so are there. On PostgreSQL the search vector is a generated column and
  cannot disagree.

``repair=True`` fixes what can be fixed without judgement: the hashes and the due dates'
statuses are recomputed, and the FTS index is rebuilt from the table. Nothing else is
changed. ``quick_check`` is the cheap page-level test (``PRAGMA quick_check``) run before writes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, text, update

from claims.database.engine import Database
from claims.errors import DatabaseError
from claims.parse import text_hash
from claims.schema.tables import claim_due, claims, status_history

FTS_TRIGGERS = ("claims_fts_after_insert", "claims_fts_after_delete", "claims_fts_after_update")
SHOWN_PROBLEMS = 5
HASH_CHUNK = 10_000


@dataclass
class Finding:
    name: str
    problems: list[str] = field(default_factory=list)
    repaired: int = 0
    repairable: bool = False
    # Why the check could not run (it needs a write: FTS5's integrity-check on a file opened
    # read-only); not a problem with the data.
    skipped: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems or self.repaired > 0

    def line(self) -> str:
        if self.skipped and not self.problems:
            return f"{self.name}: not checked ({self.skipped})"
        if not self.problems:
            return f"{self.name}: ok"
        shown = "; ".join(self.problems[:SHOWN_PROBLEMS])
        more = len(self.problems) - SHOWN_PROBLEMS
        detail = shown + (f"; and {more} more" if more > 0 else "")
        if self.repaired:
            return f"{self.name}: repaired ({detail})"
        return f"{self.name}: FAILED ({detail})"


@dataclass
class CheckReport:
    findings: list[Finding]

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.findings)


def check_database(database: Database, *, repair: bool = False) -> CheckReport:
    """Every check above; with ``repair``, hashes and the FTS index are fixed in one write."""
    sqlite = database.dialect == "sqlite"
    findings = []
    with database.engine.connect() as conn:
        findings.append(_integrity(conn) if sqlite else Finding("integrity"))
        findings.append(_foreign_keys(conn) if sqlite else Finding("foreign keys"))
        findings.append(_status_events(conn))
    with database.connect() as conn:
        hashes = Finding("text hashes", _wrong_hashes(conn), repairable=True)
        dues = Finding("due-date statuses", _wrong_due_statuses(conn), repairable=True)
        fts = _fts(conn) if sqlite else Finding("full-text index")
    findings += [hashes, dues, fts]
    if repair and (hashes.problems or dues.problems or fts.problems):
        with database.write() as session:
            conn = session.connection()
            if hashes.problems:
                hashes.repaired = _repair_hashes(conn)
            if dues.problems:
                dues.repaired = conn.execute(
                    update(claim_due).where(_due_status_wrong())
                    .values(claim_status=_current_status())).rowcount
            if fts.problems and fts.repairable:
                conn.exec_driver_sql("INSERT INTO claims_fts (claims_fts) VALUES ('rebuild')")
                fts.repaired = 1
    return CheckReport(findings)


def quick_check(database: Database) -> None:
    """Refuse to write into an SQLite file whose pages are damaged (cheap: no index scans)."""
    if database.dialect != "sqlite":
        return
    with database.engine.connect() as conn:
        result = [row[0] for row in conn.exec_driver_sql("PRAGMA quick_check")]
    if result != ["ok"]:
        raise DatabaseError(f"the database file is damaged: {result[0]}",
                            "run 'claims db check'; restore a backup if it cannot repair it")


def _integrity(conn: Any) -> Finding:
    rows = [row[0] for row in conn.exec_driver_sql("PRAGMA integrity_check")]
    return Finding("integrity", [] if rows == ["ok"] else rows)


def _foreign_keys(conn: Any) -> Finding:
    rows = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
    return Finding("foreign keys", [f"{table} row {rowid} names a missing {parent}"
                                    for table, rowid, parent, _ in rows])


def _status_events(conn: Any) -> Finding:
    rows = conn.execute(text(
        "SELECT c.id, h.claim_id FROM claims c LEFT JOIN status_history h"
        " ON h.id = c.status_event_id WHERE h.id IS NULL OR h.claim_id <> c.id"
        " ORDER BY c.id")).all()
    return Finding("status events", [
        f"claim {claim_id} has no status" if owner is None
        else f"claim {claim_id}'s status belongs to claim {owner}" for claim_id, owner in rows])


def _current_status() -> Any:
    """The status the history gives the claim of each ``claim_due`` row."""
    return (select(status_history.c.to_status)
            .join(claims, claims.c.status_event_id == status_history.c.id)
            .where(claims.c.id == claim_due.c.claim_id).scalar_subquery())


def _due_status_wrong() -> Any:
    return claim_due.c.claim_status.is_distinct_from(_current_status())


def _wrong_due_statuses(conn: Any) -> list[str]:
    """Due dates whose copy of the status (kept by revision 0015's triggers) is not the
    history's: only possible when someone dropped or disabled those triggers."""
    rows = conn.execute(select(claim_due.c.claim_id).where(_due_status_wrong())
                        .order_by(claim_due.c.claim_id)).scalars()
    return [f"claim {claim_id}'s due date has another status than its history" for claim_id in rows]


def _claim_texts(conn: Any) -> Iterator[list[Any]]:
    last = 0
    while True:
        rows = conn.execute(text("SELECT id, text, text_hash FROM claims WHERE id > :last"
                                 " ORDER BY id LIMIT :n"), {"last": last, "n": HASH_CHUNK}).all()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _wrong_hashes(conn: Any) -> list[str]:
    return [f"claim {claim_id}" for rows in _claim_texts(conn)
            for claim_id, claim_text, stored in rows if stored != text_hash(claim_text)]


def _repair_hashes(conn: Any) -> int:
    from claims.schema.uniqueness import next_copy

    fixed = 0
    for rows in list(_claim_texts(conn)):
        for claim_id, claim_text, stored in rows:
            wanted = text_hash(claim_text)
            if stored == wanted:
                continue
            source_id = conn.execute(text("SELECT source_id FROM claims WHERE id = :id"),
                                     {"id": claim_id}).scalar_one()
            # The right hash may make it a twin of a claim of its source: keep both, as
            # --force would have, rather than fail the repair.
            conn.execute(text("UPDATE claims SET text_hash = :hash, text_copy = :copy"
                              " WHERE id = :id"),
                         {"hash": wanted, "copy": next_copy(conn, source_id, wanted),
                          "id": claim_id})
            fixed += 1
    return fixed


def _fts(conn: Any) -> Finding:
    finding = Finding("full-text index", repairable=True)
    present = {name for (name,) in conn.execute(text(
        "SELECT name FROM sqlite_master WHERE type = 'trigger'"))}
    missing = [name for name in FTS_TRIGGERS if name not in present]
    if missing:
        finding.problems.append(f"trigger {', '.join(missing)} missing (run 'claims db "
                                "upgrade' after restoring it; a rebuild alone will drift)")
        finding.repairable = False
    try:
        conn.exec_driver_sql(
            "INSERT INTO claims_fts (claims_fts, rank) VALUES ('integrity-check', 1)")
    except Exception as exc:  # the driver's error says what FTS5 found
        detail = str(getattr(exc, "orig", exc)).splitlines()[0]
        if "readonly" in detail:
            finding.skipped = "the database is open read-only"
            return finding
        finding.problems.append(f"the index disagrees with the claims table (FTS5: {detail})")
    return finding
