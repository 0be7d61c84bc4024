"""Families' pages: the hotline intake form, inquiries, answer tasks and letters, remains cases.

Thin: each handler calls one service; every item has passed ``parley.services.access`` in the
service, so contact details reach only the family liaison and the ombudsman's office. The words a
user reads are in the templates and below, marked for translation (``parley.interfaces.web.i18n``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from parley.domain.actors import Action, Actor
from parley.domain.answers import SENT_HOW
from parley.domain.families import INQUIRER_FIELDS, Channel
from parley.errors import InvalidRecord
from parley.interfaces.web.deps import NAV, NavItem, WorkspaceDep, render, require, set_flash
from parley.interfaces.web.i18n import N_, declare_labels, gettext
from parley.services.access import WITHHELD
from parley.services.answers import letter_pdf, list_tasks, record_sent
from parley.services.inquiries import get_inquiry, list_inquiries, take_inquiry
from parley.services.inquiry_links import decide_candidate, list_notifications
from parley.services.remains import remains_overview

router = APIRouter()
NAV.append(NavItem(N_("Inquiries"), "/inquiries", Action.READ_INQUIRIES))
NAV.append(NavItem(N_("Letters"), "/answers", Action.READ_INQUIRIES))
NAV.append(NavItem(N_("Remains"), "/remains", Action.READ_INQUIRIES))

declare_labels({
    # inquiries: states (open is declared with the conflicts) and channels
    "linked": N_("linked to a person"), "answered": N_("answered"), "closed": N_("closed"),
    "ombudsman": N_("Ombudsman"), "hotline": N_("hotline"), "icrc": N_("ICRC"),
    "letter": N_("letter"),
    # answer tasks: states and how a letter went out
    "due": N_("to be sent"), "sent": N_("sent"), "post": N_("by post"), "email": N_("by e-mail"),
    "phone": N_("by phone"), "in_person": N_("in person"),
    # remains cases
    "received": N_("received"), "examined": N_("examined"), "sampled": N_("sampled"),
    "matched": N_("matched"), "identified": N_("identified"),
    "returned_to_family": N_("returned to the family"),
})
INQUIRY_STATES = ("open", "linked", "answered", "closed")
EVENTS = {
    # what a letter tells the family; "transferred" means home, not a list entry's state
    "confirmed_held": N_("confirmed to be held"), "on_list": N_("on a list for exchange"),
    "scheduled": N_("scheduled for exchange"), "transferred": N_("returned home"),
    "reported_dead": N_("reported dead"), "remains_identified": N_("remains identified"),
}
NOTICES = {
    "new_record": N_("a new record may be the sought person"),
    "linked": N_("linked to a person"), "review": N_("a candidate awaits a decision"),
}

Reader = Annotated[Actor, require(Action.READ_INQUIRIES)]
Manager = Annotated[Actor, require(Action.MANAGE_INQUIRIES)]

FORM_FIELDS = ("inquirer_name", "inquirer_relation", "inquirer_phone", "inquirer_email",
               "consent", "family_name", "given_name", "patronymic", "birth_date", "sex",
               "military_unit", "service_number", "capture_place", "capture_date", "notes")
TextField = Annotated[str, Form(max_length=2000)]


@router.get("/inquiries", response_class=HTMLResponse, include_in_schema=False)
def inquiries_page(request: Request, ws: WorkspaceDep, actor: Reader,
                   state: str = "", page: int = 0) -> Response:
    items = list_inquiries(ws, actor=actor, state=state or None, limit=100,
                           offset=max(page, 0) * 100)
    told = list_notifications(ws, actor=actor, mine_only=True, limit=20)
    return render(request, "families/inquiries.html", items=items, notifications=told,
                  state=state, page=page, withheld=WITHHELD, states=INQUIRY_STATES,
                  notices=NOTICES,
                  may_take=actor.may(Action.MANAGE_INQUIRIES))


@router.get("/inquiries/new", response_class=HTMLResponse, include_in_schema=False)
def intake_page(request: Request, actor: Manager) -> Response:
    return render(request, "families/intake.html", values={}, error=None, channels=list(Channel))


@router.post("/inquiries/new", include_in_schema=False)
def intake_form(request: Request, ws: WorkspaceDep, actor: Manager,
                channel: Annotated[str, Form(max_length=32)] = "hotline",
                inquirer_name: TextField = "", inquirer_relation: TextField = "",
                inquirer_phone: TextField = "", inquirer_email: TextField = "",
                consent: TextField = "", family_name: TextField = "", given_name: TextField = "",
                patronymic: TextField = "", birth_date: TextField = "", sex: TextField = "",
                military_unit: TextField = "", service_number: TextField = "",
                capture_place: TextField = "", capture_date: TextField = "",
                notes: TextField = "") -> Response:
    values = {k: v for k, v in locals().items() if k in FORM_FIELDS and isinstance(v, str)}
    try:
        inquiry_id = take_inquiry(ws, actor=actor, values={k: v for k, v in values.items() if v},
                                  channel=channel)
    except InvalidRecord as err:
        return render(request, "families/intake.html", status_code=422, values=values,
                      error=err.field, channels=list(Channel))
    response = RedirectResponse(f"/inquiries/{inquiry_id}", status_code=303)
    set_flash(response, request,
              gettext(N_("Inquiry no. %(id)s is registered.")) % {"id": inquiry_id})
    return response


@router.get("/inquiries/{inquiry_id}", response_class=HTMLResponse, include_in_schema=False)
def inquiry_page(request: Request, ws: WorkspaceDep, actor: Reader, inquiry_id: int) -> Response:
    item = get_inquiry(ws, actor=actor, inquiry_id=inquiry_id)
    return render(request, "families/inquiry.html", item=item, withheld=WITHHELD,
                  contact_fields=INQUIRER_FIELDS, may_decide=actor.may(Action.MANAGE_INQUIRIES))


@router.post("/inquiries/{inquiry_id}/decide", include_in_schema=False)
def decide_form(request: Request, ws: WorkspaceDep, actor: Manager, inquiry_id: int,
                person_id: Annotated[int, Form()],
                decision: Annotated[str, Form(max_length=16)]) -> Response:
    decide_candidate(ws, actor=actor, inquiry_id=inquiry_id, person_id=person_id,
                     decision=decision)
    return RedirectResponse(f"/inquiries/{inquiry_id}", status_code=303)


ANSWERS_PAGE = 200
"""Letters due shown at once (the oldest first); sending them brings the next ones up."""


@router.get("/answers", response_class=HTMLResponse, include_in_schema=False)
def answers_page(request: Request, ws: WorkspaceDep, actor: Reader,
                 state: str = "due") -> Response:
    tasks = list_tasks(ws, actor=actor, state=None if state == "all" else state,
                       limit=ANSWERS_PAGE)
    sent_at = {t["task_id"]: datetime.fromisoformat(t["sent_at"]) for t in tasks if t["sent_at"]}
    return render(request, "families/answers.html", tasks=tasks, state=state, how=SENT_HOW,
                  withheld=WITHHELD, events=EVENTS, sent_at=sent_at,
                  may_send=actor.may(Action.MANAGE_INQUIRIES))


@router.get("/answers/{task_id}/letter.pdf", include_in_schema=False)
def letter_download(ws: WorkspaceDep, actor: Reader, task_id: int) -> Response:
    pdf = letter_pdf(ws, actor=actor, task_id=task_id)
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="letter-{task_id}.pdf"'})


@router.post("/answers/{task_id}/sent", include_in_schema=False)
def sent_form(request: Request, ws: WorkspaceDep, actor: Manager, task_id: int,
              how: Annotated[str, Form(max_length=16)]) -> Response:
    record_sent(ws, actor=actor, task_id=task_id, how=how)
    response = RedirectResponse("/answers", status_code=303)
    set_flash(response, request,
              gettext(N_("Task %(id)s: the letter is recorded as sent.")) % {"id": task_id})
    return response


@router.get("/remains", response_class=HTMLResponse, include_in_schema=False)
def remains_page(request: Request, ws: WorkspaceDep, actor: Reader) -> Response:
    return render(request, "families/remains.html", overview=remains_overview(ws, actor=actor))
