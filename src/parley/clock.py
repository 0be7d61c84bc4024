"""The one clock: every stored and compared time in Parley is an aware UTC ``datetime``.

SQLite hands back naive datetimes for columns written as UTC; ``as_utc`` restores the zone in
one place, so no comparison of a naive with an aware time can slip into a service.
"""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = ["as_utc", "utcnow"]


def utcnow() -> datetime:
    """Now, in UTC, with its zone (never a naive local time)."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """``moment`` with its zone: a naive time (SQLite's) was written as UTC and is read as UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
