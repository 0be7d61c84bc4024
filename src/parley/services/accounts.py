"""User accounts: who may sign in, as what; and the one front door to the account services.

The pieces live in their own modules and are re-exported here, so callers keep one name:
:mod:`parley.services.sessions` (sign-in, sessions, re-authentication),
:mod:`parley.services.login_guard` (the per-account-and-source slow-down, aggregated failures),
:mod:`parley.services.tokens` (API tokens), :mod:`parley.services.totp` (the second factor),
:mod:`parley.services.passwords` (argon2id).

Whatever changes what a user may do or proves who they are — a new password, a lock by an
administrator, a new role, agency or clearance — ends the user's sessions and revokes their
API tokens in the same transaction, so no credential outlives the facts it was issued under.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from parley.adapters.private_files import create_private
from parley.clock import utcnow
from parley.config import Settings
from parley.domain.actors import Action, Actor, Role
from parley.domain.policy import CLEARANCE_LEVELS
from parley.errors import N_, Conflict, InvalidInput, NotFound
from parley.services.account_records import (
    ANONYMOUS,
    LOGIN_FAILED,
    actor_of,
    find_user,
)
from parley.services.journal import record_event
from parley.services.login_guard import forget_failures
from parley.services.passwords import MIN_PASSWORD, hash_password, verify_password
from parley.services.ports import Tx, repositories_of
from parley.services.ports.accounts import UserRow
from parley.services.sessions import (
    LoginStep,
    authenticate,
    complete_second_factor,
    login,
    logout,
    reauthenticate,
    require_recent_check,
    session_actor,
    session_binding,
    session_id_of,
)
from parley.services.tokens import (
    READ_SCOPES,
    SCOPE_SHORTHANDS,
    IssuedToken,
    TokenInfo,
    create_api_token,
    list_api_tokens,
    parse_scopes,
    revoke_api_token,
    token_actor,
)
from parley.services.totp import (
    TOTP_ISSUER,
    TotpEnrolment,
    confirm_totp_enrolment,
    has_second_factor,
    start_totp_enrolment,
    totp_uri,
)
from parley.services.workspace import Workspace

__all__ = [
    "ANONYMOUS", "LOGIN_FAILED", "READ_SCOPES", "SCOPE_SHORTHANDS", "TOTP_ISSUER", "IssuedToken",
    "LoginStep", "TokenInfo", "TotpEnrolment", "UserInfo", "actor_of", "authenticate",
    "change_own_password", "change_user", "check_password", "complete_second_factor",
    "confirm_totp_enrolment", "create_api_token", "create_user", "ensure_secret_key",
    "find_user", "has_second_factor", "list_api_tokens", "list_users", "lock_user", "login",
    "logout", "parse_scopes", "reauthenticate", "require_recent_check", "reset_second_factor",
    "revoke_api_token", "session_actor", "session_binding", "set_password",
    "start_totp_enrolment", "token_actor", "totp_uri", "unlock_user",
]


def _check_password_rule(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(
            N_("a password needs at least %(MIN_PASSWORD)s characters"),
            MIN_PASSWORD=MIN_PASSWORD,
        )


def _check_clearance(clearance: str) -> None:
    if clearance not in CLEARANCE_LEVELS:
        raise InvalidInput(
            N_("unknown clearance '%(clearance)s': use one of %(CLEARANCE_LEVELS)s"),
            clearance=clearance, CLEARANCE_LEVELS=', '.join(CLEARANCE_LEVELS),
        )


def _check_role(role: Role) -> None:
    if role is Role.OPERATOR:
        raise InvalidInput(N_("the operator role belongs to the local command line, not a user"))


def _user(tx: Tx, username: str) -> UserRow:
    user = find_user(tx, username)
    if user is None:
        raise NotFound(N_("no user '%(username)s'"), username=username)
    return user


def _end_credentials(tx: Tx, user: UserRow, *, keep_session: str | None = None
                     ) -> dict[str, int]:
    """End the user's sessions (all but ``keep_session``) and revoke their tokens."""
    repos = repositories_of(tx)
    now = utcnow()
    return {"sessions_ended": repos.web_sessions.end_all(tx, user.id, now, keep=keep_session),
            "tokens_revoked": repos.api_tokens.revoke_all(tx, user.id, now)}


# --- users ------------------------------------------------------------------------------------


def create_user(
    ws: Workspace,
    *,
    actor: Actor,
    username: str,
    password: str,
    role: Role,
    agency: str,
    display_name: str = "",
    clearance: str = "restricted",
) -> Actor:
    actor.require(Action.MANAGE_USERS)
    _check_password_rule(password)
    if not username or len(username) > 100 or not username.isprintable() or " " in username:
        raise InvalidInput(N_("a user name needs 1 to 100 printable characters without spaces"))
    _check_clearance(clearance)
    _check_role(role)
    repos = ws.repos
    with ws.store.transaction() as tx:
        if not repos.agencies.exists(tx, agency):
            raise NotFound(N_("no agency with code '%(agency)s'"), agency=agency)
        if repos.users.find(tx, username) is not None:
            raise Conflict(N_("user '%(username)s' exists already"), username=username)
        user = repos.users.add(
            tx,
            username=username,
            display_name=display_name or username,
            password_hash=hash_password(password),
            role=role.value,
            agency_code=agency,
            clearance=clearance,
        )
        record_event(tx, actor=actor, action="user.create", target=f"user:{username}",
                     payload={"role": role.value, "agency": agency, "clearance": clearance})
        return actor_of(user)


