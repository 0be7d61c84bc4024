"""The app factory: wires the workspace, the routers, the one error handler and the security
headers together."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from parley import __version__
from parley.errors import (
    N_,
    InvalidInput,
    LoginRequired,
    NotFound,
    ParleyError,
    ReauthenticationRequired,
)
from parley.interfaces.web import i18n, routes
from parley.interfaces.web.deps import (
    CSRF_COOKIE,
    HERE,
    check_csrf,
    ensure_csrf_cookie,
    render,
    secure_cookies,
    set_flash,
    wants_json,
)
from parley.interfaces.web.error_text import translate_error
from parley.services.accounts import ensure_secret_key
from parley.services.workspace import Workspace

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


class SecurityHeaders:
    """Pure ASGI middleware: security headers on every response, and a pre-login CSRF cookie
    for a browser that has none (so even the login form is protected)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        fresh = ensure_csrf_cookie(request)
        cookie = None
        if fresh is not None:
            holder = Response()
            holder.set_cookie(CSRF_COOKIE, fresh, httponly=True, samesite="strict",
                              secure=secure_cookies(request))
            cookie = holder.headers["set-cookie"]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for key, value in SECURITY_HEADERS.items():
                    if key not in headers:
                        headers[key] = value
                if cookie is not None:
                    headers.append("set-cookie", cookie)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class Language:
    """Pure ASGI middleware: the request's language (cookie, then Accept-Language, then
    Ukrainian) in ``i18n.current_language`` for templates, flashes and errors alike."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        language = i18n.negotiate(request.cookies.get(i18n.COOKIE),
                                  request.headers.get("accept-language"))
        token = i18n.current_language.set(language)

        async def send_with_language(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["Content-Language"] = language
                headers.append("Vary", "Accept-Language, Cookie")
            await send(message)

        try:
            await self.app(scope, receive, send_with_language)
        finally:
            i18n.current_language.reset(token)


def _error_response(request: Request, status: int, error: ParleyError) -> Response:
    """The one place an error becomes a page or JSON, in the reader's language; the message is
    the error's sentence only (never the request's input echoed back, never an item's value)."""
    message = translate_error(error)
    if wants_json(request):
        return JSONResponse({"error": message, "status": status}, status_code=status)
    return render(request, "error.html", status_code=status, status=status, message=message)


def _operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The OpenAPI operations as rows for the API reference page."""
    rows: list[dict[str, Any]] = []
    for path, methods in sorted(spec.get("paths", {}).items()):
        for method, op in methods.items():
            params = [{"name": p.get("name", ""), "in": p.get("in", ""),
                       "required": p.get("required", False),
                       "description": p.get("description", "")}
                      for p in op.get("parameters", [])]
            rows.append({"method": method.upper(), "path": path,
                         "summary": op.get("summary", ""), "description": op.get("description", ""),
                         "tag": (op.get("tags") or ["other"])[0], "params": params,
                         "body": "requestBody" in op})
    return rows


def _load_routers() -> list[APIRouter]:
    """Every routes module's ``router``: a feature adds a module, not a line here."""
    found: list[APIRouter] = []
    for info in pkgutil.iter_modules(routes.__path__):
        module = importlib.import_module(f"{routes.__name__}.{info.name}")
        router = getattr(module, "router", None)
        if isinstance(router, APIRouter) and router not in found:
            found.append(router)
    return found


def create_app(ws: Workspace) -> FastAPI:
    """A FastAPI app serving ``ws``: pages at ``/``, the JSON API under ``/api`` (OpenAPI at
    ``/api/openapi.json``, docs at ``/api/docs``)."""
    app = FastAPI(
        title="Parley",
        version=__version__,
        description="Registry search, source records and imports for an exchange staff. "
        "Authenticate with 'Authorization: Bearer <token>' (make one on the account page).",
        dependencies=[Depends(check_csrf)],
        openapi_url="/api/openapi.json",
        docs_url=None,  # Swagger UI loads from a CDN; /api/docs is our own page instead
        redoc_url=None,
    )
    app.state.ws = ws
    app.state.secret_key = ensure_secret_key(ws.settings)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    for router in _load_routers():
        for route in router.routes:  # the OpenAPI description is of the JSON API only
            if isinstance(route, APIRoute) and not (router.prefix + route.path).startswith("/api/"):
                route.include_in_schema = False
        app.include_router(router)

    @app.get("/api/docs", include_in_schema=False)
    def api_docs(request: Request) -> Response:
        """A readable reference of the JSON API, built from its OpenAPI description."""
        return render(request, "api_docs.html", operations=_operations(app.openapi()))

    @app.exception_handler(LoginRequired)
    async def _login_required(request: Request, err: LoginRequired) -> Response:
        if wants_json(request):
            return JSONResponse({"error": translate_error(err), "status": 401}, status_code=401,
                                headers={"WWW-Authenticate": "Bearer"})
        target = request.url.path
        if request.url.query:
            target += "?" + request.url.query
        response = RedirectResponse(f"/login?next={quote(target, safe='/')}", status_code=303)
        if request.headers.get("hx-request"):
            response.headers["HX-Redirect"] = "/login"
        return response

    @app.exception_handler(ReauthenticationRequired)
    async def _reauthenticate(request: Request, err: ReauthenticationRequired) -> Response:
        if wants_json(request) or request.headers.get("hx-request"):
            return _error_response(request, err.http_status, err)
        response = RedirectResponse("/account#confirm", status_code=303)
        set_flash(response, request, translate_error(err))
        return response

    @app.exception_handler(ParleyError)
    async def _parley_error(request: Request, err: ParleyError) -> Response:
        return _error_response(request, err.http_status, err)

    @app.exception_handler(RequestValidationError)
    async def _invalid_request(request: Request, err: RequestValidationError) -> Response:
        # A path whose id cannot name a row names nothing: 404, like a missing row.
        if err.errors() and all(e.get("loc", ("",))[0] == "path" for e in err.errors()):
            return _error_response(request, 404, NotFound(N_("no such page")))
        # Name the fields, never echo the values sent (they may be an item's secrets).
        fields = sorted({".".join(str(p) for p in e.get("loc", ())[1:]) or "request"
                         for e in err.errors()})
        return _error_response(request, 422, InvalidInput(N_("invalid input in: %(fields)s"),
                                                          fields=", ".join(fields)))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, err: StarletteHTTPException) -> Response:
        message = {404: N_("no such page"), 405: N_("that method is not allowed here")}.get(
            err.status_code, N_("the request could not be served"))
        return _error_response(request, err.status_code, ParleyError(message))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, err: Exception) -> Response:
        # A bug, not a user's mistake: say so without details (they may hold data). This
        # handler runs outside the Language middleware (whose setting is gone by now), so it
        # negotiates the user's language itself.
        token = i18n.current_language.set(i18n.negotiate(
            request.cookies.get(i18n.COOKIE), request.headers.get("accept-language")))
        try:
            return _error_response(request, 500, ParleyError(N_(
                "something went wrong on our side; the request was not completed")))
        finally:
            i18n.current_language.reset(token)

    app.add_middleware(SecurityHeaders)
    app.add_middleware(Language)
    return app
