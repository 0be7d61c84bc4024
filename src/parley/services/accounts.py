"""User accounts: argon2 passwords, a TOTP second factor, server-side sessions that expire, API
tokens with scopes, and lock-out after repeated failures.

Why it looks like this:
- a session cookie carries a random id; the database keeps only its SHA-256, so a copy of the
  database opens no session. The same holds for API tokens.
- every failed login and every lock-out is an audit event, committed even though the login fails
  (the failure is the fact worth recording).
- messages never say which half of a login was wrong, nor whether a user name exists.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from parley.adapters.sql.auth_tables import ApiToken, TotpState, WebSession
from parley.adapters.sql.base import utcnow
from parley.adapters.sql.tables import Agency, User
from parley.config import Settings
from parley.domain.actors import PERMISSIONS, Action, Actor, Role
from parley.domain.policy import CLEARANCE_LEVELS, ClearedActor
from parley.errors import AuthenticationFailed, Conflict, InvalidInput, NotFound
from parley.services.journal import record_event
from parley.services.workspace import Workspace

_hasher = PasswordHasher()
ANONYMOUS = Actor(username="anonymous", role=Role.AUDITOR, agency="LOCAL")
"""Who a failed login by an unknown user name is recorded as (the role grants nothing here)."""

LOGIN_FAILED = "wrong user name, password or code (or too many attempts: try again later)"
TOTP_ISSUER = "Parley"
SESSION_REFRESH = timedelta(minutes=1)
"""A session's expiry is pushed forward at most once a minute, to spare the database writes."""

# Scopes of an API token are action names; "read" is a shorthand for the reading actions.
READ_SCOPES = frozenset(
    {Action.SEARCH_REGISTRY, Action.READ_RECORD, Action.READ_LISTS, Action.READ_AUDIT}
)
SCOPE_SHORTHANDS: dict[str, frozenset[Action]] = {"read": READ_SCOPES, "all": frozenset(Action)}


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def actor_of(user: User) -> ClearedActor:
    return ClearedActor(username=user.username, role=Role(user.role), agency=user.agency_code,
                        user_id=user.id, clearance=user.clearance)


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
    if len(password) < 10:
        raise InvalidInput("a password needs at least 10 characters")
    if not username or len(username) > 100 or not username.isprintable() or " " in username:
        raise InvalidInput("a user name needs 1 to 100 printable characters without spaces")
    if clearance not in CLEARANCE_LEVELS:
        raise InvalidInput(
            f"unknown clearance '{clearance}': use one of {', '.join(CLEARANCE_LEVELS)}"
        )
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
            clearance=clearance,
        )
        tx.add(user)
        tx.flush()
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
                for u in tx.scalars(select(User).order_by(User.username))]