@dataclass(frozen=True, slots=True)
class UserInfo:
    username: str
    role: str
    agency: str
    clearance: str
    has_totp: bool
    active: bool


def list_users(ws: Workspace, *, actor: Actor) -> list[UserInfo]:
    actor.require(Action.MANAGE_USERS)
    with ws.store.reading() as tx:
        return [UserInfo(u.username, u.role, u.agency_code, u.clearance,
                         u.totp_secret is not None, u.is_active)
                for u in ws.repos.users.ordered(tx)]


def check_password(user: UserRow, password: str) -> bool:
    return verify_password(user.password_hash, password)


def set_password(ws: Workspace, *, actor: Actor, username: str, password: str) -> None:
    """An administrator sets a new password (a forgotten one; the demo's fresh accounts).

    The user's sessions end and their API tokens are revoked: nothing issued under the old
    password keeps working.
    """
    actor.require(Action.MANAGE_USERS)
    _check_password_rule(password)
    with ws.store.transaction() as tx:
        user = _user(tx, username)
        user.password_hash = hash_password(password)
        ended = _end_credentials(tx, user)
        forget_failures(tx, username=username)
        record_event(tx, actor=actor, action="auth.password_set", target=f"user:{username}",
                     payload=ended)


def change_own_password(ws: Workspace, *, actor: Actor, session_token: str,
                        password: str) -> None:
    """A signed-in user (with a recent password check) sets a new password; their other
    sessions end and their API tokens are revoked, this session stays open."""
    if actor.user_id is None:
        raise InvalidInput(N_("the local operator has no password"))
    require_recent_check(ws, session_token=session_token)
    _check_password_rule(password)
    with ws.store.transaction() as tx:
        user = ws.repos.users.get(tx, actor.user_id)
        if user is None:
            raise NotFound(N_("no user '%(username)s'"), username=actor.username)
        user.password_hash = hash_password(password)
        ended = _end_credentials(tx, user, keep_session=session_id_of(session_token))
        record_event(tx, actor=actor, action="auth.password_changed",
                     target=f"user:{user.username}", payload=ended)


def change_user(ws: Workspace, *, actor: Actor, username: str, role: Role | None = None,
                agency: str | None = None, clearance: str | None = None) -> dict[str, str]:
    """Change a user's role, agency or clearance; returns what changed (field: new value).

    A change ends the user's sessions and revokes their tokens: they sign in again under the
    new rights.
    """
    actor.require(Action.MANAGE_USERS)
    if role is not None:
        _check_role(role)
    if clearance is not None:
        _check_clearance(clearance)
    with ws.store.transaction() as tx:
        user = _user(tx, username)
        if agency is not None and not ws.repos.agencies.exists(tx, agency):
            raise NotFound(N_("no agency with code '%(agency)s'"), agency=agency)
        wanted = {"role": role.value if role is not None else None, "agency": agency,
                  "clearance": clearance}
        current = {"role": user.role, "agency": user.agency_code, "clearance": user.clearance}
        changes = {k: v for k, v in wanted.items() if v is not None and v != current[k]}
        if not changes:
            return {}
        user.role = changes.get("role", user.role)
        user.agency_code = changes.get("agency", user.agency_code)
        user.clearance = changes.get("clearance", user.clearance)
        ended = _end_credentials(tx, user)
        record_event(tx, actor=actor, action="user.changed", target=f"user:{username}",
                     payload={**changes, **{f"old_{k}": current[k] for k in changes}, **ended})
        return changes


def lock_user(ws: Workspace, *, actor: Actor, username: str) -> None:
    """An administrator locks an account: no sign-in, its sessions end, its tokens are revoked
    (they stay revoked after an unlock)."""
    actor.require(Action.MANAGE_USERS)
    with ws.store.transaction() as tx:
        user = _user(tx, username)
        user.is_active = False
        ended = _end_credentials(tx, user)
        record_event(tx, actor=actor, action="user.locked", target=f"user:{username}",
                     payload=ended)


def unlock_user(ws: Workspace, *, actor: Actor, username: str) -> None:
    """Lift an administrator's lock and forget the account's failed logins from every source."""
    actor.require(Action.MANAGE_USERS)
    with ws.store.transaction() as tx:
        user = _user(tx, username)
        reactivated = not user.is_active
        user.is_active = True
        user.locked_until = None
        user.failed_logins = 0
        sources = forget_failures(tx, username=username)
        record_event(tx, actor=actor, action="auth.unlocked", target=f"user:{username}",
                     payload={"reactivated": reactivated, "sources_cleared": sources})


def reset_second_factor(ws: Workspace, *, actor: Actor, username: str) -> None:
    """Remove a user's TOTP secret (a lost phone); they enrol again at their next sign-in."""
    actor.require(Action.MANAGE_USERS)
    with ws.store.transaction() as tx:
        user = _user(tx, username)
        user.totp_secret = None
        record_event(tx, actor=actor, action="auth.totp_reset", target=f"user:{username}",
                     payload={})


# --- the web's signing secret -----------------------------------------------------------------


def ensure_secret_key(settings: Settings) -> str:
    """The secret that signs CSRF tokens: the setting, or one generated once into data_dir
    (0600 in a 0700 folder from the start, so it is never readable by others, even briefly).
    Production never gets here without a strong ``PARLEY_SECRET_KEY`` (the settings refuse)."""
    if settings.secret_key:
        return settings.secret_key
    path = settings.data_dir / "secret_key"
    if not path.exists():
        create_private(path, secrets.token_urlsafe(48).encode("ascii"))
    return path.read_text(encoding="ascii").strip()
