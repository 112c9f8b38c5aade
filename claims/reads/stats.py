"""Track records: claims counted by status (in the scale's order) for each speaker, source,
outlet, entity, tag, status or month, with the share of verdicts that are false or mostly
false. ``claims stats``, ``claims report`` and the ``show`` commands read these.

A record is flat so that every output format shows it: ``group``, ``claims`` (how many),
one key per status (``true`` ... ``outdated``, zeros included), ``verdicts`` (claims
whose status is a verdict) and ``false_share`` (false + mostly false over verdicts,
rounded to three places; null without verdicts).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import ColumnElement, FromClause, func, select

from claims.reads.query import ClaimFilter
from claims.schema.sql import Reader
from claims.schema.tables import (
    claim_entities,
    claim_tags,
    claims,
    entities,
    sources,
    status_history,
)
from claims.vocab import GroupBy, Status, parse_choice

Record = dict[str, Any]
FALSE_STATUSES = (Status.FALSE, Status.MOSTLY_FALSE)
# The group of claims without a speaker (or a date, for months).
NONE_GROUP = "(none)"




_Grouping = tuple[ColumnElement[Any], list[tuple[FromClause, ColumnElement[bool]]]]


def _grouping(by: GroupBy) -> _Grouping:
    """The grouped column and the joins (table, on-clause) from ``claims`` it needs."""
    published = sources.c.published
    speaker = entities.alias("speaker")
    groupings: dict[GroupBy, _Grouping] = {
        GroupBy.SPEAKER: (speaker.c.name, [(speaker, speaker.c.id == claims.c.speaker_id)]),
        GroupBy.SOURCE: (sources.c.key, []),
        GroupBy.OUTLET: (sources.c.outlet, []),
        GroupBy.ENTITY: (entities.c.name, [
            (claim_entities, claim_entities.c.claim_id == claims.c.id),
            (entities, entities.c.id == claim_entities.c.entity_id)]),
        GroupBy.TAG: (claim_tags.c.tag, [(claim_tags, claim_tags.c.claim_id == claims.c.id)]),
        GroupBy.STATUS: (status_history.c.to_status, []),
        # Grouped by the date here and folded into months in Python: the SQL to cut a
        # date to its month differs between the engines.
        GroupBy.MONTH: (func.coalesce(claims.c.said_on, published), []),
    }
    return groupings[by]


def track_records(session: Reader, claim_filter: ClaimFilter | None = None,
                  by: GroupBy | str = GroupBy.SPEAKER) -> list[Record]:
    """One record per group of the claims ``claim_filter`` selects (its limit ignored):
    most claims first (months in order). A claim about two entities counts for both."""
    by = parse_choice(GroupBy, by, "grouping")
    where = (claim_filter or ClaimFilter()).where(session)
    column, joins = _grouping(by)
    query = (select(column.label("grp"), status_history.c.to_status, func.count())
             .select_from(claims)
             .join(sources, sources.c.id == claims.c.source_id)
             .join(status_history, status_history.c.id == claims.c.status_event_id))
    for table, on in joins:  # outer for speakers: claims without one are a group too
        query = query.join(table, on, isouter=by is GroupBy.SPEAKER)
    query = query.where(*where).group_by(column, status_history.c.to_status)
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for group, status, n in session.execute(query):
        counts[_group_name(group, by)][status] += n
    records = [status_record(name, found) for name, found in counts.items()]
    if by is GroupBy.MONTH:
        return sorted(records, key=lambda r: (r["group"] == NONE_GROUP, r["group"]))
    if by is GroupBy.STATUS:
        scale = [status.value for status in Status]
        return sorted(records, key=lambda r: scale.index(r["group"]))
    return sorted(records, key=lambda r: (-r["claims"], str(r["group"]).casefold()))


def track_record(session: Reader, claim_filter: ClaimFilter | None = None,
                 group: str = "all") -> Record:
    """The claims ``claim_filter`` selects counted by status, as one record."""
    where = (claim_filter or ClaimFilter()).where(session)
    query = (select(status_history.c.to_status, func.count()).select_from(claims)
             .join(status_history, status_history.c.id == claims.c.status_event_id)
             .where(*where).group_by(status_history.c.to_status))
    return status_record(group, {status: n for status, n in session.execute(query)})


def status_record(group: str, found: dict[str, int]) -> Record:
    by_status = {status.value: int(found.get(status.value, 0)) for status in Status}
    verdicts = sum(by_status[s.value] for s in Status if s.is_verdict)
    false = sum(by_status[s.value] for s in FALSE_STATUSES)
    return {
        "group": group,
        "claims": sum(by_status.values()),
        **by_status,
        "verdicts": verdicts,
        "false_share": round(false / verdicts, 3) if verdicts else None,
    }


def _group_name(value: Any, by: GroupBy) -> str:
    if value is None:
        return NONE_GROUP
    if by is GroupBy.MONTH:
        return str(value)[:7]  # a date (or its ISO text on SQLite): YYYY-MM
    return str(value)
