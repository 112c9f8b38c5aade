"""The ids an import has looked up or created, handed to each writer explicitly.

Sources by key, entities by name key (through aliases). Each lookup of keys not yet known
is one query per ``IN`` chunk; what a writer creates it records here, so the next batch
finds it without asking. A savepoint rolled back may take rows these ids point at with
it, so the driver calls ``forget`` then.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from claims.names import name_key
from claims.schema.sql import chunks
from claims.schema.tables import entity_names, sources


class IdCache:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._sources: dict[str, int] = {}
        self._entities: dict[str, int] = {}  # name key -> entity id

    # --- sources ------------------------------------------------------------------------

    def source_ids(self, keys: Iterable[str]) -> dict[str, int]:
        """The ids of those of ``keys`` that name a stored (or just written) source."""
        wanted = set(keys)
        missing = [k for k in wanted if k not in self._sources]
        for chunk in chunks(missing):
            rows = self.session.execute(
                select(sources.c.key, sources.c.id).where(sources.c.key.in_(chunk)))
            self._sources.update({key: source_id for key, source_id in rows})
        return {k: self._sources[k] for k in wanted if k in self._sources}

    def source_id(self, key: str) -> int | None:
        """A source id already looked up (``source_ids``), without a query."""
        return self._sources.get(key)

    def add_source(self, key: str, source_id: int) -> None:
        self._sources[key] = source_id

    # --- entities -----------------------------------------------------------------------

    def entity_ids(self, names: Iterable[str], *, keyed: bool = False) -> dict[str, int]:
        """Entity ids by name key for the names (or, ``keyed``, name keys) that belong to
        a stored (or just written) entity."""
        wanted = set(names) if keyed else {name_key(n) for n in names}
        missing = [k for k in wanted if k not in self._entities]
        for chunk in chunks(missing):
            rows = self.session.execute(
                select(entity_names.c.key, entity_names.c.entity_id)
                .where(entity_names.c.key.in_(chunk)))
            self._entities.update({key: entity_id for key, entity_id in rows})
        return {k: self._entities[k] for k in wanted if k in self._entities}

    def entity_id(self, name: str) -> int:
        """The id of a name already looked up or created; a name never met is a bug."""
        return self._entities[name_key(name)]

    def add_names(self, ids_by_key: dict[str, int]) -> None:
        self._entities.update(ids_by_key)

    def forget(self) -> None:
        self._sources.clear()
        self._entities.clear()
        self.session.expire_all()
