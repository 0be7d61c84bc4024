"""Exchange-day pages: the stages of a plan, a stage's live parity board (htmx polling), the
check-in form for a phone, incidents, closing, the manifest print view, the protocol download.

Thin: each handler calls one service. Every user-facing sentence lives in the templates (a later
gettext pass wraps them); handlers pass codes (``done=checkin``) and data only.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from parley.domain.actors import Action, Actor
from parley.domain.exchange_day.checkin import Outcome
from parley.domain.exchange_day.incidents import IncidentKind, Severity
from parley.domain.plan import SIDES
from parley.domain.policy import Kind
from parley.errors import InvalidInput, NotFound
from parley.interfaces.web.deps import NAV, NavItem, WorkspaceDep, render, require
from parley.interfaces.web.i18n import N_
from parley.services import handover as svc
from parley.services import logistics
from parley.services.access import redact
from parley.services.lists import stored_plan
from parley.services.workspace import Workspace

router = APIRouter()
NAV.append(NavItem(N_("Exchange day"), "/stages", Action.READ_LISTS))

Reader = Annotated[Actor, require(Action.READ_LISTS)]
PlanQ = Annotated[int | None, Query(alias="plan", ge=1)]
DONE_CODES = frozenset({"checkin", "incident", "closed", "flagged", "same"})


def _suffix(plan_id: int | None) -> str:
    return f"?plan={plan_id}" if plan_id is not None else ""


def _names(ws: Workspace, actor: Actor, plan_id: int | None) -> dict[tuple[str, str], Any]:
    """Identity fields of the plan's people, through the redaction point."""
    plan = stored_plan(ws, actor=actor, plan_id=plan_id)
    entries = logistics.entries_by_side(ws, actor=actor, plan=plan)
    out: dict[tuple[str, str], Any] = {}
    for side, by_key in entries.items():
        for key, e in by_key.items():
            out[(side, key)] = redact(actor, Kind.LIST_ENTRY, {
                "family_name": e.family_name, "given_name": e.given_name,
                "birth_date": e.birth_date, "service_number": e.facts.get("service_number", ""),
                "category": e.category})
    return out


def _may_work(actor: Actor) -> bool:
    return actor.may(Action.HANDOVER) or actor.may(Action.PLAN)


@router.get("/stages", response_class=HTMLResponse, include_in_schema=False)
def stages_page(request: Request, ws: WorkspaceDep, actor: Reader,
                plan_id: PlanQ = None) -> Response:
    try:
        plan = stored_plan(ws, actor=actor, plan_id=plan_id)
    except NotFound:
        return render(request, "handover/stages.html", plan=None, boards=[])
    boards = [svc.stage_board(ws, actor=actor, plan_id=plan.id, stage=k)
              for k in range(1, plan.stages + 1)]
    return render(request, "handover/stages.html", plan=plan, boards=boards)


def _board_context(ws: Workspace, actor: Actor, plan_id: int | None,
                   stage: int) -> dict[str, Any]:
    view = svc.stage_board(ws, actor=actor, plan_id=plan_id, stage=stage)
    names = _names(ws, actor, view.plan_id)
    left = [(side, rid, names.get((side, rid), {})) for side in SIDES
            for rid in view.board.left[side]]
    return {"view": view, "board": view.board, "left": left, "sides": SIDES,
            "outcomes": [o.value for o in Outcome], "stage": stage,
            "plan_q": _suffix(plan_id)}


@router.get("/stages/{stage}", response_class=HTMLResponse, include_in_schema=False)
def stage_page(request: Request, stage: int, ws: WorkspaceDep, actor: Reader,
               plan_id: PlanQ = None,
               done: Annotated[str | None, Query(max_length=16)] = None) -> Response:
    context = _board_context(ws, actor, plan_id, stage)
    route = logistics.stage_routes(ws, actor=actor, plan_id=context["view"].plan_id, stage=stage)
    return render(request, "handover/stage.html", **context, may_work=_may_work(actor),
                  route=route,
                  may_plan=actor.may(Action.PLAN),
                  done=done if done in DONE_CODES else None,
                  kinds=[k.value for k in IncidentKind],
                  severities=[s.value for s in Severity])


@router.get("/stages/{stage}/board", response_class=HTMLResponse, include_in_schema=False)
def board_fragment(request: Request, stage: int, ws: WorkspaceDep, actor: Reader,
                   plan_id: PlanQ = None) -> Response:
    """The board alone, for htmx polling."""
    return render(request, "handover/_board.html", **_board_context(ws, actor, plan_id, stage))


