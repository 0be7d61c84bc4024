"""What the account services share: hashing of secrets, UTC times, a user as an actor."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from parley.adapters.sql.tables import User
from parley.domain.actors import Actor, Role
from parley.domain.policy import ClearedActor

ANONYMOUS = Actor(username="anonymous", role=Role.AUDITOR, agency="LOCAL")
"""Who a failed login by an unknown user name is recorded as (the role grants nothing here)."""

LOGIN_FAILED = "wrong user name, password or code (or too many attempts: try again later)"


def aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def actor_of(user: User) -> ClearedActor:
    return ClearedActor(username=user.username, role=Role(user.role), agency=user.agency_code,
                        user_id=user.id, clearance=user.clearance)


def find_user(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))
