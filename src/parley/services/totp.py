"""The TOTP second factor (RFC 6238): enrolment, and matching a code without replays."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

import pyotp

from parley.clock import utcnow
from parley.domain.actors import Actor
from parley.errors import N_, InvalidInput, NotFound
from parley.services.journal import record_event
from parley.services.workspace import Workspace

TOTP_ISSUER = "Parley"


def matching_step(secret: str, code: str, last_step: int) -> int | None:
    """The time step ``code`` matches (within one step of now), or None; replays are refused."""
    code = code.strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now = utcnow()
    for offset in (0, -1, 1):
        moment = now + timedelta(seconds=30 * offset)
        step = int(moment.timestamp()) // 30
        if step > last_step and secrets.compare_digest(totp.at(moment), code):
            return step
    return None


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
        raise InvalidInput(N_("the local operator has no account to protect with a second factor"))
    try:
        step = matching_step(secret, code, 0)
    except Exception as err:  # pyotp raises binascii errors for a malformed secret
        raise InvalidInput(N_("the second-factor secret is malformed")) from err
    if step is None:
        raise InvalidInput(N_("code: that code does not match the secret; try the next one"))
    with ws.store.transaction() as tx:
        user = ws.repos.users.get(tx, actor.user_id)
        if user is None:
            raise NotFound(N_("no user '%(username)s'"), username=actor.username)
        user.totp_secret = secret
        ws.repos.totp_steps.spend(tx, user.id, step)
        record_event(tx, actor=actor, action="auth.totp_enrolled",
                     target=f"user:{user.username}", payload={})


def has_second_factor(ws: Workspace, *, actor: Actor) -> bool:
    with ws.store.reading() as tx:
        user = ws.repos.users.get(tx, actor.user_id) if actor.user_id is not None else None
        return user is not None and user.totp_secret is not None
