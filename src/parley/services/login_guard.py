"""The login guard: slows down a source that keeps failing, and keeps floods out of the log.

- Each (user name, source) pair has a failure count. After ``max_failed_logins`` failures the
  source waits 2 s, then 4 s, 8 s … up to ``lockout_minutes`` before that user name may be
  tried again *from that source*; the owner signing in from another source is not held up,
  and no one can lock another person out. A success clears the pair's count.
- Each source also has a counter of its own (any user name), slowed after ten times as many
  failures, so spraying many user names from one source is slowed as well.
- A failure for a known, active user is an audit event of its own (the backoff bounds them). A
  failure for an unknown user, or an attempt refused while slowed, is logged on its own only as
  the first of its source's window (``login_window_minutes``); the rest are counted, and one
  ``auth.login_failed_aggregated`` event with the count is written when the window has closed
  (at the next failed login after that).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from parley.clock import as_utc
from parley.config import Settings
from parley.domain.throttle import SOURCE_ALLOWANCE, backoff, forgotten
from parley.services.account_records import ANONYMOUS, actor_of
from parley.services.journal import record_event
from parley.services.ports import Tx, repositories_of
from parley.services.ports.accounts import UserRow
from parley.services.ports.login_guard import ANY_USER, LoginGuard, ThrottleRow, WindowRow

SAMPLE_NAMES = 5
"""How many distinct user names an aggregated event quotes (the count covers them all)."""


def _cap(settings: Settings) -> timedelta:
    return timedelta(minutes=settings.lockout_minutes)


def is_slowed(tx: Tx, settings: Settings, *, username: str, source: str,
              now: datetime) -> bool:
    """Whether ``source`` must still wait before trying ``username`` again."""
    return any(row.blocked_until is not None and as_utc(row.blocked_until) > now
               for row in repositories_of(tx).login_guard.throttles(tx, username, source))


def _count(row: ThrottleRow, now: datetime, *, free: int, cap: timedelta) -> timedelta:
    if row.failures and forgotten(as_utc(row.last_failure_at), now, cap=cap):
        row.failures = 0
    row.failures += 1
    row.last_failure_at = now
    wait = backoff(row.failures, free=free, cap=cap)
    row.blocked_until = now + wait if wait else None
    return wait


def note_failure(tx: Tx, settings: Settings, *, user: UserRow | None, username: str,
                 source: str, reason: str, now: datetime, slowed: bool) -> None:
    """Count a failed login (unless it was refused unchecked while slowed) and log it."""
    repo = repositories_of(tx).login_guard
    _report_closed_windows(tx, settings, repo, now)
    wait = timedelta(0)
    if not slowed:
        free = settings.max_failed_logins
        pair = repo.throttle_for_update(tx, username, source, now)
        wait = _count(pair, now, free=free, cap=_cap(settings))
        _count(repo.throttle_for_update(tx, ANY_USER, source, now), now,
               free=free * SOURCE_ALLOWANCE, cap=_cap(settings))
    if user is None or slowed:
        _aggregate(tx, settings, repo, username=username, source=source,
                   reason="slowed down" if slowed else reason, now=now)
        return
    who = actor_of(user)
    record_event(tx, actor=who, action="auth.login_failed", target=f"user:{user.username}",
                 payload={"reason": reason, "source": source, "failures": pair.failures})
    if wait:
        record_event(tx, actor=who, action="auth.slowed_down", target=f"user:{user.username}",
                     payload={"source": source, "seconds": int(wait.total_seconds())})


def note_success(tx: Tx, *, username: str, source: str) -> None:
    repositories_of(tx).login_guard.clear(tx, username, source)


def forget_failures(tx: Tx, *, username: str) -> int:
    """Clear every source's count for ``username``; returns how many sources had one."""
    return repositories_of(tx).login_guard.clear_user(tx, username)


def _aggregate(tx: Tx, settings: Settings, repo: LoginGuard, *, username: str,
               source: str, reason: str, now: datetime) -> None:
    row, first = repo.window_for_update(tx, source, now)
    if first:
        record_event(tx, actor=ANONYMOUS, action="auth.login_failed",
                     target=f"user:{username[:80]}",
                     payload={"reason": reason, "source": source, "aggregating": True})
        return
    row.count += 1
    row.last_at = now
    name = username[:80]
    if name not in row.sample and len(row.sample) < SAMPLE_NAMES:
        row.sample = [*row.sample, name]


def _report_closed_windows(tx: Tx, settings: Settings, repo: LoginGuard,
                           now: datetime) -> None:
    """One aggregated event for each closed window that counted failures; then drop them."""
    window = timedelta(minutes=settings.login_window_minutes)
    for row in repo.closed_windows(tx, before=now - window):
        if row.count:
            _report(tx, row)
        repo.drop_window(tx, row)
    repo.flush(tx)


def _report(tx: Tx, row: WindowRow) -> None:
    record_event(tx, actor=ANONYMOUS, action="auth.login_failed_aggregated",
                 target=f"source:{row.source}",
                 payload={"count": row.count, "from": as_utc(row.started_at).isoformat(),
                          "to": as_utc(row.last_at).isoformat(), "users": list(row.sample)})
