"""The landing page: straight to the registry search for those who may search."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from parley.domain.actors import Action
from parley.interfaces.web.deps import CurrentActor, render

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, actor: CurrentActor) -> Response:
    if actor.may(Action.SEARCH_REGISTRY):
        return RedirectResponse("/search", status_code=303)
    return render(request, "home.html")
