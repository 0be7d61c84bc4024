"""The start page: what the reader's role does, with the figures their role may see (for the
coordinator, the lists along the way, the review backlog, open conflicts, the newest signed
checkpoint and the approvals waiting for their agency); and the language switch."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from parley.domain.actors import Action, Role
from parley.errors import NotFound
from parley.interfaces.web import i18n
from parley.interfaces.web.deps import CurrentActor, WorkspaceDep, render, secure_cookies
from parley.interfaces.web.i18n import N_
from parley.services.overview import STAGES, overview
from parley.services.remains import remains_overview

router = APIRouter(include_in_schema=False)

i18n.declare_labels({"candidates": N_("candidates"), "verified": N_("identity verified")})

ROLE_TEXT: dict[Role, str] = {
    Role.ADMIN: N_("You manage the staff's accounts: add users, lock and unlock them, reset a "
                   "lost second factor, and set each user's role, agency and clearance."),
    Role.OPERATOR: N_("You work from the command line on this workspace."),
    Role.COORDINATOR: N_("You run the exchange: the registry and identities, the lists and "
                         "their approval, the plan of stages, and the audit log."),
    Role.ANALYST: N_("You import your agency's records, search the registry, review possible "
                     "matches between records and settle conflicting facts; you approve lists "
                     "for your agency."),
    Role.LOGISTICS: N_("You prepare the transfers: you read the lists and the plan of stages "
                       "and check people in at the handover."),
    Role.MEDIATOR: N_("You carry released lists between the sides and co-sign the audit log's "
                      "checkpoints."),
    Role.AUDITOR: N_("You read the tamper-evident audit log, check its signed checkpoints and "
                     "download proofs anyone can verify with parley-verify."),
    Role.FAMILY_LIAISON: N_("You answer the families: you take relatives' inquiries, follow each "
                            "to the person it asks about, and send the letters that tell them "
                            "what changed. Contact details are yours alone to see."),
}
"""What each role does, on its start page (a test keeps every role in this table)."""

BAR_WIDTH = 240  # the longest bar, in SVG units


@router.get("/", response_class=HTMLResponse)
def home(request: Request, ws: WorkspaceDep, actor: CurrentActor) -> Response:
    remains = (remains_overview(ws, actor=actor) if actor.may(Action.READ_INQUIRIES)
               else None)
    return render(request, "home.html", overview=overview(ws, actor=actor), stages=STAGES,
                  role_text=ROLE_TEXT[actor.role], bar_width=BAR_WIDTH, remains=remains)


@router.get("/language/{language}")
def choose_language(request: Request, language: str, next: str = "/") -> Response:
    """Remember the reader's language (a cookie for a year) and go back to the page."""
    if language not in i18n.LANGUAGES:
        raise NotFound(N_("no such language"))
    target = next if next.startswith("/") and not next.startswith("//") else "/"
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(i18n.COOKIE, language, max_age=365 * 24 * 3600, samesite="lax",
                        httponly=True, secure=secure_cookies(request))
    return response
