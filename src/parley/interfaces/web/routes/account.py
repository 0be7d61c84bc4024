"""The account page: password re-check, second factor (TOTP) enrolment, API tokens, password.

Every change here needs a browser session (never a bearer token) whose password was checked
within ``PARLEY_REAUTH_MINUTES``; the page offers the check when it is due.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from parley.domain.actors import PERMISSIONS, Action
from parley.domain.policy import clearance_of
from parley.errors import N_, AuthenticationFailed, InvalidInput, ReauthenticationRequired
from parley.interfaces.web.deps import (
    SESSION_COOKIE,
    CurrentActor,
    FreshSessionActor,
    RowId,
    SessionActor,
    WorkspaceDep,
    client_source,
    render,
    set_flash,
)
from parley.interfaces.web.error_text import translate_error
from parley.services import accounts

router = APIRouter()


def _is_fresh(request: Request, ws: WorkspaceDep) -> bool:
    try:
        accounts.require_recent_check(ws, session_token=request.cookies.get(SESSION_COOKIE, ""))
    except ReauthenticationRequired:
        return False
    return True


def _page(request: Request, ws: WorkspaceDep, actor: CurrentActor, status_code: int = 200,
          **extra: Any) -> Response:
    allowed = sorted(a.value for a in PERMISSIONS.get(actor.role, frozenset()))
    has_totp = accounts.has_second_factor(ws, actor=actor)
    return render(
        request, "account.html", status_code,
        has_totp=has_totp,
        tokens=accounts.list_api_tokens(ws, actor=actor) if actor.user_id is not None else [],
        allowed_scopes=allowed, clearance=clearance_of(actor), fresh=_is_fresh(request, ws),
        reauth_minutes=ws.settings.reauth_minutes, **extra,
    )


def _back(request: Request, message: str) -> Response:
    response = RedirectResponse("/account", status_code=303)
    set_flash(response, request, message)
    return response


@router.get("/account", response_class=HTMLResponse, include_in_schema=False)
def account_page(request: Request, ws: WorkspaceDep, actor: SessionActor) -> Response:
    return _page(request, ws, actor)


@router.post("/account/confirm", response_class=HTMLResponse, include_in_schema=False)
def confirm(request: Request, ws: WorkspaceDep, actor: SessionActor,
            password: Annotated[str, Form(max_length=1000)],
            code: Annotated[str, Form(max_length=12)] = "") -> Response:
    """The password (and code) again: opens account management for a few minutes."""
    try:
        accounts.reauthenticate(ws, session_token=request.cookies.get(SESSION_COOKIE, ""),
                                password=password, code=code, source=client_source(request))
    except AuthenticationFailed as err:
        return _page(request, ws, actor, 401, confirm_error=translate_error(err))
    return _back(request, f"Confirmed: you may manage your account for the next "
                 f"{ws.settings.reauth_minutes} minutes.")


@router.post("/account/totp/start", response_class=HTMLResponse, include_in_schema=False)
def totp_start(request: Request, ws: WorkspaceDep, actor: FreshSessionActor) -> Response:
    return _page(request, ws, actor, enrolment=accounts.start_totp_enrolment(ws, actor=actor))


@router.post("/account/totp/confirm", response_class=HTMLResponse, include_in_schema=False)
def totp_confirm(request: Request, ws: WorkspaceDep, actor: FreshSessionActor,
                 secret: Annotated[str, Form(max_length=64)],
                 code: Annotated[str, Form(max_length=12)]) -> Response:
    try:
        accounts.confirm_totp_enrolment(ws, actor=actor, secret=secret, code=code)
    except InvalidInput as err:
        enrolment = accounts.TotpEnrolment(
            secret=secret, uri=accounts.totp_uri(actor=actor, secret=secret))
        return _page(request, ws, actor, 422, enrolment=enrolment, totp_error=translate_error(err))
    return _back(request, "Second factor enabled: you will be asked for a code at sign-in.")


@router.post("/account/password", response_class=HTMLResponse, include_in_schema=False)
def password_change(request: Request, ws: WorkspaceDep, actor: FreshSessionActor,
                    password: Annotated[str, Form(max_length=1000)],
                    repeat: Annotated[str, Form(max_length=1000)]) -> Response:
    try:
        if password != repeat:
            raise InvalidInput(N_("repeat: the two new passwords differ"))
        accounts.change_own_password(ws, actor=actor, password=password,
                                     session_token=request.cookies.get(SESSION_COOKIE, ""))
    except InvalidInput as err:
        return _page(request, ws, actor, 422, password_error=translate_error(err))
    return _back(request, "Password changed: your other sessions ended and your API tokens "
                 "were revoked.")


@router.post("/account/tokens", response_class=HTMLResponse, include_in_schema=False)
def token_create(request: Request, ws: WorkspaceDep, actor: FreshSessionActor,
                 name: Annotated[str, Form(max_length=100)],
                 scopes: Annotated[list[str] | None, Form()] = None) -> Response:
    try:
        issued = accounts.create_api_token(ws, actor=actor, name=name,
                                           scopes=accounts.parse_scopes(scopes or []))
    except InvalidInput as err:
        return _page(request, ws, actor, 422, token_error=translate_error(err))
    return _page(request, ws, actor, issued=issued)


@router.post("/account/tokens/{token_id}/revoke", include_in_schema=False)
def token_revoke(request: Request, ws: WorkspaceDep, actor: SessionActor,
                 token_id: RowId) -> Response:
    """Revoking only takes rights away: a live session is enough."""
    accounts.revoke_api_token(ws, actor=actor, token_id=token_id)
    return _back(request, "Token revoked.")


@router.get("/api/me", tags=["account"], summary="Who the caller is")
def api_me(request: Request, actor: CurrentActor) -> dict[str, Any]:
    scopes: frozenset[Action] | None = getattr(request.state, "scopes", None)
    return {"username": actor.username, "role": actor.role.value, "agency": actor.agency,
            "clearance": clearance_of(actor),
            "scopes": sorted(s.value for s in scopes) if scopes is not None else None}
