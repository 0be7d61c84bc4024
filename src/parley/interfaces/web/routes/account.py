"""The account page: second factor (TOTP) enrolment and API tokens."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from parley.domain.actors import PERMISSIONS, Action
from parley.domain.policy import clearance_of
from parley.errors import InvalidInput
from parley.interfaces.web.deps import CurrentActor, RowId, WorkspaceDep, render, set_flash
from parley.services import accounts

router = APIRouter()


def _page(request: Request, ws: WorkspaceDep, actor: CurrentActor, status_code: int = 200,
          **extra: Any) -> Response:
    allowed = sorted(a.value for a in PERMISSIONS.get(actor.role, frozenset()))
    return render(
        request, "account.html", status_code,
        has_totp=accounts.has_second_factor(ws, actor=actor),
        tokens=accounts.list_api_tokens(ws, actor=actor) if actor.user_id is not None else [],
        allowed_scopes=allowed, clearance=clearance_of(actor), **extra,
    )


@router.get("/account", response_class=HTMLResponse, include_in_schema=False)
def account_page(request: Request, ws: WorkspaceDep, actor: CurrentActor) -> Response:
    return _page(request, ws, actor)


@router.post("/account/totp/start", response_class=HTMLResponse, include_in_schema=False)
def totp_start(request: Request, ws: WorkspaceDep, actor: CurrentActor) -> Response:
    return _page(request, ws, actor, enrolment=accounts.start_totp_enrolment(ws, actor=actor))


@router.post("/account/totp/confirm", response_class=HTMLResponse, include_in_schema=False)
def totp_confirm(request: Request, ws: WorkspaceDep, actor: CurrentActor,
                 secret: Annotated[str, Form(max_length=64)],
                 code: Annotated[str, Form(max_length=12)]) -> Response:
    try:
        accounts.confirm_totp_enrolment(ws, actor=actor, secret=secret, code=code)
    except InvalidInput as err:
        enrolment = accounts.TotpEnrolment(
            secret=secret, uri=accounts.totp_uri(actor=actor, secret=secret))
        return _page(request, ws, actor, 422, enrolment=enrolment, totp_error=str(err))
    response = RedirectResponse("/account", status_code=303)
    set_flash(response, request, "Second factor enabled: you will be asked for a code at sign-in.")
    return response


@router.post("/account/tokens", response_class=HTMLResponse, include_in_schema=False)
def token_create(request: Request, ws: WorkspaceDep, actor: CurrentActor,
                 name: Annotated[str, Form(max_length=100)],
                 scopes: Annotated[list[str] | None, Form()] = None) -> Response:
    try:
        issued = accounts.create_api_token(ws, actor=actor, name=name,
                                           scopes=accounts.parse_scopes(scopes or []))
    except InvalidInput as err:
        return _page(request, ws, actor, 422, token_error=str(err))
    return _page(request, ws, actor, issued=issued)


@router.post("/account/tokens/{token_id}/revoke", include_in_schema=False)
def token_revoke(request: Request, ws: WorkspaceDep, actor: CurrentActor,
                 token_id: RowId) -> Response:
    accounts.revoke_api_token(ws, actor=actor, token_id=token_id)
    response = RedirectResponse("/account", status_code=303)
    set_flash(response, request, "Token revoked.")
    return response


@router.get("/api/me", tags=["account"], summary="Who the caller is")
def api_me(request: Request, actor: CurrentActor) -> dict[str, Any]:
    scopes: frozenset[Action] | None = getattr(request.state, "scopes", None)
    return {"username": actor.username, "role": actor.role.value, "agency": actor.agency,
            "clearance": clearance_of(actor),
            "scopes": sorted(s.value for s in scopes) if scopes is not None else None}
