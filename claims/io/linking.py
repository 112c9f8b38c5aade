"""Links between imported claims, written in bulk as soon as the claims they join exist.

Per batch of links: the claims they point at are found with one query per kind of
reference, the links already stored between those claims with one more, and the new rows
go in with one ``executemany``. The checks of ``claims.writes.rules`` run in Python, in file
order: no self-links, a link already there (either way round for symmetric kinds) is
skipped, and no ``updates`` link may close a loop. For that last check the ``updates``
edges reachable from the new links' targets are loaded once per batch, breadth first, and
kept in memory with the batch's new edges added as they are accepted, so each check is a
walk in Python instead of a recursive query.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from claims.errors import ClaimsError
from claims.io.batching import RecordError, new_ids
from claims.io.ids import IdCache
from claims.io.items import ClaimRef, Item, LinkInput
from claims.parse import normalise_text
from claims.reads.duplicates import claims_by_text
from claims.schema.bulk import insert_rows
from claims.schema.models import Claim, Link
from claims.schema.sql import chunks
from claims.schema.tables import utcnow
from claims.vocab import LinkKind, parse_choice
from claims.writes import rules

LINKS: Any = Link.__table__
UPDATES = LinkKind.UPDATES.value

Triple = tuple[int, str, int]  # (from claim, kind, to claim)


@dataclass
class PendingLink:
    item: Item
    from_id: int
    link: LinkInput
    to_id: int | None = None  # the target claim, once found


class UpdatesGraph:
    """The ``updates`` edges that matter for the cycle check, stored and new."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.edges: dict[int, set[int]] = defaultdict(set)
        self.loaded: set[int] = set()  # claims whose stored outgoing edges are all in ``edges``

    def load_reach(self, starts: Iterable[int]) -> None:
        """Loads every stored ``updates`` edge reachable from ``starts``, level by level."""
        frontier = [c for c in set(starts) if c not in self.loaded]
        while frontier:
            self.loaded.update(frontier)
            reached: set[int] = set()
            for chunk in chunks(frontier):
                rows = self.session.execute(
                    select(Link.from_id, Link.to_id)
                    .where(Link.kind == UPDATES, Link.from_id.in_(chunk)))
                for from_id, to_id in rows:
                    self.edges[from_id].add(to_id)
                    reached.add(to_id)
            frontier = [c for c in reached if c not in self.loaded]

    def reaches(self, start: int, goal: int) -> bool:
        """Whether ``start`` leads to ``goal`` along ``updates`` edges (``start`` loaded)."""
        seen = {start}
        stack = [start]
        while stack:
            node = stack.pop()
            if node == goal:
                return True
            for nxt in self.edges.get(node, ()):
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        return False


