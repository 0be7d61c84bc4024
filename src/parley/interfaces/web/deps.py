"""What every route shares: dependency aliases, sign-in, CSRF, and rendering.

Routes read like prose with these aliases::

    @router.get("/lists")
    def lists_page(request: Request, ws: WorkspaceDep,
                   actor: Annotated[Actor, require(Action.READ_LISTS)]) -> HTMLResponse:
        return render(request, "lists.html", lists=list_lists(ws, actor=actor))

``CurrentActor`` is whoever is signed in (a session cookie or a bearer API token);
``require(Action.X)`` also checks the role and, for a token, its scopes, and logs a refusal.
A page form posts a ``csrf_token`` field (``{{ csrf_input() }}`` in a template); htmx requests
send the ``X-CSRF-Token`` header that ``base.html`` sets; bearer-token API calls need neither.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from itsdangerous import BadSignature, URLSafeTimedSerializer
from markupsafe import Markup

from parley.domain.actors import Action, Actor
from parley.errors import (
    N_,
    AccessDenied,
    AuthenticationFailed,
    CsrfRefused,
    LoginRequired,
)
from parley.interfaces.web import i18n
from parley.interfaces.web.error_text import reason, shown
from parley.services import accounts
from parley.services.access import log_denied
from parley.services.workspace import Workspace

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")


def show(value: Any) -> str:
    """Template filter: times as 'YYYY-MM-DD HH:MM:SS UTC' (stored UTC), the rest as text."""
    if isinstance(value, datetime):
        moment = value if value.tzinfo is None else value.astimezone(UTC)
        return moment.strftime("%Y-%m-%d %H:%M:%S UTC")
    return "" if value is None else str(value)


templates.env.filters["show"] = show
templates.env.filters["reason"] = reason  # a quarantine reason, stored in English
templates.env.filters["message"] = shown  # a Text (template + values) in the reader's language
i18n.install(templates.env)

SESSION_COOKIE = "parley_session"
CSRF_COOKIE = "parley_csrf"
FLASH_COOKIE = "parley_flash"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
CSRF_MAX_AGE = 12 * 3600
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True, slots=True)
class NavItem:
    label: str
    href: str
    action: Action | None = None


NAV: list[NavItem] = []
"""Navigation entries; a feature adds its own with ``NAV.append(NavItem(...))``. An entry with an
action shows only to users whose role may perform it."""


def get_workspace(request: Request) -> Workspace:
    ws: Workspace = request.app.state.ws
    return ws


WorkspaceDep = Annotated[Workspace, Depends(get_workspace)]

class CsvResponse(Response):
    """A CSV download; as a route's ``response_class`` it documents ``text/csv`` in OpenAPI."""

    media_type = "text/csv"


MAX_ROW_ID = 2**63 - 1
RowId = Annotated[int, PathParam(ge=0, le=MAX_ROW_ID, description="A row id.")]
"""An id in a URL path. One that no database row can have (too large, negative, not a number)
names nothing, so the app answers 404 for it (see ``app._invalid_request``), never 500."""


def _serializer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(request.app.state.secret_key, salt="parley-csrf")


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def csrf_binding(request: Request) -> str:
    """What this browser's CSRF tokens are bound to: the session, or the pre-login cookie."""
    session = request.cookies.get(SESSION_COOKIE)
    if session:
        return accounts.session_binding(session)
    pre: str | None = getattr(request.state, "csrf_cookie", None) or request.cookies.get(
        CSRF_COOKIE)
    return "pre:" + (pre or "")


def csrf_token(request: Request) -> str:
    return str(_serializer(request).dumps(csrf_binding(request)))


def csrf_input(request: Request) -> Markup:
    return Markup('<input type="hidden" name="{}" value="{}">').format(
        CSRF_FIELD, csrf_token(request))


async def check_csrf(request: Request) -> None:
    """App-wide dependency: every state-changing request from a browser carries a valid token."""
    if request.method not in UNSAFE_METHODS or _bearer(request) is not None:
        return
    sent = request.headers.get(CSRF_HEADER)
    if not sent:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(CSRF_FIELD)
            sent = value if isinstance(value, str) else None
    binding = csrf_binding(request)
    try:
        ok = sent is not None and _serializer(request).loads(
            sent, max_age=CSRF_MAX_AGE) == binding
    except BadSignature:
        ok = False
    if not ok or binding == "pre:":
        raise CsrfRefused(
            N_("the form has expired or did not come from this site: reload the page and try "
               "again"),
        )


def ensure_csrf_cookie(request: Request) -> str | None:
    """A fresh pre-login CSRF cookie value when the browser has none (set by the middleware)."""
    if request.cookies.get(CSRF_COOKIE):
        return None
    value = secrets.token_urlsafe(24)
    request.state.csrf_cookie = value
    return value


