"""The landing page: straight to the registry search for those who may search."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from parley.domain.actors import Action
from parley.errors import NotFound
from parley.interfaces.web import i18n
from parley.interfaces.web.deps import CurrentActor, render, secure_cookies

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, actor: CurrentActor) -> Response:
    if actor.may(Action.SEARCH_REGISTRY):
        return RedirectResponse("/search", status_code=303)
    return render(request, "home.html")


@router.get("/language/{language}")
def choose_language(request: Request, language: str, next: str = "/") -> Response:
    """Remember the reader's language (a cookie for a year) and go back to the page."""
    if language not in i18n.LANGUAGES:
        raise NotFound(i18n.gettext("no such language"))
    target = next if next.startswith("/") and not next.startswith("//") else "/"
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(i18n.COOKIE, language, max_age=365 * 24 * 3600, samesite="lax",
                        httponly=True, secure=secure_cookies(request))
    return response