def find_user(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


def check_password(user: User, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _is_locked(user: User, now: datetime) -> bool:
    return user.locked_until is not None and _aware(user.locked_until) > now


def _register_failure(tx: Session, ws: Workspace, user: User | None, username: str,
                      reason: str) -> None:
    """Count a failure, lock the account at the limit, and log both (in the caller's tx)."""
    now = utcnow()
    if user is None:
        record_event(tx, actor=ANONYMOUS, action="auth.login_failed",
                     target=f"user:{username[:80]}", payload={"reason": reason})
        return
    who = actor_of(user)
    if _is_locked(user, now):
        record_event(tx, actor=who, action="auth.login_failed", target=f"user:{user.username}",
                     payload={"reason": "locked"})
        return
    user.failed_logins += 1
    record_event(tx, actor=who, action="auth.login_failed", target=f"user:{user.username}",
                 payload={"reason": reason, "failures": user.failed_logins})
    if user.failed_logins >= ws.settings.max_failed_logins:
        user.locked_until = now + timedelta(minutes=ws.settings.lockout_minutes)
        user.failed_logins = 0
        record_event(tx, actor=who, action="auth.locked", target=f"user:{user.username}",
                     payload={"minutes": ws.settings.lockout_minutes})


def authenticate(ws: Workspace, *, username: str, password: str) -> Actor:
    """Password check with lock-out; a failure says nothing about which half was wrong.

    The failure (and a lock-out it causes) is committed before ``AuthenticationFailed`` is raised.
    """
    failed = False
    with ws.store.transaction() as tx:
        user = find_user(tx, username)
        now = utcnow()
        if user is None or not user.is_active:
            _register_failure(tx, ws, user, username, "unknown or inactive user")
            failed = True
        elif _is_locked(user, now) or not check_password(user, password):
            _register_failure(tx, ws, user, username, "wrong password")
            failed = True
        else:
            user.failed_logins = 0
            user.locked_until = None
            if _hasher.check_needs_rehash(user.password_hash):
                user.password_hash = _hasher.hash(password)  # costs raised since: upgrade
            actor = actor_of(user)
    if failed:
        raise AuthenticationFailed(LOGIN_FAILED)
    return actor


def set_password(ws: Workspace, *, actor: Actor, username: str, password: str) -> None:
    """An administrator sets a new password (a forgotten one; the demo's fresh accounts).

    Existing sessions of that user end, so an old password cannot keep a session alive.
    """
    actor.require(Action.MANAGE_USERS)
    if len(password) < 10:
        raise InvalidInput("a password needs at least 10 characters")
    with ws.store.transaction() as tx:
        user = find_user(tx, username)
        if user is None:
            raise NotFound(f"no user '{username}'")
        user.password_hash = _hasher.hash(password)
        user.failed_logins = 0
        user.locked_until = None
        tx.execute(delete(WebSession).where(WebSession.user_id == user.id))
        record_event(tx, actor=actor, action="auth.password_set", target=f"user:{username}",
                     payload={})


def reset_second_factor(ws: Workspace, *, actor: Actor, username: str) -> None:
    """Remove a user's TOTP secret (a lost phone); they enrol again at their next sign-in."""
    actor.require(Action.MANAGE_USERS)
    with ws.store.transaction() as tx:
        user = find_user(tx, username)
        if user is None:
            raise NotFound(f"no user '{username}'")
        user.totp_secret = None
        record_event(tx, actor=actor, action="auth.totp_reset", target=f"user:{username}",
                     payload={})


def unlock_user(ws: Workspace, *, actor: Actor, username: str) -> None:
    """Lift a lock-out before it runs out."""
    actor.require(Action.MANAGE_USERS)
    with ws.store.transaction() as tx:
        user = find_user(tx, username)
        if user is None:
            raise NotFound(f"no user '{username}'")
        user.locked_until = None
        user.failed_logins = 0
        record_event(tx, actor=actor, action="auth.unlocked", target=f"user:{username}",
                     payload={})


# --- sessions ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LoginStep:
    """The result of the password step: a session token, and whether a TOTP code is still due."""

    session_token: str
    needs_second_factor: bool
    actor: Actor


def _new_session(tx: Session, settings: Settings, user: User, done: bool) -> str:
    token = secrets.token_urlsafe(32)
    now = utcnow()
    # A session waiting for its TOTP code lives five minutes at most.
    life = timedelta(minutes=settings.session_minutes if done else min(5, settings.session_minutes))
    tx.add(WebSession(id=_digest(token), user_id=user.id, created_at=now, last_seen_at=now,
                      expires_at=now + life, second_factor_done=done))
    return token


def login(ws: Workspace, *, username: str, password: str) -> LoginStep:
    """Password step of a web login: opens a session (pending its TOTP step if enrolled)."""
    actor = authenticate(ws, username=username, password=password)
    with ws.store.transaction() as tx:
        user = tx.get(User, actor.user_id)
        assert user is not None
        done = user.totp_secret is None
        token = _new_session(tx, ws.settings, user, done)
        record_event(tx, actor=actor, action="auth.login" if done else "auth.password_ok",
                     target=f"user:{user.username}", payload={})
    return LoginStep(session_token=token, needs_second_factor=not done, actor=actor)


def _totp_step(secret: str, code: str, last_step: int) -> int | None:
    """The time step ``code`` matches (within one step of now), or None; replays are refused."""
    code = code.strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now = datetime.now(UTC)
    for offset in (0, -1, 1):
        moment = now + timedelta(seconds=30 * offset)
        step = int(moment.timestamp()) // 30
        if step > last_step and secrets.compare_digest(totp.at(moment), code):
            return step
    return None


def complete_second_factor(ws: Workspace, *, session_token: str, code: str) -> Actor:
    """TOTP step: turns a pending session into a full one, or counts a failure."""
    failed = False
    with ws.store.transaction() as tx:
        row = tx.get(WebSession, _digest(session_token))
        now = utcnow()
        if row is None or row.ended_at is not None or _aware(row.expires_at) <= now:
            raise AuthenticationFailed("the login has expired: sign in again")
        user = tx.get(User, row.user_id)
        assert user is not None
        state = tx.get(TotpState, user.id)
        last = state.last_step if state else 0
        step = None
        if user.totp_secret and not _is_locked(user, now):
            step = _totp_step(user.totp_secret, code, last)
        if step is None:
            _register_failure(tx, ws, user, user.username, "wrong second-factor code")
            failed = True
        else:
            if state is None:
                tx.add(TotpState(user_id=user.id, last_step=step))
            else:
                state.last_step = step
            user.failed_logins = 0
            row.second_factor_done = True
            row.last_seen_at = now
            row.expires_at = now + timedelta(minutes=ws.settings.session_minutes)
            actor = actor_of(user)
            record_event(tx, actor=actor, action="auth.login", target=f"user:{user.username}",
                         payload={"second_factor": "totp"})
    if failed:
        raise AuthenticationFailed(LOGIN_FAILED)
    return actor


def session_actor(ws: Workspace, *, session_token: str) -> Actor:
    """The actor of a live, fully signed-in session; its idle expiry moves forward with use."""
    now = utcnow()
    with ws.store.reading() as tx:
        row = tx.get(WebSession, _digest(session_token))
        if (row is None or row.ended_at is not None or not row.second_factor_done
                or _aware(row.expires_at) <= now):
            raise AuthenticationFailed("your session has ended: sign in again")
        user = tx.get(User, row.user_id)
        if user is None or not user.is_active:
            raise AuthenticationFailed("your session has ended: sign in again")
        actor = actor_of(user)
        refresh = now - _aware(row.last_seen_at) >= SESSION_REFRESH
        session_id = row.id
    if refresh:
        with ws.store.transaction() as tx:
            tx.execute(update(WebSession).where(WebSession.id == session_id).values(
                last_seen_at=now,
                expires_at=now + timedelta(minutes=ws.settings.session_minutes)))
    return actor


def logout(ws: Workspace, *, session_token: str) -> None:
    with ws.store.transaction() as tx:
        row = tx.get(WebSession, _digest(session_token))
        if row is None or row.ended_at is not None:
            return
        row.ended_at = utcnow()
        user = tx.get(User, row.user_id)
        assert user is not None
        record_event(tx, actor=actor_of(user), action="auth.logout",
                     target=f"user:{user.username}", payload={})


def session_binding(session_token: str) -> str:
    """What a CSRF token is bound to for a signed-in session (never the token itself)."""
    return _digest("csrf:" + session_token)


# --- TOTP enrolment ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TotpEnrolment:
    secret: str
    uri: str


def start_totp_enrolment(ws: Workspace, *, actor: Actor) -> TotpEnrolment:
    """A fresh secret and its otpauth:// URI; nothing is stored until a code confirms it."""
    secret = pyotp.random_base32()
    return TotpEnrolment(secret=secret, uri=totp_uri(actor=actor, secret=secret))


def totp_uri(*, actor: Actor, secret: str) -> str:
    """The otpauth:// URI an authenticator app reads (typed or opened; no QR image needed)."""
    uri: str = pyotp.TOTP(secret).provisioning_uri(name=actor.username, issuer_name=TOTP_ISSUER)
    return uri


def confirm_totp_enrolment(ws: Workspace, *, actor: Actor, secret: str, code: str) -> None:
    """Store the secret once the user proves their authenticator produces its codes."""
    if actor.user_id is None:
        raise InvalidInput("the local operator has no account to protect with a second factor")
    try:
        step = _totp_step(secret, code, 0)
    except Exception as err:  # pyotp raises binascii errors for a malformed secret
        raise InvalidInput("the second-factor secret is malformed") from err
    if step is None:
        raise InvalidInput("code: that code does not match the secret; try the next one")
    with ws.store.transaction() as tx:
        user = tx.get(User, actor.user_id)
        if user is None:
            raise NotFound(f"no user '{actor.username}'")
        user.totp_secret = secret
        state = tx.get(TotpState, user.id)
        if state is None:
            tx.add(TotpState(user_id=user.id, last_step=step))
        else:
            state.last_step = step
        record_event(tx, actor=actor, action="auth.totp_enrolled",
                     target=f"user:{user.username}", payload={})


def has_second_factor(ws: Workspace, *, actor: Actor) -> bool:
    with ws.store.reading() as tx:
        user = tx.get(User, actor.user_id) if actor.user_id is not None else None
        return user is not None and user.totp_secret is not None


# --- API tokens -------------------------------------------------------------------------------


def parse_scopes(names: list[str] | str) -> frozenset[Action]:
    """Scope names (action values or the shorthands ``read``/``all``) as actions."""
    if isinstance(names, str):
        names = [n for n in names.replace(",", " ").split() if n]
    scopes: set[Action] = set()
    for name in names:
        if name in SCOPE_SHORTHANDS:
            scopes |= SCOPE_SHORTHANDS[name]
            continue
        try:
            scopes.add(Action(name))
        except ValueError:
            known = ", ".join(sorted([*SCOPE_SHORTHANDS, *(a.value for a in Action)]))
            raise InvalidInput(f"scopes: unknown scope '{name}'; known: {known}") from None
    if not scopes:
        raise InvalidInput("scopes: give at least one scope")
    return frozenset(scopes)


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token: str
    """The secret, shown once; only its hash is kept."""
    name: str
    scopes: tuple[str, ...]


def create_api_token(
    ws: Workspace, *, actor: Actor, name: str, scopes: frozenset[Action],
    days: int | None = 90,
) -> IssuedToken:
    """Issue a bearer token; its scopes are capped at what the user's role may do."""
    if actor.user_id is None:
        raise InvalidInput("the local operator uses the command line, not API tokens")
    name = name.strip() or "token"
    allowed = PERMISSIONS.get(actor.role, frozenset())
    granted = tuple(sorted(a.value for a in scopes & allowed))
    if not granted:
        raise InvalidInput("scopes: none of these scopes is allowed for your role")
    token = "prl_" + secrets.token_urlsafe(32)
    with ws.store.transaction() as tx:
        tx.add(ApiToken(
            user_id=actor.user_id, name=name[:100], token_hash=_digest(token), prefix=token[:10],
            scopes=list(granted),
            expires_at=utcnow() + timedelta(days=days) if days else None,
        ))
        tx.flush()
        record_event(tx, actor=actor, action="auth.token_created",
                     target=f"user:{actor.username}", payload={"name": name, "scopes": granted})
    return IssuedToken(token=token, name=name, scopes=granted)


@dataclass(frozen=True, slots=True)
class TokenInfo:
    id: int
    name: str
    prefix: str
    scopes: tuple[str, ...]
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked: bool


def list_api_tokens(ws: Workspace, *, actor: Actor) -> list[TokenInfo]:
    with ws.store.reading() as tx:
        rows = tx.scalars(select(ApiToken).where(ApiToken.user_id == actor.user_id)
                          .order_by(ApiToken.id))
        return [TokenInfo(id=r.id, name=r.name, prefix=r.prefix, scopes=tuple(r.scopes),
                          created_at=r.created_at, expires_at=r.expires_at,
                          last_used_at=r.last_used_at, revoked=r.revoked_at is not None)
                for r in rows]


def revoke_api_token(ws: Workspace, *, actor: Actor, token_id: int) -> None:
    with ws.store.transaction() as tx:
        row = tx.get(ApiToken, token_id)
        if row is None or row.user_id != actor.user_id:
            raise NotFound(f"no token {token_id} of yours")
        if row.revoked_at is None:
            row.revoked_at = utcnow()
            record_event(tx, actor=actor, action="auth.token_revoked",
                         target=f"user:{actor.username}", payload={"name": row.name})


def token_actor(ws: Workspace, *, token: str) -> tuple[Actor, frozenset[Action]]:
    """The actor behind a bearer token and the actions the token allows."""
    now = utcnow()
    with ws.store.reading() as tx:
        row = tx.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(token)))
        if (row is None or row.revoked_at is not None
                or (row.expires_at is not None and _aware(row.expires_at) <= now)):
            raise AuthenticationFailed("the API token is unknown, revoked or expired")
        user = tx.get(User, row.user_id)
        if user is None or not user.is_active:
            raise AuthenticationFailed("the API token is unknown, revoked or expired")
        actor = actor_of(user)
        scopes = frozenset(Action(s) for s in row.scopes)
        stale = row.last_used_at is None or now - _aware(row.last_used_at) >= SESSION_REFRESH
        token_id = row.id
    if stale:
        with ws.store.transaction() as tx:
            tx.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now))
    return actor, scopes


# --- the web's signing secret -----------------------------------------------------------------


def ensure_secret_key(settings: Settings) -> str:
    """The secret that signs CSRF tokens: the setting, or one generated once into data_dir."""
    if settings.secret_key:
        return settings.secret_key
    path = settings.data_dir / "secret_key"
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    # Create with 0600 from the start, so the key is never readable by others, even briefly.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key)
    return key
