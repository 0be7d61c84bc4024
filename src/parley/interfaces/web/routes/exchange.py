"""Exchange pages: lists with their statuses, one list, its reconciliation, and the stage plan.

Thin: each handler calls one service and passes its items through ``parley.services.access``
(the single redaction point), so a mediator sees what the policy grants for lists and stage
protocols and nothing else. The plan chart is an inline SVG whose geometry is computed here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from parley.domain.actors import Action, Actor
from parley.domain.lists import Status
from parley.domain.plan import CATEGORIES, Assignment
from parley.domain.policy import Kind
from parley.errors import InvalidInput, NotFound
from parley.interfaces.web.deps import (
    NAV,
    NavItem,
    RowId,
    WorkspaceDep,
    render,
    require,
    set_flash,
)
from parley.interfaces.web.error_text import translate_error
from parley.interfaces.web.i18n import N_, gettext
from parley.services import lists as svc
from parley.services.access import WITHHELD, redact, redact_many
from parley.services.entry_records import entry_records
from parley.services.list_views import PAGE_SIZE, PlanPerson, StoredPlan
from parley.services.reconciliation import OUTCOMES, stored_reconciliation
from parley.services.signoff import SignoffState, signoff_state

router = APIRouter()
NAV.append(NavItem(N_("Lists"), "/lists", Action.READ_LISTS))
NAV.append(NavItem(N_("Plan"), "/plan", Action.READ_LISTS))

Reader = Annotated[Actor, require(Action.READ_LISTS)]
Planner = Annotated[Actor, require(Action.PLAN)]
STATUSES = tuple(s.value for s in Status)
Manager = Annotated[Actor, require(Action.MANAGE_LISTS)]


def _list_item(s: svc.ListSummary) -> dict[str, Any]:
    return {"id": s.id, "name": s.name, "version": s.version, "direction": s.direction,
            "status": "released" if s.released else "in preparation",
            "counts": dict(sorted(s.statuses.items())), "content_hash": s.content_hash}


@router.get("/lists", response_class=HTMLResponse)
def lists_page(request: Request, ws: WorkspaceDep, actor: Reader) -> Response:
    items = redact_many(actor, Kind.LIST, [_list_item(s) for s in
                                           svc.list_summaries(ws, actor=actor)])
    return render(request, "exchange/lists.html", lists=items, withheld=WITHHELD,
                  may_manage=actor.may(Action.MANAGE_LISTS))


@router.get("/lists/{name}.csv")
def list_export(name: str, ws: WorkspaceDep, actor: Reader) -> Response:
    """The entries the reader may export, as CSV (formula cells neutralised)."""
    body = svc.export_list_csv(ws, actor=actor, name=name)
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="list.csv"'})


@router.get("/lists/{name}", response_class=HTMLResponse)
def list_page(request: Request, name: str, ws: WorkspaceDep, actor: Reader,
              page: int = 1, status: str = "", q: str = "", sort: str = "key") -> Response:
    """One page of a list (at most 200 entries), filtered and sorted; htmx asks for the next
    pages' rows only."""
    found = svc.entries_page(ws, actor=actor, name=name, page=page, status=status, query=q,
                             sort=sort)
    summary = redact(actor, Kind.LIST, _list_item(found.summary))
    shown = redact_many(actor, Kind.LIST_ENTRY, found.items)
    try:
        state: SignoffState | None = signoff_state(ws, actor=actor, name=name)
    except NotFound:  # an empty list (version 0) has nothing to sign off yet
        state = None
    if state is not None and state.version != found.summary.version:
        state = None
    may_open = actor.may(Action.READ_RECORD)
    context: dict[str, Any] = {
        "summary": summary, "entries": shown, "found": found, "withheld": WITHHELD,
        "state": state, "may_open_records": may_open,
        "records": entry_records(ws, actor=actor, name=name, version=found.summary.version,
                                 keys=[str(e["id"]) for e in shown]) if may_open else {},
        "may_manage": actor.may(Action.MANAGE_LISTS),
        "may_approve": actor.may(Action.APPROVE_LIST) and state is not None
        and actor.agency in state.required,
        "may_release": actor.may(Action.RELEASE_LIST), "statuses": STATUSES}
    if request.headers.get("HX-Request") and page > 1:
        return render(request, "exchange/_list_rows.html", **context)
    return render(request, "exchange/list.html", **context)