class LinkWriter:
    """Writes batches of ``PendingLink``; finds the sources links name through ``ids``."""

    def __init__(self, session: Session, ids: IdCache) -> None:
        self.session = session
        self.ids = ids
        self.graph = UpdatesGraph(session)

    def partition(self, pending: list[PendingLink]) -> tuple[list[PendingLink], list[PendingLink]]:
        """``pending`` split in file order into the links whose target claim is stored, and
        the others."""
        self._find_targets(pending)
        ready = [p for p in pending if p.to_id is not None]
        waiting = [p for p in pending if p.to_id is None]
        return ready, waiting

    def _find_targets(self, pending: list[PendingLink]) -> None:
        unresolved = [p for p in pending if p.to_id is None]
        targets = self._targets({p.link.to for p in unresolved})
        for p in unresolved:
            p.to_id = targets.get(p.link.to)

    def write(self, batch: list[PendingLink]) -> int:
        """Returns how many links were created. Raises ``RecordError`` for the first link
        of the batch that cannot be written; nothing is written then."""
        # The edges of earlier batches are stored by now: a fresh graph loads what it
        # needs, and memory does not grow with the input.
        self.graph = UpdatesGraph(self.session)
        self._find_targets(batch)
        ends = {p.from_id for p in batch} | {p.to_id for p in batch if p.to_id is not None}
        present = self._stored_between(ends)
        self.graph.load_reach(p.to_id for p in batch
                              if p.link.kind == UPDATES and p.to_id is not None)
        rows: list[dict[str, Any]] = []
        added: list[tuple[int, int]] = []
        now = utcnow()
        try:
            for pending in batch:
                row = self._row(pending, present, now)
                if row is None:
                    continue
                rows.append(row)
                present.add((row["from_id"], row["kind"], row["to_id"]))
                if row["kind"] == UPDATES:
                    self.graph.edges[row["from_id"]].add(row["to_id"])
                    added.append((row["from_id"], row["to_id"]))
            ids = new_ids(self.session, LINKS, len(rows))
            insert_rows(self.session, LINKS, [{"id": link_id, **row} for link_id, row
                                              in zip(ids, rows, strict=True)])
        except BaseException:
            # Nothing of this batch is stored: forget its edges before a replay sees them.
            for from_id, to_id in added:
                self.graph.edges[from_id].discard(to_id)
            raise
        return len(rows)

    def _row(self, pending: PendingLink, present: set[Triple],
             now: datetime) -> dict[str, Any] | None:
        """The row to insert, None when the link is there already."""
        from_id, link, to_id = pending.from_id, pending.link, pending.to_id
        if to_id is None:
            raise RecordError(pending.item, f"linked claim not found: {_describe(link.to)}")
        try:
            kind = parse_choice(LinkKind, link.kind, "link kind")
            rules.check_not_self_link(from_id, to_id)
            if (from_id, kind.value, to_id) in present or (
                    kind.symmetric and (to_id, kind.value, from_id) in present):
                return None
            if kind is LinkKind.UPDATES:
                rules.check_no_updates_loop(from_id, to_id, self.graph.reaches(to_id, from_id))
        except ClaimsError as exc:
            raise RecordError(pending.item, str(exc)) from None
        return {"from_id": from_id, "kind": kind.value, "to_id": to_id, "note": link.note,
                "created_at": link.created_at or now}

    def _stored_between(self, ends: set[int]) -> set[Triple]:
        """The stored links whose two ends are both among ``ends``."""
        found: set[Triple] = set()
        for chunk in chunks(sorted(ends)):
            rows = self.session.execute(
                select(Link.from_id, Link.kind, Link.to_id).where(Link.from_id.in_(chunk)))
            found.update((f, k, t) for f, k, t in rows if t in ends)
        return found

    def _targets(self, refs: set[ClaimRef]) -> dict[ClaimRef, int]:
        """The stored claim each reference names: by external id, else by source and text
        (the oldest claim of that source whose normalised text matches)."""
        found: dict[ClaimRef, int] = {}
        by_external = {r.external_id: r for r in refs if r.external_id}
        for chunk in chunks(sorted(by_external)):
            rows = self.session.execute(
                select(Claim.external_id, Claim.id).where(Claim.external_id.in_(chunk)))
            # IN never matches NULL: the test drops no row, it only narrows the type.
            found.update({by_external[external_id]: claim_id for external_id, claim_id in rows
                          if external_id is not None})
        by_text = [r for r in refs if not r.external_id]
        if by_text:
            found.update(self._targets_by_text(by_text))
        return found

    def _targets_by_text(self, refs: list[ClaimRef]) -> dict[ClaimRef, int]:
        source_ids = self.ids.source_ids({r.source for r in refs if r.source})
        wanted: dict[tuple[int, str], list[ClaimRef]] = defaultdict(list)
        for ref in refs:
            assert ref.source is not None and ref.text is not None
            if ref.source in source_ids:
                wanted[source_ids[ref.source], normalise_text(ref.text)].append(ref)
        stored = claims_by_text(self.session, wanted)
        return {ref: claim_id for pair, claim_id in stored.items() for ref in wanted[pair]}


def _describe(ref: ClaimRef) -> str:
    if ref.external_id:
        return f"external id {ref.external_id!r}"
    return f"{ref.text!r} from source {ref.source!r}"
