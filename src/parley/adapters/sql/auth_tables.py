"""Tables for web sessions and API tokens.

Only hashes of the secrets are stored: a stolen database yields neither a live session nor a
working token.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from parley.adapters.sql.base import Base, utcnow
from parley.adapters.sql.tables import ID


class WebSession(Base):
    """A server-side session; the cookie holds a random id whose SHA-256 is ``id`` here."""

    __tablename__ = "web_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    # False between the password step and the TOTP step: such a session authorises nothing.
    second_factor_done: Mapped[bool] = mapped_column(Boolean, default=False)
    ended_at: Mapped[datetime | None] = mapped_column(default=None)
    # When the user last proved the password (and code) in this session: managing one's own
    # tokens, second factor or password needs a recent proof, not just a live session.
    reauthenticated_at: Mapped[datetime | None] = mapped_column(default=None)


class ApiToken(Base):
    """A bearer token for the JSON API; ``scopes`` names the actions it may be used for."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    scopes: Mapped[list[Any]] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(default=None)
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class TotpState(Base):
    """The last TOTP time step a user spent, so one code cannot be replayed."""

    __tablename__ = "totp_state"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    last_step: Mapped[int] = mapped_column(Integer, default=0)