@router.get("/lists/{name}/reconciliation", response_class=HTMLResponse)
def reconciliation_page(request: Request, name: str, ws: WorkspaceDep,
                        actor: Manager, page: int = 1) -> Response:
    svc.list_summary(ws, actor=actor, name=name)  # an unknown list: 404, not an empty page
    try:
        rec = stored_reconciliation(ws, actor=actor, name=name)
    except NotFound:
        return render(request, "exchange/reconciliation.html", name=name, rec=None,
                      outcomes=OUTCOMES)
    pages = max(1, -(-len(rec.rows) // PAGE_SIZE))
    page = min(max(1, page), pages)
    return render(request, "exchange/reconciliation.html", name=name, rec=rec,
                  outcomes=OUTCOMES, rows=rec.rows[(page - 1) * PAGE_SIZE: page * PAGE_SIZE],
                  page=page, pages=pages)


@router.post("/plan/{plan_id}/substitute", include_in_schema=False)
def substitute_form(request: Request, ws: WorkspaceDep, actor: Planner, plan_id: RowId,
                    dropped: Annotated[str, Form(min_length=1, max_length=200)],
                    side: Annotated[Literal["give", "receive"], Form()],
                    reason: Annotated[str, Form(max_length=2000)] = "") -> Response:
    """Replace a drop-out from the plan page; the reason is recorded and audited."""
    response = RedirectResponse("/plan", status_code=303)
    try:
        done = svc.substitute_in_stored_plan(ws, actor=actor, plan_id=plan_id,
                                             dropped=dropped.strip(), side=side, reason=reason)
    except InvalidInput as err:
        set_flash(response, request, translate_error(err))
        return response
    if done["replacement"]:
        message = gettext("%(a)s replaced by %(b)s.") % {"a": dropped, "b": done["replacement"]}
    else:
        message = gettext("%(a)s dropped out with no reserve: %(b)s leaves the stage too.") % {
            "a": dropped, "b": done["reduced"]}
    set_flash(response, request, message)
    return response


@dataclass(frozen=True, slots=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    colour: str
    label: str


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    bars: tuple[Bar, ...]
    labels: tuple[tuple[int, int, str], ...]  # x, y, text
    summary: str
    base_y: int = 200
    left: int = 36
    ticks: tuple[tuple[int, str], ...] = ()  # y, value on the axis
    legend: tuple[tuple[int, int, str, str], ...] = ()  # x, y, colour, text


COLOURS = {("military", "give"): "#1f4e8c", ("civilian", "give"): "#6f9fd8",
           ("military", "receive"): "#2e7d32", ("civilian", "receive"): "#81c784"}
SIDES = {"give": N_("handed over"), "receive": N_("received")}


def plan_chart(counts: dict[tuple[int, str, str], int], stages: int) -> Chart:
    """Per stage two stacked bars (handed over, received), each split by category, over a
    vertical axis of people with three ticks, and a legend of the four colours below."""
    top = max([sum(counts.get((k, c, s), 0) for c in CATEGORIES)
               for k in range(1, stages + 1) for s in ("give", "receive")] + [1])
    plot_h, base_y, group_w = 180, 200, 90
    bars: list[Bar] = []
    labels: list[tuple[int, int, str]] = []
    parts: list[str] = []
    stage_word = gettext("stage")
    for k in range(1, stages + 1):
        for i, side in enumerate(("give", "receive")):
            x = 44 + (k - 1) * group_w + i * 32
            y = base_y
            for cat in CATEGORIES:
                n = counts.get((k, cat, side), 0)
                h = round(plot_h * n / top)
                y -= h
                bars.append(Bar(x, y, 28, h, COLOURS[(cat, side)],
                                f"{stage_word} {k}, {gettext(SIDES[side])}, {gettext(cat)}: {n}"))
            labels.append((x + 14, y - 4, str(sum(counts.get((k, c, side), 0)
                                                   for c in CATEGORIES))))
        labels.append((44 + (k - 1) * group_w + 30, base_y + 16, f"{stage_word} {k}"))
        parts.append(f"{stage_word} {k}: " + ", ".join(
            f"{gettext(cat)} {counts.get((k, cat, 'give'), 0)}/{counts.get((k, cat, 'receive'), 0)}"
            for cat in CATEGORIES))
    ticks = tuple((base_y - round(plot_h * v / top), str(v))
                  for v in sorted({0, top // 2, top}))
    legend = tuple((44 + n * 150, base_y + 40, COLOURS[(cat, side)],
                    f"{gettext(cat)}, {gettext(SIDES[side])}")
                   for n, (side, cat) in enumerate((s, c) for s in ("give", "receive")
                                                   for c in CATEGORIES))
    return Chart(width=max(64 + stages * group_w, 44 + 150 * len(legend)), height=base_y + 52,
                 bars=tuple(bars), labels=tuple(labels), summary="; ".join(parts),
                 base_y=base_y, left=36, ticks=ticks, legend=legend)


PLAN_SIDES = ("give", "receive")


def _plan_rows(plan: StoredPlan, *, side: str, stage: str, category: str,
               query: str) -> list[Assignment]:
    """The plan's rows that pass the page's filters (side, stage or "reserve", category, and a
    fragment of the name or record id)."""
    needle = query.strip().casefold()

    def keep(a: Assignment) -> bool:
        if (side and a.side != side) or (category and a.category != category):
            return False
        if stage == "reserve" and a.stage is not None:
            return False
        if stage.isdigit() and a.stage != int(stage):
            return False
        if needle:
            who = plan.people.get((a.side, a.record_id))
            return needle in a.record_id.casefold() or (
                who is not None and needle in who.name.casefold())
        return True

    return [a for a in plan.assignments if keep(a)]


@router.get("/plan", response_class=HTMLResponse)
def plan_page(request: Request, ws: WorkspaceDep, actor: Reader, page: int = 1,
              view: Literal["screen", "print"] = "screen",
              side: Annotated[Literal["", "give", "receive"], Query()] = "",
              stage: Annotated[str, Query(max_length=10, pattern=r"^(|reserve|\d{1,4})$")] = "",
              category: Annotated[str, Query(pattern=r"^(|military|civilian)$")] = "",
              q: Annotated[str, Query(max_length=200)] = "") -> Response:
    """The newest plan: header, chart, substitution form and, 200 at a time, each person's
    place with name, category and reason, filterable by side, stage, category and name."""
    try:
        plan = svc.stored_plan(ws, actor=actor)
    except NotFound:
        return render(request, "exchange/plan.html", plan=None)
    counts = plan.counts()
    chosen = _plan_rows(plan, side=side, stage=stage, category=category, query=q)
    pages = max(1, -(-len(chosen) // PAGE_SIZE))
    page = min(max(1, page), pages)
    rows_here = chosen[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    nobody = PlanPerson("", None)
    protocol = redact(actor, Kind.STAGE_PROTOCOL, {
        "id": plan.id, "stage": plan.stages, "counts": counts,
        "entries": [{"record_id": a.record_id, "side": a.side, "stage": a.stage,
                     "category": a.category, "wounded": a.seriously_wounded,
                     "reason": a.reason,
                     "name": plan.people.get((a.side, a.record_id), nobody).name,
                     "person_id": plan.people.get((a.side, a.record_id), nobody).person_id}
                    for a in rows_here],
    })
    rows = [{"stage": k, **{f"{c}_{s}": counts.get((k, c, s), 0) for c in CATEGORIES
                            for s in PLAN_SIDES}} for k in range(1, plan.stages + 1)]
    filters = {"side": side, "stage": stage, "category": category, "q": q}
    return render(request, "exchange/plan.html", plan=plan, rows=rows,
                  chart=plan_chart(counts, plan.stages), protocol=protocol,
                  categories=CATEGORIES, withheld=WITHHELD, page=page, pages=pages,
                  total=len(chosen), print_view=view == "print",
                  may_plan=actor.may(Action.PLAN), filters=filters,
                  query=urlencode({k: v for k, v in filters.items() if v}),
                  may_open_person=actor.may(Action.READ_RECORD))
