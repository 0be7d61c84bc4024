"""Tables and repository of the login guard: per-account-and-source failure counts (the
slow-down) and per-source windows that aggregate failed logins of unknown users."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Integer, String, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from parley.adapters.sql.base import Base
from parley.services.ports.login_guard import ANY_USER

__all__ = ["ANY_USER", "LoginFailureWindow", "LoginGuardRepository", "LoginThrottle",
           "throttle_key"]


class LoginThrottle(Base):
    """Failures of one user name from one source; ``blocked_until`` is the backoff's end."""

    __tablename__ = "login_throttles"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(String(100), index=True)
    source: Mapped[str] = mapped_column(String(100))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    blocked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)


class LoginFailureWindow(Base):
    """Failed logins from one source that were not logged one by one, since ``started_at``."""

    __tablename__ = "login_failure_windows"

    source: Mapped[str] = mapped_column(String(100), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    last_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    count: Mapped[int] = mapped_column(Integer, default=0)
    sample: Mapped[list[Any]] = mapped_column(JSON, default=list)


def throttle_key(username: str, source: str) -> str:
    return hashlib.sha256(f"{username.casefold()}\x00{source}".encode()).hexdigest()


def _insert(session: Session, table: Any) -> Any:
    """An INSERT that does nothing when the row exists (two failures may race to create it)."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


class LoginGuardRepository:
    """Reads and writes the login guard's rows inside the caller's transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def throttles(self, username: str, source: str) -> list[LoginThrottle]:
        keys = [throttle_key(username, source), throttle_key(ANY_USER, source)]
        return list(self.session.scalars(select(LoginThrottle).where(LoginThrottle.key.in_(keys))))

    def throttle_for_update(self, username: str, source: str, now: datetime) -> LoginThrottle:
        """The row of (user name, source), made if missing, locked for this transaction."""
        key = throttle_key(username, source)
        self.session.connection().execute(_insert(self.session, LoginThrottle).values(
            key=key, username=username[:100], source=source[:100], failures=0,
            last_failure_at=now).on_conflict_do_nothing())
        row = self.session.scalar(
            select(LoginThrottle).where(LoginThrottle.key == key).with_for_update())
        assert row is not None
        return row

    def clear(self, username: str, source: str) -> None:
        self.session.execute(delete(LoginThrottle).where(
            LoginThrottle.key == throttle_key(username, source)))

    def clear_user(self, username: str) -> int:
        """Forget every source's failures for ``username`` (an administrator's unlock)."""
        done = self.session.execute(delete(LoginThrottle).where(
            LoginThrottle.username == username[:100]))
        return int(getattr(done, "rowcount", 0) or 0)

    def window_for_update(self, source: str, now: datetime) -> tuple[LoginFailureWindow, bool]:
        """The source's window row, locked; True when it was made just now."""
        made = self.session.connection().execute(_insert(self.session, LoginFailureWindow).values(
            source=source[:100], started_at=now, last_at=now, count=0, sample=[])
            .on_conflict_do_nothing().returning(LoginFailureWindow.source)).first()
        row = self.session.scalar(select(LoginFailureWindow).where(
            LoginFailureWindow.source == source[:100]).with_for_update())
        assert row is not None
        return row, made is not None

    def closed_windows(self, before: datetime, limit: int = 100) -> list[LoginFailureWindow]:
        return list(self.session.scalars(
            select(LoginFailureWindow).where(LoginFailureWindow.started_at <= before)
            .order_by(LoginFailureWindow.started_at).limit(limit).with_for_update()))

    def drop_window(self, row: LoginFailureWindow) -> None:
        self.session.delete(row)
