"""Sign-in and web sessions: the password step, the TOTP step, a recent re-check, sign-out.

- A session cookie carries a random id; the database keeps only its SHA-256, so a copy of the
  database opens no session.
- Every failed login is counted by the login guard (per account and source) and logged, in a
  transaction that commits even though the login fails (the failure is the fact worth keeping).
- A login for an unknown user does the same argon2 work as one for a real user, and every
  failure answers with the same sentence: neither the timing nor the text says who exists.
- Managing one's own account (tokens, second factor, password) needs a password (and code)
  check within ``reauth_minutes`` in this session: a session left open is not enough.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from parley.clock import as_utc, utcnow
from parley.config import Settings
from parley.domain.actors import Actor
from parley.errors import N_, AuthenticationFailed, ReauthenticationRequired
from parley.services import login_guard
from parley.services.account_records import LOGIN_FAILED, actor_of, digest, find_user
from parley.services.journal import record_event
from parley.services.passwords import (
    hash_password,
    needs_rehash,
    spend_equal_work,
    verify_password,
)
from parley.services.ports import Tx, repositories_of
from parley.services.ports.accounts import UserRow
from parley.services.ports.credentials import WebSessionRow
from parley.services.totp import matching_step
from parley.services.workspace import Workspace

SESSION_REFRESH = timedelta(minutes=1)
"""A session's expiry is pushed forward at most once a minute, to spare the database writes."""
LOCAL_SOURCE = "local"
"""The source of a login that did not come over the network (the command line, tests)."""


def authenticate(ws: Workspace, *, username: str, password: str,
                 source: str = LOCAL_SOURCE) -> Actor:
    """Password check; a failure says nothing about which half was wrong.

    The failure is counted and logged (committed) before ``AuthenticationFailed`` is raised.
    """
    failed = False
    now = utcnow()
    with ws.store.transaction() as tx:
        user = find_user(tx, username)
        slowed = login_guard.is_slowed(tx, ws.settings, username=username, source=source,
                                       now=now)
        if slowed or user is None:
            spend_equal_work(password)
            ok = False
        else:
            ok = verify_password(user.password_hash, password) and user.is_active
        if not ok:
            known = user if user is not None and user.is_active else None
            login_guard.note_failure(
                tx, ws.settings, user=known, username=username, source=source,
                reason="wrong password" if known else "unknown or inactive user",
                now=now, slowed=slowed)
            failed = True
        else:
            assert user is not None
            login_guard.note_success(tx, username=username, source=source)
            if needs_rehash(user.password_hash):
                user.password_hash = hash_password(password)  # costs raised since: upgrade
            actor = actor_of(user)
    if failed:
        raise AuthenticationFailed(LOGIN_FAILED)
    return actor


@dataclass(frozen=True, slots=True)
class LoginStep:
    """The result of the password step: a session token, and whether a TOTP code is still due."""

    session_token: str
    needs_second_factor: bool
    actor: Actor


def _new_session(tx: Tx, settings: Settings, user: UserRow, done: bool) -> str:
    token = secrets.token_urlsafe(32)
    now = utcnow()
    # A session waiting for its TOTP code lives five minutes at most.
    life = timedelta(minutes=settings.session_minutes if done else min(5, settings.session_minutes))
    repositories_of(tx).web_sessions.add(tx, session_id=digest(token), user_id=user.id, now=now,
                                         expires_at=now + life, second_factor_done=done)
    return token


def login(ws: Workspace, *, username: str, password: str,
          source: str = LOCAL_SOURCE) -> LoginStep:
    """Password step of a web login: opens a session (pending its TOTP step if enrolled)."""
    actor = authenticate(ws, username=username, password=password, source=source)
    with ws.store.transaction() as tx:
        user = ws.repos.users.get(tx, actor.user_id) if actor.user_id is not None else None
        assert user is not None
        done = user.totp_secret is None
        token = _new_session(tx, ws.settings, user, done)
        record_event(tx, actor=actor, action="auth.login" if done else "auth.password_ok",
                     target=f"user:{user.username}", payload={"source": source})
    return LoginStep(session_token=token, needs_second_factor=not done, actor=actor)


def _open_session(row: WebSessionRow | None, now: datetime) -> WebSessionRow:
    if row is None or row.ended_at is not None or as_utc(row.expires_at) <= now:
        raise AuthenticationFailed(N_("the login has expired: sign in again"))
    return row


def _spend_code(tx: Tx, user: UserRow, code: str) -> bool:
    """Check a TOTP code and spend its time step (no replay); False when it does not match."""
    steps = repositories_of(tx).totp_steps
    step = matching_step(user.totp_secret, code, steps.last(tx, user.id)) \
        if user.totp_secret else None
    if step is None:
        return False
    steps.spend(tx, user.id, step)
    return True


