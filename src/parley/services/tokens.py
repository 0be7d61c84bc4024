"""API tokens: bearer secrets with scopes, of which only a hash is kept.

A token's scopes are capped at what the user's role may do and, when a token is made by a
caller that is itself limited (``within``), at that caller's scopes: a credential can never
mint one wider than itself. The web makes tokens only for a browser session with a recent
password check; a bearer token cannot reach account management at all.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from parley.clock import as_utc, utcnow
from parley.domain.actors import PERMISSIONS, Action, Actor
from parley.errors import N_, AuthenticationFailed, InvalidInput, NotFound
from parley.services.account_records import actor_of, digest
from parley.services.journal import record_event
from parley.services.workspace import Workspace

LAST_USED_REFRESH = timedelta(minutes=1)
"""A token's last use is written at most once a minute, to spare the database writes."""

# Scopes of an API token are action names; "read" is a shorthand for the reading actions.
READ_SCOPES = frozenset(
    {Action.SEARCH_REGISTRY, Action.READ_RECORD, Action.READ_LISTS, Action.READ_AUDIT}
)
SCOPE_SHORTHANDS: dict[str, frozenset[Action]] = {"read": READ_SCOPES, "all": frozenset(Action)}


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
            raise InvalidInput(
                N_("scopes: unknown scope '%(name)s'; known: %(known)s"),
                name=name, known=known,
            ) from None
    if not scopes:
        raise InvalidInput(N_("scopes: give at least one scope"))
    return frozenset(scopes)


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token: str
    """The secret, shown once; only its hash is kept."""
    name: str
    scopes: tuple[str, ...]


def create_api_token(
    ws: Workspace, *, actor: Actor, name: str, scopes: frozenset[Action],
    days: int | None = 90, within: frozenset[Action] | None = None,
) -> IssuedToken:
    """Issue a bearer token; its scopes are capped at what the user's role may do and at
    ``within``, the scopes of the credential asking (None: a full session)."""
    if actor.user_id is None:
        raise InvalidInput(N_("the local operator uses the command line, not API tokens"))
    name = name.strip() or "token"
    allowed = PERMISSIONS.get(actor.role, frozenset())
    if within is not None:
        allowed = allowed & within
    wider = sorted(a.value for a in scopes - allowed)
    if within is not None and wider:
        raise InvalidInput(
            N_("scopes: a token cannot grant more than the credential that makes it: %(wider)s"),
            wider=', '.join(wider),
        )
    granted = tuple(sorted(a.value for a in scopes & allowed))
    if not granted:
        raise InvalidInput(N_("scopes: none of these scopes is allowed for your role"))
    token = "prl_" + secrets.token_urlsafe(32)
    with ws.store.transaction() as tx:
        ws.repos.api_tokens.add(
            tx, user_id=actor.user_id, name=name[:100], token_hash=digest(token),
            prefix=token[:10], scopes=list(granted),
            expires_at=utcnow() + timedelta(days=days) if days else None,
        )
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
        rows = ws.repos.api_tokens.of_user(tx, actor.user_id)
        return [TokenInfo(id=r.id, name=r.name, prefix=r.prefix, scopes=tuple(r.scopes),
                          created_at=r.created_at, expires_at=r.expires_at,
                          last_used_at=r.last_used_at, revoked=r.revoked_at is not None)
                for r in rows]


def revoke_api_token(ws: Workspace, *, actor: Actor, token_id: int) -> None:
    with ws.store.transaction() as tx:
        row = ws.repos.api_tokens.get(tx, token_id)
        if row is None or row.user_id != actor.user_id:
            raise NotFound(N_("no token %(token_id)s of yours"), token_id=token_id)
        if row.revoked_at is None:
            row.revoked_at = utcnow()
            record_event(tx, actor=actor, action="auth.token_revoked",
                         target=f"user:{actor.username}", payload={"name": row.name})


def token_actor(ws: Workspace, *, token: str) -> tuple[Actor, frozenset[Action]]:
    """The actor behind a bearer token and the actions the token allows."""
    now = utcnow()
    with ws.store.reading() as tx:
        row = ws.repos.api_tokens.by_hash(tx, digest(token))
        if (row is None or row.revoked_at is not None
                or (row.expires_at is not None and as_utc(row.expires_at) <= now)):
            raise AuthenticationFailed(N_("the API token is unknown, revoked or expired"))
        user = ws.repos.users.get(tx, row.user_id)
        if user is None or not user.is_active:
            raise AuthenticationFailed(N_("the API token is unknown, revoked or expired"))
        actor = actor_of(user)
        scopes = frozenset(Action(s) for s in row.scopes)
        stale = row.last_used_at is None or now - as_utc(row.last_used_at) >= LAST_USED_REFRESH
        token_id = row.id
    if stale:
        with ws.store.transaction() as tx:
            ws.repos.api_tokens.mark_used(tx, token_id, now)
    return actor, scopes
