"""The import driver: cuts the input into batches, runs each in a savepoint, replays a
failed batch record by record to find the culprit, and rejects or reports it.

The writing is done by peers that share only an explicit ``IdCache``: the ``ClaimWriter``
(claim records), the ``DefinitionWriter`` (source and entity records, and the sources a
claim record describes) and the ``LinkWriter`` (links, written as soon as the claims they
join exist; a link to a claim further down the input waits for the end). Each returns
what it did; none calls back into the driver. Everything runs inside the caller's
transaction (``Database.write()``), so an import that stops half-way writes nothing, and
memory stays flat however long the input.

When a write fails in its savepoint (a constraint the checks before it did not foresee),
the batch is rolled back and replayed one record at a time; the culprit is then rejected
(``skip_invalid``) or reported as ``FILE:LINE: problem``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from claims.errors import ClaimsError, InvalidError
from claims.figures.unresolved import MeasureInput
from claims.io.batching import (
    BATCH_SIZE,
    ImportOptions,
    ImportSummary,
    RecordError,
    Rejection,
)
from claims.io.claimwriter import ClaimWriter
from claims.io.definitions import DefinitionWriter
from claims.io.figures import write_measures
from claims.io.ids import IdCache
from claims.io.items import ClaimInput, Item
from claims.io.linking import LinkWriter, PendingLink
from claims.schema.sql import chunks
from claims.schema.uniqueness import is_same_text_violation, same_text_conflict

__all__ = ["BATCH_SIZE", "ImportOptions", "ImportSummary", "Importer", "RecordError",
           "Rejection"]

T = TypeVar("T")
Write = Callable[[list[T]], tuple[ImportSummary, list[PendingLink]]]


class Importer:
    """Imports ``Item``s into the session's database. Use once per input."""

    def __init__(self, session: Session, options: ImportOptions,
                 on_reject: Callable[[Rejection], None] | None = None,
                 on_batch: Callable[[ImportSummary], None] | None = None) -> None:
        self.session = session
        self.options = options
        self.on_reject = on_reject
        self.on_batch = on_batch
        self.summary = ImportSummary()
        self.ids = IdCache(session)
        self.definitions = DefinitionWriter(session, self.ids)
        self.claims = ClaimWriter(session, options, self.ids, self.definitions)
        self.links = LinkWriter(session, self.ids)
        self.waiting: list[PendingLink] = []  # links whose target claim is not written yet

    def run(self, items: Iterable[Item]) -> ImportSummary:
        """Batches hold either claims or definitions (sources, entities), in file order."""
        batch: list[Item] = []
        for item in items:
            if item.error is not None:
                self._reject(item, item.error)
                continue
            if batch and (len(batch) >= self.options.batch_size
                          or _is_claim(item) != _is_claim(batch[0])):
                self._flush(batch)
                batch = []
            batch.append(item)
        self._flush(batch)
        pending, self.waiting = self.waiting, []
        self._write_links(pending)
        return self.summary

    def _reject(self, item: Item, reason: str) -> None:
        if not self.options.skip_invalid:
            raise InvalidError(f"{self.options.label}:{item.line}: {reason}",
                               "nothing was imported; fix it, or pass --skip-invalid")
        self.summary.rejected += 1
        if self.on_reject is not None:
            self.on_reject(Rejection(item.line, reason, item.raw))

    def _flush(self, batch: list[Item]) -> None:
        if not batch:
            return
        if _is_claim(batch[0]):
            self._guarded(batch, self.claims.write, _itself)
            # Links mostly point back, so little waits in memory however long the input.
            ready, self.waiting = self.links.partition(self.waiting)
            self._write_links(ready)
            if self.on_batch is not None:
                self.on_batch(self.summary)
        else:
            self._guarded(batch, self._write_definitions, _itself)

    def _guarded(self, batch: list[T], write: Write[T], item_of: Callable[[T], Item]) -> None:
        """Writes the batch in a savepoint; on a failure, replays it entry by entry. The
        links a write gives are kept only once it has succeeded: a rolled-back attempt's
        links name claim ids that no longer exist."""
        try:
            with self.session.begin_nested():
                delta, links = write(batch)
        except (RecordError, ClaimsError, IntegrityError, DataError) as exc:
            # A rolled-back savepoint may have taken rows the cached ids point at with it.
            self.ids.forget()
            if len(batch) > 1:
                for entry in batch:
                    self._guarded([entry], write, item_of)
            elif isinstance(exc, RecordError):
                self._reject(exc.item, exc.reason)
            else:
                self._reject(item_of(batch[0]), _reason(exc))
            return
        self.waiting.extend(links)
        self.summary.add(delta)

    def _write_definitions(self, batch: list[Item]) -> tuple[ImportSummary, list[PendingLink]]:
        sources, entities = self.definitions.write(batch)
        write_measures(self.session, [i for i in batch if isinstance(i.payload, MeasureInput)])
        return ImportSummary(sources_created=sources, entities_created=entities), []

    def _write_links(self, pending: list[PendingLink]) -> None:
        for batch in chunks(pending, self.options.batch_size):
            self._guarded(list(batch), self._write_link_batch, _item_of_link)

    def _write_link_batch(self, batch: list[PendingLink]
                          ) -> tuple[ImportSummary, list[PendingLink]]:
        return ImportSummary(links_created=self.links.write(batch)), []


def _is_claim(item: Item) -> bool:
    return isinstance(item.payload, ClaimInput)


def _itself(item: Item) -> Item:
    return item


def _item_of_link(pending: PendingLink) -> Item:
    return pending.item


def _reason(exc: Exception) -> str:
    if isinstance(exc, ClaimsError):
        return str(exc)
    if is_same_text_violation(exc):
        return str(same_text_conflict())
    detail = str(getattr(exc, "orig", exc)).strip().splitlines()
    return f"rejected by the database: {detail[0] if detail else type(exc).__name__}"
