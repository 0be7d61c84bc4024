"""How long a source waits after failed logins: free tries, then an exponential backoff.

The wait grows with the failures of one account from one source, so an attacker slows only
himself; the account's owner, signing in from elsewhere, is not held up.
"""

from __future__ import annotations

from datetime import datetime, timedelta

BACKOFF_BASE = timedelta(seconds=2)
SOURCE_ALLOWANCE = 10
"""A source's own counter (failures naming any user) is slowed after this many times the
per-account free tries, so spraying many user names from one source is slowed too."""


def backoff(failures: int, *, free: int, cap: timedelta) -> timedelta:
    """The wait after ``failures`` failures in a row: none below ``free``, then 2 s, 4 s, 8 s …
    up to ``cap``."""
    if failures < free:
        return timedelta(0)
    doublings = min(failures - free, 30)  # 2 s × 2^30 is far past any cap
    wait: timedelta = BACKOFF_BASE * (2**doublings)
    return min(cap, wait)


def forgotten(last_failure_at: datetime, now: datetime, *, cap: timedelta) -> bool:
    """Failures are forgotten after twice the longest wait passes without another one."""
    return now - last_failure_at > 2 * cap
