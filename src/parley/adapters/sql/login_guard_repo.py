"""The login guard's counters in SQL (the ``LoginGuard`` port), over ``LoginGuardRepository``."""

from __future__ import annotations

from datetime import datetime

from parley.adapters.sql.login_guard import LoginFailureWindow, LoginGuardRepository, LoginThrottle
from parley.adapters.sql.session import session_of
from parley.services.ports import Tx
from parley.services.ports.login_guard import WindowRow


def _repo(tx: Tx) -> LoginGuardRepository:
    return LoginGuardRepository(session_of(tx))


class SqlLoginGuard:
    def throttles(self, tx: Tx, username: str, source: str) -> list[LoginThrottle]:
        return _repo(tx).throttles(username, source)

    def throttle_for_update(self, tx: Tx, username: str, source: str,
                            now: datetime) -> LoginThrottle:
        return _repo(tx).throttle_for_update(username, source, now)

    def clear(self, tx: Tx, username: str, source: str) -> None:
        _repo(tx).clear(username, source)

    def clear_user(self, tx: Tx, username: str) -> int:
        return _repo(tx).clear_user(username)

    def window_for_update(self, tx: Tx, source: str,
                          now: datetime) -> tuple[LoginFailureWindow, bool]:
        return _repo(tx).window_for_update(source, now)

    def closed_windows(self, tx: Tx, before: datetime) -> list[LoginFailureWindow]:
        return _repo(tx).closed_windows(before)

    def drop_window(self, tx: Tx, row: WindowRow) -> None:
        if not isinstance(row, LoginFailureWindow):
            raise TypeError("only a window this repository handed out can be dropped")
        _repo(tx).drop_window(row)

    def flush(self, tx: Tx) -> None:
        session_of(tx).flush()
