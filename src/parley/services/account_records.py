"""What the account services share: hashing of secrets, UTC times, a user as an actor."""

from __future__ import annotations

import hashlib

from parley.domain.actors import Actor, Role
from parley.domain.policy import ClearedActor
from parley.errors import N_
from parley.services.ports import Tx, repositories_of
from parley.services.ports.accounts import UserRow

ANONYMOUS = Actor(username="anonymous", role=Role.AUDITOR, agency="LOCAL")
"""Who a failed login by an unknown user name is recorded as (the role grants nothing here)."""

LOGIN_FAILED = N_("wrong user name, password or code (or too many attempts: try again later)")

def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def actor_of(user: UserRow) -> ClearedActor:
    return ClearedActor(username=user.username, role=Role(user.role), agency=user.agency_code,
                        user_id=user.id, clearance=user.clearance)


def find_user(session: Tx, username: str) -> UserRow | None:
    return repositories_of(session).users.find(session, username)
