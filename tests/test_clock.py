"""The one UTC helper: stored times come back aware and equal to what was written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from parley.clock import as_utc, utcnow


def test_utcnow_is_aware_utc() -> None:
    now = utcnow()
    assert now.utcoffset() == timedelta(0)
    assert abs(now - datetime.now(UTC)) < timedelta(seconds=5)


def test_a_naive_time_is_read_as_utc() -> None:
    naive = datetime(2026, 3, 1, 12, 30)  # as SQLite hands back a time written in UTC
    assert as_utc(naive) == datetime(2026, 3, 1, 12, 30, tzinfo=UTC)


def test_an_aware_time_keeps_its_zone_and_instant() -> None:
    kyiv = datetime(2026, 3, 1, 14, 30, tzinfo=timezone(timedelta(hours=2)))
    assert as_utc(kyiv) is kyiv
    assert as_utc(kyiv) == datetime(2026, 3, 1, 12, 30, tzinfo=UTC)