def complete_second_factor(ws: Workspace, *, session_token: str, code: str,
                           source: str = LOCAL_SOURCE) -> Actor:
    """TOTP step: turns a pending session into a full one, or counts a failure."""
    failed = False
    now = utcnow()
    with ws.store.transaction() as tx:
        row = _open_session(ws.repos.web_sessions.get(tx, digest(session_token)), now)
        user = ws.repos.users.get(tx, row.user_id)
        assert user is not None
        slowed = login_guard.is_slowed(tx, ws.settings, username=user.username, source=source,
                                       now=now)
        if slowed or not _spend_code(tx, user, code):
            login_guard.note_failure(tx, ws.settings, user=user, username=user.username,
                                     source=source, reason="wrong second-factor code", now=now,
                                     slowed=slowed)
            failed = True
        else:
            login_guard.note_success(tx, username=user.username, source=source)
            row.second_factor_done = True
            row.last_seen_at = row.reauthenticated_at = now
            row.expires_at = now + timedelta(minutes=ws.settings.session_minutes)
            actor = actor_of(user)
            record_event(tx, actor=actor, action="auth.login", target=f"user:{user.username}",
                         payload={"second_factor": "totp", "source": source})
    if failed:
        raise AuthenticationFailed(LOGIN_FAILED)
    return actor


def reauthenticate(ws: Workspace, *, session_token: str, password: str, code: str = "",
                   source: str = LOCAL_SOURCE) -> Actor:
    """Prove the password again (and a code, when enrolled) in a live session; this opens
    account management for ``reauth_minutes``. Failures count like failed logins."""
    failed = False
    now = utcnow()
    with ws.store.transaction() as tx:
        row = _open_session(ws.repos.web_sessions.get(tx, digest(session_token)), now)
        user = ws.repos.users.get(tx, row.user_id)
        if not row.second_factor_done or user is None or not user.is_active:
            raise AuthenticationFailed(N_("your session has ended: sign in again"))
        slowed = login_guard.is_slowed(tx, ws.settings, username=user.username, source=source,
                                       now=now)
        if slowed:
            spend_equal_work(password)
        ok = (not slowed and verify_password(user.password_hash, password)
              and (user.totp_secret is None or _spend_code(tx, user, code)))
        if not ok:
            login_guard.note_failure(tx, ws.settings, user=user, username=user.username,
                                     source=source, reason="re-authentication failed",
                                     now=now, slowed=slowed)
            failed = True
        else:
            login_guard.note_success(tx, username=user.username, source=source)
            row.reauthenticated_at = now
            actor = actor_of(user)
            record_event(tx, actor=actor, action="auth.reauthenticated",
                         target=f"user:{user.username}", payload={"source": source})
    if failed:
        raise AuthenticationFailed(LOGIN_FAILED)
    return actor


def require_recent_check(ws: Workspace, *, session_token: str) -> None:
    """Refuse unless this session proved the password within ``reauth_minutes``."""
    now = utcnow()
    with ws.store.reading() as tx:
        row = ws.repos.web_sessions.get(tx, digest(session_token))
        checked = row.reauthenticated_at if row is not None else None
    limit = timedelta(minutes=ws.settings.reauth_minutes)
    if checked is None or now - as_utc(checked) > limit:
        raise ReauthenticationRequired(
            N_("confirm your password first: managing your account needs a check within the "
               "last %(reauth_minutes)s minutes"),
            reauth_minutes=ws.settings.reauth_minutes,
        )


def session_actor(ws: Workspace, *, session_token: str) -> Actor:
    """The actor of a live, fully signed-in session; its idle expiry moves forward with use."""
    now = utcnow()
    with ws.store.reading() as tx:
        row = ws.repos.web_sessions.get(tx, digest(session_token))
        if (row is None or row.ended_at is not None or not row.second_factor_done
                or as_utc(row.expires_at) <= now):
            raise AuthenticationFailed(N_("your session has ended: sign in again"))
        user = ws.repos.users.get(tx, row.user_id)
        if user is None or not user.is_active:
            raise AuthenticationFailed(N_("your session has ended: sign in again"))
        actor = actor_of(user)
        refresh = now - as_utc(row.last_seen_at) >= SESSION_REFRESH
        session_id = row.id
    if refresh:
        with ws.store.transaction() as tx:
            ws.repos.web_sessions.touch(
                tx, session_id, now=now,
                expires_at=now + timedelta(minutes=ws.settings.session_minutes))
    return actor


def logout(ws: Workspace, *, session_token: str) -> None:
    with ws.store.transaction() as tx:
        row = ws.repos.web_sessions.get(tx, digest(session_token))
        if row is None or row.ended_at is not None:
            return
        row.ended_at = utcnow()
        user = ws.repos.users.get(tx, row.user_id)
        assert user is not None
        record_event(tx, actor=actor_of(user), action="auth.logout",
                     target=f"user:{user.username}", payload={})


def session_binding(session_token: str) -> str:
    """What a CSRF token is bound to for a signed-in session (never the token itself)."""
    return digest("csrf:" + session_token)


def session_id_of(session_token: str) -> str:
    """The stored id of a session (the hash of its cookie value)."""
    return digest(session_token)
