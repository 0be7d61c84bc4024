"""User accounts: creation and password login (argon2)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from parley.adapters.sql.tables import Agency, User
from parley.domain.actors import Action, Actor, Role
from parley.errors import AuthenticationFailed, Conflict, InvalidInput, NotFound
from parley.services.journal import record_event
from parley.services.workspace import Workspace

_hasher = PasswordHasher()


def actor_of(user: User) -> Actor:
    return Actor(username=user.username, role=Role(user.role), agency=user.agency_code,
                 user_id=user.id)


def create_user(
    ws: Workspace,
    *,
    actor: Actor,
    username: str,
    password: str,
    role: Role,
    agency: str,
    display_name: str = "",
) -> Actor:
    actor.require(Action.MANAGE_USERS)
    if len(password) < 10:
        raise InvalidInput("a password needs at least 10 characters")
    with ws.store.transaction() as tx:
        if tx.get(Agency, agency) is None:
            raise NotFound(f"no agency with code '{agency}'")
        if tx.scalar(select(User).where(User.username == username)) is not None:
            raise Conflict(f"user '{username}' exists already")
        user = User(
            username=username,
            display_name=display_name or username,
            password_hash=_hasher.hash(password),
            role=role.value,
            agency_code=agency,
        )
        tx.add(user)
        tx.flush()
        record_event(tx, actor=actor, action="user.create", target=f"user:{username}",
                     payload={"role": role.value, "agency": agency})
        return actor_of(user)


def find_user(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


def check_password(user: User, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def authenticate(ws: Workspace, *, username: str, password: str) -> Actor:
    """Password login; a failure says nothing about which half was wrong."""
    with ws.store.transaction() as tx:
        user = find_user(tx, username)
        if user is None or not user.is_active or not check_password(user, password):
            raise AuthenticationFailed("wrong user name or password")
        return actor_of(user)
