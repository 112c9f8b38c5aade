"""Moments typed by users (``--as-of``, ``log --since/--until``): a date means the end of
that day in UTC (its start, for a lower bound); a time must carry ``Z`` or an offset, and is
then exact."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from claims.errors import InvalidError

HINT = "give a date (2026-12-01) or a time with Z or an offset (2026-12-01T14:30:00Z)"


def parse_moment(value: str | None, label: str = "--as-of", *,
                 end_of_day: bool = True) -> datetime | None:
    if value is None:
        return None
    raw = value.strip()
    try:
        if len(raw) == 10:
            day = date.fromisoformat(raw)
            if end_of_day:
                return datetime.combine(day, time.max, UTC)
            return datetime.combine(day, time.min, UTC)
        moment = datetime.fromisoformat(raw.replace("z", "Z"))
    except ValueError:
        raise InvalidError(f"{label} {value!r} is not a date or a time", HINT) from None
    if moment.tzinfo is None:
        raise InvalidError(f"{label} {value!r} has no time zone", HINT)
    return moment.astimezone(UTC)


