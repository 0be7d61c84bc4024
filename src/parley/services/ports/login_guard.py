"""The login guard's counters: failures per (user name, source) and per-source windows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from parley.services.ports.tx import Tx

ANY_USER = "*"
"""The user name of a source's own counter (every failure from the source, whoever it names)."""


class ThrottleRow(Protocol):
    """Failures of one user name from one source; ``blocked_until`` is the backoff's end."""

    failures: int
    last_failure_at: datetime
    blocked_until: datetime | None


class WindowRow(Protocol):
    """Failed logins from one source that were not logged one by one, since ``started_at``."""

    source: str
    started_at: datetime
    last_at: datetime
    count: int
    sample: list[Any]


class LoginGuard(Protocol):
    def throttles(self, tx: Tx, username: str, source: str) -> Sequence[ThrottleRow]:
        """The pair's counter and the source's own, those that exist."""

    def throttle_for_update(self, tx: Tx, username: str, source: str,
                            now: datetime) -> ThrottleRow:
        """The row of (user name, source), made if missing, locked for this transaction."""

    def clear(self, tx: Tx, username: str, source: str) -> None: ...

    def clear_user(self, tx: Tx, username: str) -> int:
        """Forget every source's failures for ``username``; returns how many sources had one."""

    def window_for_update(self, tx: Tx, source: str, now: datetime) -> tuple[WindowRow, bool]:
        """The source's window row, locked; True when it was made just now."""

    def closed_windows(self, tx: Tx, before: datetime) -> Sequence[WindowRow]:
        """Windows opened at or before ``before`` (oldest first, at most a hundred), locked."""

    def drop_window(self, tx: Tx, row: WindowRow) -> None: ...

    def flush(self, tx: Tx) -> None:
        """Write what is pending now (so the next query in this transaction sees it)."""
