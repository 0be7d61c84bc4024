"""Signing in on the command line: the web's login steps, ending in an API token kept on disk.

Why a token and not a session: a terminal has no cookie jar, and a token is the credential the
staff already revoke (a lock, a password reset or a change of rights revokes it). The login runs
the same password step, second-factor step and login guard as the web, through their own
services; only then is a token made, and the short web session the steps opened is ended, so
no session is left behind that nobody will use. The audit log reads ``auth.login``,
``auth.token_created`` (named "parley command line"), ``auth.logout``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from parley.domain.actors import PERMISSIONS, Action, Actor
from parley.errors import N_, AccessDenied, AuthenticationFailed, LoginExpired, NotFound
from parley.services import sessions, tokens
from parley.services.workspace import Workspace

CLI_SOURCE = "cli"
"""The source the login guard counts command-line sign-ins under."""
CLI_TOKEN_NAME = "parley command line"
CLI_TOKEN_DAYS = 30
"""A command-line login lasts 30 days: long enough for an exchange's working weeks, short
enough that a forgotten laptop does not hold a live credential for a season."""


@dataclass(frozen=True, slots=True)
class CliLogin:
    actor: Actor
    token: str
    token_id: int | None
    expires_at: datetime | None


def sign_in(ws: Workspace, *, username: str, password: str,
            ask_code: Callable[[], str]) -> CliLogin:
    """Password step, then (when the account has one enrolled) the code that ``ask_code``
    returns; a failure raises ``AuthenticationFailed`` and is counted like a web one."""
    step = sessions.login(ws, username=username, password=password, source=CLI_SOURCE)
    actor = step.actor
    if step.needs_second_factor:  # a wrong code leaves the pending session to lapse (5 min)
        actor = sessions.complete_second_factor(
            ws, session_token=step.session_token, code=ask_code().strip(), source=CLI_SOURCE)
    issued = tokens.create_api_token(ws, actor=actor, name=CLI_TOKEN_NAME,
                                     scopes=frozenset(Action), days=CLI_TOKEN_DAYS)
    sessions.logout(ws, session_token=step.session_token)
    # ``IssuedToken`` carries no id, which ``parley logout`` needs to revoke it: find it by its
    # stored prefix among the user's live command-line tokens (the newest is this one).
    mine = [t for t in tokens.list_api_tokens(ws, actor=actor)
            if t.prefix == issued.token[:10] and t.name == CLI_TOKEN_NAME and not t.revoked]
    newest = max(mine, key=lambda t: t.id, default=None)
    return CliLogin(actor=actor, token=issued.token, token_id=newest.id if newest else None,
                    expires_at=newest.expires_at if newest else None)


def token_user(ws: Workspace, *, token: str) -> Actor:
    """The person a saved token (or ``PARLEY_TOKEN``) belongs to. A dead token is
    ``LoginExpired``; a token narrower than its owner's role is refused, because the command
    line acts with the whole role and must never act wider than the credential."""
    try:
        actor, scopes = tokens.token_actor(ws, token=token)
    except AuthenticationFailed:
        raise LoginExpired(
            N_("your login has expired or was revoked: run 'parley login' again"),
        ) from None
    missing = PERMISSIONS.get(actor.role, frozenset()) - scopes
    if missing:
        raise AccessDenied(
            N_("this API token is limited to %(items)s; the command line needs one with all "
               "your role's scopes: run 'parley login' (or make a token with scope 'all')"),
            items=', '.join(sorted(s.value for s in scopes)) or 'nothing',
        )
    return actor


def sign_out(ws: Workspace, *, token: str, token_id: int | None) -> Actor | None:
    """Revoke the saved token; None when it was dead already (signing out still succeeds)."""
    try:
        actor, _ = tokens.token_actor(ws, token=token)
    except AuthenticationFailed:
        return None
    if token_id is not None:
        try:
            tokens.revoke_api_token(ws, actor=actor, token_id=token_id)
        except NotFound:
            return None
    return actor