@router.post("/stages/{stage}/checkin", include_in_schema=False)
def checkin_form(request: Request, stage: int, ws: WorkspaceDep, actor: Reader,
                 person: Annotated[str, Form(max_length=220)],
                 outcome: Annotated[str, Form(max_length=16)],
                 will_to_return: Annotated[str, Form(max_length=3)] = "",
                 fit_to_travel: Annotated[str, Form(max_length=3)] = "",
                 note: Annotated[str, Form(max_length=2000)] = "",
                 plan_id: PlanQ = None) -> Response:
    side, _, record_id = person.partition(":")
    report = svc.record_checkin(ws, actor=actor, plan_id=plan_id, stage=stage, row={
        "record_id": record_id, "side": side, "outcome": outcome,
        "will_to_return": will_to_return, "fit_to_travel": fit_to_travel, "note": note})
    code = "flagged" if report.flagged else "checkin" if report.recorded else "same"
    sep = "&" if plan_id is not None else "?"
    return RedirectResponse(f"/stages/{stage}{_suffix(plan_id)}{sep}done={code}",
                            status_code=303)


MAX_SHEET_BYTES = 5 * 1024 * 1024


@router.post("/stages/{stage}/sheet", include_in_schema=False)
async def sheet_upload(request: Request, stage: int, ws: WorkspaceDep, actor: Reader,
                       sheet: Annotated[UploadFile, File()],
                       plan_id: PlanQ = None) -> Response:
    """A check-in sheet brought back from the handover point (the offline way)."""
    data = await sheet.read(MAX_SHEET_BYTES + 1)
    if len(data) > MAX_SHEET_BYTES:
        raise InvalidInput(
            N_("%(sheet_filename)s: larger than 5 MB"),
            sheet_filename=sheet.filename or 'sheet',
        )
    report = svc.import_checkin_data(ws, actor=actor, plan_id=plan_id, stage=stage, data=data,
                                     source=sheet.filename or "sheet.csv")
    code = "flagged" if report.flagged else "checkin" if report.recorded else "same"
    sep = "&" if plan_id is not None else "?"
    return RedirectResponse(f"/stages/{stage}{_suffix(plan_id)}{sep}done={code}",
                            status_code=303)


@router.get("/stages/{stage}/kit", include_in_schema=False)
def kit_download(request: Request, stage: int, ws: WorkspaceDep, actor: Reader,
                 plan_id: PlanQ = None) -> Response:
    """The signed stage kit the field team takes offline."""
    plan = stored_plan(ws, actor=actor, plan_id=plan_id)
    data = logistics.stage_kit(ws, actor=actor, plan_id=plan.id, stage=stage)
    name = f"plan-{plan.id}-stage-{stage}.kit"
    return Response(data, media_type="application/octet-stream",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.post("/stages/{stage}/incident", include_in_schema=False)
def incident_form(request: Request, stage: int, ws: WorkspaceDep, actor: Reader,
                  kind: Annotated[str, Form(max_length=32)],
                  severity: Annotated[str, Form(max_length=16)],
                  description: Annotated[str, Form(max_length=2000)] = "",
                  plan_id: PlanQ = None) -> Response:
    svc.record_incident(ws, actor=actor, plan_id=plan_id, stage=stage, kind=kind,
                        severity=severity, description=description)
    sep = "&" if plan_id is not None else "?"
    return RedirectResponse(f"/stages/{stage}{_suffix(plan_id)}{sep}done=incident",
                            status_code=303)


@router.post("/stages/{stage}/close", include_in_schema=False)
def close_form(request: Request, stage: int, ws: WorkspaceDep, actor: Reader,
               imbalance_reason: Annotated[str, Form(max_length=2000)] = "",
               place: Annotated[str, Form(max_length=300)] = "",
               plan_id: PlanQ = None) -> Response:
    svc.close_stage(ws, actor=actor, plan_id=plan_id, stage=stage,
                    imbalance_reason=imbalance_reason or None, handover_point=place)
    sep = "&" if plan_id is not None else "?"
    return RedirectResponse(f"/stages/{stage}{_suffix(plan_id)}{sep}done=closed",
                            status_code=303)


@router.get("/stages/{stage}/manifest", response_class=HTMLResponse, include_in_schema=False)
def manifest_page(request: Request, stage: int, ws: WorkspaceDep, actor: Reader,
                  plan_id: PlanQ = None) -> Response:
    """The print view: one table per vehicle, identity fields only."""
    plan, lines = logistics.manifest(ws, actor=actor, plan_id=plan_id, stage=stage)
    vehicles: dict[str, list[logistics.ManifestLine]] = {}
    for line in lines:
        vehicles.setdefault(line.vehicle_id, []).append(line)
    return render(request, "handover/manifest.html", plan=plan, stage=stage,
                  vehicles=sorted(vehicles.items()))


@router.get("/stages/{stage}/protocol", include_in_schema=False)
def protocol_download(request: Request, stage: int, ws: WorkspaceDep, actor: Reader,
                      plan_id: PlanQ = None) -> Response:
    plan = stored_plan(ws, actor=actor, plan_id=plan_id)
    data = svc.stage_protocol(ws, actor=actor, plan_id=plan.id, stage=stage)
    name = f"plan-{plan.id}-stage-{stage}.protocol"
    return Response(data, media_type="application/octet-stream",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
