"""Sign-in (password, then a TOTP code if enrolled) and sign-out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from parley.errors import AuthenticationFailed
from parley.interfaces.web.deps import (
    SESSION_COOKIE,
    MaybeActor,
    WorkspaceDep,
    client_source,
    render,
    secure_cookies,
    set_flash,
)
from parley.interfaces.web.error_text import translate_error
from parley.services import accounts

router = APIRouter(tags=["sign-in"], include_in_schema=False)

PENDING_COOKIE = "parley_pending"


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never '//host' or 'https://…' (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _cookie(response: Response, request: Request, name: str, value: str, max_age: int) -> None:
    response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="strict",
                        secure=secure_cookies(request), path="/")


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, actor: MaybeActor, next: str = "/") -> Response:
    if actor is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return render(request, "login.html", next=_safe_next(next), error=None)


@router.post("/login", response_class=HTMLResponse)
def login_submit(
    request: Request,
    ws: WorkspaceDep,
    username: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=1000)],
    next: Annotated[str, Form()] = "/",
) -> Response:
    try:
        step = accounts.login(ws, username=username.strip(), password=password,
                              source=client_source(request))
    except AuthenticationFailed as err:
        return render(request, "login.html", status_code=401, next=_safe_next(next),
                      error=translate_error(err), username=username)
    if step.needs_second_factor:
        response: Response = RedirectResponse(
            f"/login/totp?next={_safe_next(next)}", status_code=303)
        _cookie(response, request, PENDING_COOKIE, step.session_token, 300)
        return response
    response = RedirectResponse(_safe_next(next), status_code=303)
    _cookie(response, request, SESSION_COOKIE, step.session_token,
            ws.settings.session_minutes * 60)
    return response


@router.get("/login/totp", response_class=HTMLResponse)
def totp_page(request: Request, next: str = "/") -> Response:
    if not request.cookies.get(PENDING_COOKIE):
        return RedirectResponse("/login", status_code=303)
    return render(request, "totp.html", next=_safe_next(next), error=None)


@router.post("/login/totp", response_class=HTMLResponse)
def totp_submit(
    request: Request,
    ws: WorkspaceDep,
    code: Annotated[str, Form(max_length=12)],
    next: Annotated[str, Form()] = "/",
) -> Response:
    pending = request.cookies.get(PENDING_COOKIE)
    if not pending:
        return RedirectResponse("/login", status_code=303)
    try:
        accounts.complete_second_factor(ws, session_token=pending, code=code,
                                        source=client_source(request))
    except AuthenticationFailed as err:
        return render(request, "totp.html", status_code=401, next=_safe_next(next),
                      error=translate_error(err))
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.delete_cookie(PENDING_COOKIE)
    _cookie(response, request, SESSION_COOKIE, pending, ws.settings.session_minutes * 60)
    return response


@router.post("/logout")
def logout(request: Request, ws: WorkspaceDep) -> Response:
    session = request.cookies.get(SESSION_COOKIE)
    if session:
        accounts.logout(ws, session_token=session)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    set_flash(response, request, "You are signed out.")
    return response
