"""Identity pages and API: the review queue, persons, conflicts.

Thin: every handler calls one service (already redacted for the actor) and renders or returns it.
The waterfall of field weights is drawn as an inline SVG (the CSP allows no inline styles), its
geometry computed here so the template stays declarative.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from parley.domain.actors import Action, Actor
from parley.domain.identity import AUTO_ACCEPT, REVIEW_FLOOR
from parley.interfaces.web.deps import NAV, NavItem, RowId, WorkspaceDep, render, require, set_flash
from parley.interfaces.web.i18n import N_, gettext
from parley.interfaces.web.routes.list_actions import list_choices
from parley.services.access import WITHHELD
from parley.services.conflicts import list_conflicts, resolve_conflict, settle_conflict
from parley.services.persons import person_view
from parley.services.review import (
    ReviewItem,
    record_review_decision,
    retract_judgement,
    review_pair,
    review_queue,
)

router = APIRouter()
NAV.append(NavItem(N_("Review"), "/review", Action.REVIEW_MATCH))
NAV.append(NavItem(N_("Conflicts"), "/conflicts", Action.READ_RECORD))

Reviewer = Annotated[Actor, require(Action.REVIEW_MATCH)]
Reader = Annotated[Actor, require(Action.READ_RECORD)]
Resolver = Annotated[Actor, require(Action.RESOLVE_CONFLICT)]
LimitQ = Annotated[int, Query(ge=1, le=200, description="How many pairs to return.")]
StateQ = Annotated[str, Query(pattern="^(open|resolved|lapsed|all)$")]

COMPARE_FIELDS = (
    ("family_name", N_("Family name")),
    ("given_name", N_("Given name")),
    ("patronymic", N_("Patronymic")),
    ("birth_date", N_("Birth date")),
    ("sex", N_("Sex")),
    ("service_number", N_("Service number")),
    ("document_number", N_("Document number")),
    ("rank", N_("Rank")),
    ("military_unit", N_("Unit")),
    ("birth_place", N_("Birth place")),
    ("address", N_("Address")),
    ("citizenship", N_("Citizenship")),
    ("status", N_("Status")),
    ("capture_date", N_("Capture date")),
    ("capture_place", N_("Capture place")),
    ("source", N_("Source")),
    ("agency_code", N_("Agency")),
    ("reliability", N_("Reliability")),
)
WEIGHT_LABELS = {
    "family_name": N_("family name"), "given_name": N_("given name"),
    "patronymic": N_("patronymic"), "birth_date": N_("birth date"), "sex": N_("sex"),
    "service_number": N_("service number"), "document_number": N_("document number"),
    "rank": N_("rank"), "military_unit": N_("unit"), "birth_place": N_("birth place"),
    "address": N_("address"), "citizenship": N_("citizenship"),
    "capture": N_("capture date/place"),
    "guard": N_("cap or floor (contradiction, namesake, common name, shared number)"),
}


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    x: float
    width: float
    y: float
    positive: bool
    total: bool = False


@dataclass(frozen=True)
class Waterfall:
    bars: list[Bar]
    width: int
    height: int
    zero_x: float
    label_width: int


def waterfall(item: ReviewItem, *, width: int = 640, row: int = 22) -> Waterfall:
    """Bars from the prior's log2 odds through each field's log2 Bayes factor to the total."""
    label_width = 150
    plot = width - label_width - 70
    weights = [(k, v) for k, v in item.weights.items() if abs(v) >= 0.005]
    weights.sort(key=lambda kv: -abs(kv[1]))
    prior = item.match_weight - sum(v for _, v in item.weights.items())
    steps = [(gettext(N_("prior (all pairs)")), prior),
             *((gettext(WEIGHT_LABELS[k]) if k in WEIGHT_LABELS else k.replace("_", " "), v)
               for k, v in weights)]
    running = 0.0
    points = [0.0]
    for _, v in steps:
        running += v
        points.append(running)
    low, high = min(points), max(points)
    span = (high - low) or 1.0
    scale = plot / span

    def px(value: float) -> float:
        return round(label_width + (value - low) * scale, 1)

    bars: list[Bar] = []
    running = 0.0
    for i, (label, v) in enumerate(steps):
        start, end = running, running + v
        bars.append(Bar(label, round(v, 2), min(px(start), px(end)),
                        max(abs(px(end) - px(start)), 1.0), i * row + 4, v >= 0))
        running = end
    bars.append(Bar(gettext(N_("match weight")), round(running, 2), min(px(0), px(running)),
                    max(abs(px(running) - px(0)), 1.0), len(steps) * row + 4, running >= 0,
                    total=True))
    return Waterfall(bars, width, (len(steps) + 1) * row + 8, px(0.0), label_width)


def _public(row: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in row.items() if k != WITHHELD}
    out["withheld"] = list(row.get(WITHHELD, ()))
    return out


def _item_json(item: ReviewItem) -> dict[str, Any]:
    data = item.as_dict()
    data["left"] = _public(item.left)
    data["right"] = _public(item.right)
    return data


# --- pages ------------------------------------------------------------------------------------


@router.get("/review", response_class=HTMLResponse, include_in_schema=False)
def review_page(request: Request, ws: WorkspaceDep, actor: Reviewer,
                limit: LimitQ = 10) -> Response:
    items = review_queue(ws, actor=actor, limit=limit)
    return render(request, "identity/review.html", items=items,
                  charts=[waterfall(it) for it in items], fields=COMPARE_FIELDS,
                  floor=REVIEW_FLOOR, accept=AUTO_ACCEPT)


@router.get("/review/{left}/{right}", response_class=HTMLResponse, include_in_schema=False)
def pair_page(request: Request, ws: WorkspaceDep, actor: Reviewer, left: RowId,
              right: RowId) -> Response:
    item = review_pair(ws, actor=actor, left_record_id=left, right_record_id=right)
    return render(request, "identity/pair.html", item=item, chart=waterfall(item),
                  fields=COMPARE_FIELDS)


@router.post("/review/decide", include_in_schema=False)
def decide_form(request: Request, ws: WorkspaceDep, actor: Reviewer,
                left: Annotated[int, Form()], right: Annotated[int, Form()],
                decision: Annotated[str, Form(max_length=16)],
                note: Annotated[str, Form(max_length=2000)] = "") -> Response:
    judgement = record_review_decision(ws, actor=actor, left_record_id=left,
                                       right_record_id=right, decision=decision, note=note)
    response = RedirectResponse("/review", status_code=303)
    set_flash(response, request, f"Recorded: records {judgement.left_record_id} and "
                                 f"{judgement.right_record_id} — "
                                 f"{judgement.decision.replace('_', ' ')}.")
    return response


@router.get("/persons/{person_id}", response_class=HTMLResponse, include_in_schema=False)
def person_page(request: Request, ws: WorkspaceDep, actor: Reader, person_id: RowId) -> Response:
    view = person_view(ws, actor=actor, person_id=person_id)
    if view.id != person_id:
        return RedirectResponse(f"/persons/{view.id}", status_code=303)
    return render(request, "identity/person.html", view=view, fields=COMPARE_FIELDS,
                  withheld=set(view.person.get(WITHHELD, ())),
                  may_resolve=actor.may(Action.RESOLVE_CONFLICT),
                  list_names=list_choices(ws, actor))


@router.get("/conflicts", response_class=HTMLResponse, include_in_schema=False)
def conflicts_page(request: Request, ws: WorkspaceDep, actor: Reader,
                   state: StateQ = "open") -> Response:
    rows = list_conflicts(ws, actor=actor, state=state)
    return render(request, "identity/conflicts.html", conflicts=rows, state=state,
                  may_resolve=actor.may(Action.RESOLVE_CONFLICT))


@router.post("/conflicts/{conflict_id}/resolve", include_in_schema=False)
def resolve_form(request: Request, ws: WorkspaceDep, actor: Resolver, conflict_id: RowId,
                 reason: Annotated[str, Form(max_length=2000)]) -> Response:
    done = resolve_conflict(ws, actor=actor, conflict_id=conflict_id, reason=reason)
    response = RedirectResponse("/conflicts", status_code=303)
    set_flash(response, request, gettext("Conflict %(id)s resolved.") % {"id": done.id})
    return response


@router.post("/conflicts/{conflict_id}/settle", include_in_schema=False)
def settle_form(request: Request, ws: WorkspaceDep, actor: Resolver, conflict_id: RowId,
                value: Annotated[str, Form(min_length=1, max_length=2000)],
                reason: Annotated[str, Form(max_length=2000)],
                back: Annotated[str, Form(pattern=r"^/(conflicts|persons/\d{1,18})$")]
                = "/conflicts") -> Response:
    """Choose the value that stands; back to the page the form was on (the conflicts or the
    person's page)."""
    done = settle_conflict(ws, actor=actor, conflict_id=conflict_id, value=value, reason=reason)
    response = RedirectResponse(back, status_code=303)
    set_flash(response, request, gettext("Conflict %(id)s settled: %(value)s stands.")
              % {"id": done.id, "value": done.settled_value})
    return response


# --- JSON API ---------------------------------------------------------------------------------


class DecisionIn(BaseModel):
    left_record_id: int
    right_record_id: int
    decision: str = Field(description="match, no_match (or no-match) or unsure", max_length=16)
    note: str = Field(default="", max_length=2000)


class ReasonIn(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)


class SettleIn(BaseModel):
    value: str = Field(min_length=1, max_length=2000,
                       description="The one of the conflict's values that stands")
    reason: str = Field(min_length=1, max_length=2000)


@router.get("/api/review", tags=["identity"], summary="The review queue")
def api_review(ws: WorkspaceDep, actor: Reviewer, limit: LimitQ = 20) -> JSONResponse:
    """Uncertain pairs no judgement covers, most consequential first, each with both records
    (redacted), the per-field log2 Bayes factors and the priority."""
    items = review_queue(ws, actor=actor, limit=limit)
    return JSONResponse(jsonable_encoder({"items": [_item_json(it) for it in items],
                                          "review_floor": REVIEW_FLOOR,
                                          "auto_accept": AUTO_ACCEPT}))


@router.post("/api/review/decisions", tags=["identity"], summary="Record a review decision")
def api_decide(ws: WorkspaceDep, actor: Reviewer, body: DecisionIn) -> JSONResponse:
    """Store a judgement on a pair; it overrides the model from now on and is audited."""
    j = record_review_decision(ws, actor=actor, left_record_id=body.left_record_id,
                               right_record_id=body.right_record_id, decision=body.decision,
                               note=body.note)
    return JSONResponse(jsonable_encoder(j.as_dict()), status_code=201)


@router.post("/api/review/judgements/{judgement_id}/retract", tags=["identity"],
             summary="Withdraw a judgement")
def api_retract(ws: WorkspaceDep, actor: Reviewer, judgement_id: RowId,
                body: ReasonIn) -> JSONResponse:
    j = retract_judgement(ws, actor=actor, judgement_id=judgement_id, reason=body.reason)
    return JSONResponse(jsonable_encoder(j.as_dict()))


@router.get("/api/persons/{person_id}", tags=["identity"], summary="One resolved person")
def api_person(ws: WorkspaceDep, actor: Reader, person_id: RowId) -> JSONResponse:
    """Records, evidence per field, conflicts and the source-by-source verification."""
    view = person_view(ws, actor=actor, person_id=person_id)
    data = view.as_dict()
    data["person"] = _public(view.person)
    data["records"] = [_public(r) for r in view.records]
    data["evidence"] = {k: [_public(e) for e in v] for k, v in view.evidence.items()}
    return JSONResponse(jsonable_encoder(data))


@router.get("/api/conflicts", tags=["identity"], summary="Conflicts between sources")
def api_conflicts(ws: WorkspaceDep, actor: Reader, state: StateQ = "open") -> JSONResponse:
    rows = list_conflicts(ws, actor=actor, state=state)
    return JSONResponse(jsonable_encoder({"conflicts": [c.as_dict() for c in rows]}))


@router.post("/api/conflicts/{conflict_id}/resolve", tags=["identity"],
             summary="Resolve a conflict with a reason")
def api_resolve(ws: WorkspaceDep, actor: Resolver, conflict_id: RowId,
                body: ReasonIn) -> JSONResponse:
    c = resolve_conflict(ws, actor=actor, conflict_id=conflict_id, reason=body.reason)
    return JSONResponse(jsonable_encoder(c.as_dict()))


@router.post("/api/conflicts/{conflict_id}/settle", tags=["identity"],
             summary="Settle a conflict by choosing the value that stands")
def api_settle(ws: WorkspaceDep, actor: Resolver, conflict_id: RowId,
               body: SettleIn) -> JSONResponse:
    """The value must be one of the conflict's values (else 422); the choice is audited."""
    c = settle_conflict(ws, actor=actor, conflict_id=conflict_id, value=body.value,
                        reason=body.reason)
    return JSONResponse(jsonable_encoder(c.as_dict()))