def current_actor(request: Request, ws: WorkspaceDep) -> Actor:
    """The signed-in actor, from a bearer token or the session cookie."""
    cached: Actor | None = getattr(request.state, "actor", None)
    if cached is not None:
        return cached
    token = _bearer(request)
    if token is not None:
        actor, scopes = accounts.token_actor(ws, token=token)
        request.state.scopes = scopes
    else:
        session = request.cookies.get(SESSION_COOKIE)
        if not session:
            raise LoginRequired(N_("sign in first"))
        try:
            actor = accounts.session_actor(ws, session_token=session)
        except AuthenticationFailed as err:
            raise LoginRequired(err.template, **err.values) from err
        request.state.scopes = None
    request.state.actor = actor
    return actor


CurrentActor = Annotated[Actor, Depends(current_actor)]


def client_source(request: Request) -> str:
    """Where a request comes from, as the login guard counts it: the peer's address (behind a
    proxy, the proxy's unless uvicorn is told to trust its forwarded headers)."""
    return (request.client.host if request.client is not None else "") or "unknown"


def session_actor(request: Request, ws: WorkspaceDep, actor: CurrentActor) -> Actor:
    """The actor of a browser session; a bearer token is refused (and the refusal logged):
    account management is never open to an API token, whatever its scopes."""
    if _bearer(request) is not None:
        log_denied(ws, actor=actor, action="manage_account", target=f"path:{request.url.path}")
        raise AccessDenied(
            N_("account management needs a signed-in browser session, not an API token"),
        )
    return actor


SessionActor = Annotated[Actor, Depends(session_actor)]


def fresh_session_actor(request: Request, ws: WorkspaceDep, actor: SessionActor) -> Actor:
    """A browser session that proved the password within ``reauth_minutes``."""
    accounts.require_recent_check(ws, session_token=request.cookies.get(SESSION_COOKIE, ""))
    return actor


FreshSessionActor = Annotated[Actor, Depends(fresh_session_actor)]


def optional_actor(request: Request, ws: WorkspaceDep) -> Actor | None:
    try:
        return current_actor(request, ws)
    except (LoginRequired, AuthenticationFailed):
        return None


MaybeActor = Annotated[Actor | None, Depends(optional_actor)]


def require(action: Action) -> Any:
    """A dependency: the signed-in actor, if their role (and token scopes) allow ``action``.

    A refusal is logged (``access.denied``) before the 403 goes out.
    """

    def dependency(request: Request, ws: WorkspaceDep, actor: CurrentActor) -> Actor:
        scopes: frozenset[Action] | None = getattr(request.state, "scopes", None)
        if not actor.may(action) or (scopes is not None and action not in scopes):
            log_denied(ws, actor=actor, action=action.value, target=f"path:{request.url.path}")
            # The action in the reader's words ("read the audit log"), never its internal name.
            why = (N_("your role does not allow you to %(action)s") if not actor.may(action)
                   else N_("your API token's scopes do not allow you to %(action)s"))
            raise AccessDenied(why, action=action)
        return actor

    return Depends(dependency)


def wants_json(request: Request) -> bool:
    if request.url.path.startswith("/api/"):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def secure_cookies(request: Request) -> bool:
    """Cookies go over HTTPS only when the request came that way, or always in production
    (where TLS usually ends at a proxy in front of uvicorn)."""
    ws: Workspace = request.app.state.ws
    return request.url.scheme == "https" or ws.settings.environment == "production"


def set_flash(response: Response, request: Request, message: str) -> None:
    response.set_cookie(FLASH_COOKIE, _serializer(request).dumps(message), httponly=True,
                        samesite="strict", max_age=60, secure=secure_cookies(request))


def _take_flash(request: Request) -> str | None:
    raw = request.cookies.get(FLASH_COOKIE)
    if not raw:
        return None
    try:
        return str(_serializer(request).loads(raw, max_age=120))
    except BadSignature:
        return None


def render(request: Request, template: str, /, status_code: int = 200,
           **context: Any) -> HTMLResponse:
    """Render a page template with what ``base.html`` needs (actor, navigation, CSRF, flash)."""
    actor: Actor | None = getattr(request.state, "actor", None)
    flash = _take_flash(request)
    nav = [n for n in NAV if actor is not None and (n.action is None or actor.may(n.action))]
    response = templates.TemplateResponse(
        request, template,
        {"actor": actor, "nav": nav, "flash": flash, "csrf_token": csrf_token(request),
         "lang": i18n.current_language.get(),
         "csrf_input": lambda: csrf_input(request), **context},
        status_code=status_code,
    )
    if flash is not None:
        response.delete_cookie(FLASH_COOKIE)
    return response
