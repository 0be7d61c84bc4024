"""The JSON API of exchange lists and stored plans: the paths scripts depend on.

``GET /api/lists``, ``GET /api/lists/{name}`` (paged entries), ``POST /api/lists/{name}/entries``,
``POST /api/lists/{name}/approvals``, ``POST /api/lists/{name}/release``,
``GET /api/plans/{plan_id}``, ``POST /api/plans/{plan_id}/substitutions``.

Every read goes through the list services (``list_views``/``list_access``: the need-to-know gate)
and then the one redaction point (``parley.services.access``). Errors come from the
``parley.errors`` tree: unknown list or plan 404, bad body 422, refused 403, never 500.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from parley.domain.actors import Action, Actor
from parley.domain.policy import Kind
from parley.errors import NotFound
from parley.interfaces.web.deps import MAX_ROW_ID, RowId, WorkspaceDep, require
from parley.interfaces.web.error_text import shown
from parley.services import lists as svc
from parley.services.access import WITHHELD, redact, redact_many
from parley.services.entry_records import entry_records
from parley.services.list_people import MAX_PEOPLE, add_people
from parley.services.list_views import PAGE_SIZE
from parley.services.signoff import SignoffState, approve_list, release_list, signoff_state

router = APIRouter()

Reader = Annotated[Actor, require(Action.READ_LISTS)]
Manager = Annotated[Actor, require(Action.MANAGE_LISTS)]
Approver = Annotated[Actor, require(Action.APPROVE_LIST)]
Releaser = Annotated[Actor, require(Action.RELEASE_LIST)]
Planner = Annotated[Actor, require(Action.PLAN)]
PageQ = Annotated[int, Query(ge=1, le=1_000_000, description="Page number, from 1.")]
Id = Annotated[int, Field(ge=1, le=MAX_ROW_ID)]


# --- response models -----------------------------------------------------------------------


class ListOut(BaseModel):
    id: int
    name: str | None = None
    version: int | None = None
    direction: str | None = None
    status: str | None = Field(default=None, description="'released' or 'in preparation'")
    counts: dict[str, int] | None = Field(default=None, description="Entries per status.")
    content_hash: str | None = None
    withheld: list[str] = Field(default_factory=list, description="Fields not shown to you.")


class ListsOut(BaseModel):
    lists: list[ListOut]


class EntryOut(BaseModel):
    id: str
    list_id: str | None = None
    person_id: int | None = None
    display_name: str | None = None
    family_name: str | None = None
    given_name: str | None = None
    patronymic: str | None = None
    birth_date: str | None = None
    category: str | None = None
    confirmed: bool | None = None
    held_back: str | None = None
    facts: dict[str, str] | None = None
    readiness: dict[str, bool] | None = Field(
        default=None, description="identity_verified, medical_fit, will_recorded (Art. 109).")
    records: list[int] = Field(
        default_factory=list,
        description="Source records the entry was drawn from that the caller may open "
                    "(GET /api/records/{id}); others are left out.")
    withheld: list[str] = Field(default_factory=list)


class ApprovalOut(BaseModel):
    agency: str
    username: str
    version: int
    content_hash: str
    signature_valid: bool


class SignoffOut(BaseModel):
    list_name: str
    version: int
    content_hash: str
    author: str
    required: list[str]
    approvals: list[ApprovalOut]
    blockers: list[str] = Field(description="why the version may not be released yet, in the "
                                "reader's language (like error messages)")
    released: bool


class ListPageOut(BaseModel):
    summary: ListOut
    entries: list[EntryOut]
    total: int = Field(description="Entries matching the filter.")
    page: int
    pages: int
    per_page: int
    signoff: SignoffOut | None = Field(
        default=None, description="Sign-off of the version shown (absent if not current).")


class AssignmentOut(BaseModel):
    record_id: str
    side: str
    stage: int | None = None
    category: str
    wounded: bool
    reason: str


class SubstitutionOut(BaseModel):
    dropped: str
    side: str
    stage: int | None = None
    replacement: str | None = Field(default=None, description="The reserve who takes the place.")
    reduced: str | None = Field(
        default=None, description="Without a reserve: the other side's entry taken off the stage.")
    reason: str
    actor: str | None = None


class PlanOut(BaseModel):
    id: int
    give_list: str
    receive_list: str
    stages: int
    max_per_stage: int | None = None
    category_parity: bool
    status: str
    exchanged: int = Field(description="People exchanged a side.")
    total: int = Field(description="Planned rows (both sides) you may see.")
    created_at: str
    counts: list[dict[str, int]] = Field(
        description="Per stage: stage, then '<category>_<give|receive>' counts.")
    assignments: list[AssignmentOut]
    page: int
    pages: int
    substitutions: list[SubstitutionOut]


# --- request bodies --------------------------------------------------------------------------


class PeopleIn(BaseModel):
    person_ids: list[Id] = Field(default_factory=list, max_length=MAX_PEOPLE)
    record_ids: list[Id] = Field(default_factory=list, max_length=MAX_PEOPLE)
    note: str = Field(default="", max_length=500)


class ApprovalIn(BaseModel):
    version: int | None = Field(default=None, ge=1, le=MAX_ROW_ID,
                                description="The version you reviewed (refused if not current).")


class SubstitutionIn(BaseModel):
    dropped: str = Field(min_length=1, max_length=200, description="The drop-out's entry key.")
    side: Literal["give", "receive"]
    reason: str = Field(min_length=1, max_length=2000)


# --- helpers ---------------------------------------------------------------------------------


def _shown(item: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in item.items() if k != WITHHELD}
    out["withheld"] = list(item.get(WITHHELD, ()))
    return out


def _list_item(s: svc.ListSummary) -> dict[str, Any]:
    return {"id": s.id, "name": s.name, "version": s.version, "direction": s.direction,
            "status": "released" if s.released else "in preparation",
            "counts": dict(sorted(s.statuses.items())), "content_hash": s.content_hash}


def _list_out(actor: Actor, s: svc.ListSummary) -> ListOut:
    return ListOut(**_shown(redact(actor, Kind.LIST, _list_item(s))))


def _signoff_out(state: SignoffState) -> SignoffOut:
    return SignoffOut(
        list_name=state.list_name, version=state.version, content_hash=state.content_hash,
        author=state.author, required=list(state.required),
        blockers=[shown(b) for b in state.blockers],
        released=state.released,
        approvals=[ApprovalOut(agency=a.agency, username=a.username, version=a.version,
                               content_hash=a.content_hash, signature_valid=a.signature_valid)
                   for a in state.approvals])


# --- routes ----------------------------------------------------------------------------------


@router.get("/api/lists", tags=["lists"], summary="The lists you may read")
def api_lists(ws: WorkspaceDep, actor: Reader) -> ListsOut:
    """Each list at the version you may read, its entries counted per status over what you see."""
    items = redact_many(actor, Kind.LIST, [_list_item(s) for s in
                                           svc.list_summaries(ws, actor=actor)])
    return ListsOut(lists=[ListOut(**_shown(i)) for i in items])


@router.get("/api/lists/{name}", tags=["lists"], summary="One list's entries, a page at a time")
def api_list(ws: WorkspaceDep, actor: Reader, name: str, page: PageQ = 1,
             status: Annotated[str, Query(max_length=32)] = "",
             q: Annotated[str, Query(max_length=200)] = "",
             sort: Annotated[Literal["key", "name", "status", "category"], Query()] = "key",
             per_page: Annotated[int, Query(ge=1, le=PAGE_SIZE)] = PAGE_SIZE) -> ListPageOut:
    """Filtered by status and a name or key fragment, sorted, at most 200 entries a page."""
    found = svc.entries_page(ws, actor=actor, name=name, page=page, status=status, query=q,
                             sort=sort, per_page=per_page)
    shown = redact_many(actor, Kind.LIST_ENTRY, found.items)
    records = entry_records(ws, actor=actor, name=name, version=found.summary.version,
                            keys=[str(e["id"]) for e in shown])
    entries = [EntryOut(**_shown(e), records=list(records.get(str(e["id"]), ())))
               for e in shown]
    try:
        state: SignoffState | None = signoff_state(ws, actor=actor, name=name)
    except NotFound:  # an empty list (version 0) has nothing to sign off yet
        state = None
    return ListPageOut(
        summary=_list_out(actor, found.summary), entries=entries, total=found.total,
        page=found.page, pages=found.pages, per_page=per_page,
        signoff=_signoff_out(state) if state and state.version == found.summary.version
        else None)


@router.post("/api/lists/{name}/entries", tags=["lists"], status_code=201,
             summary="Add people by person id or source record id")
def api_add_entries(ws: WorkspaceDep, actor: Manager, name: str, body: PeopleIn) -> ListOut:
    """One new version with every named person (key ``P<person id>``); a record stands for its
    resolved person. Someone already on the list: 409; unknown person or record: 404."""
    summary = add_people(ws, actor=actor, name=name, person_ids=body.person_ids,
                         record_ids=body.record_ids, note=body.note)
    return _list_out(actor, summary)


@router.post("/api/lists/{name}/approvals", tags=["lists"], status_code=201,
             summary="Approve the current version for your agency")
def api_approve(ws: WorkspaceDep, actor: Approver, name: str,
                body: ApprovalIn | None = None) -> SignoffOut:
    """Your agency's key signs the current version's content hash (Ed25519)."""
    version = body.version if body is not None else None
    return _signoff_out(approve_list(ws, actor=actor, name=name, version=version))


@router.post("/api/lists/{name}/release", tags=["lists"],
             summary="Release the current version to the mediator")
def api_release(ws: WorkspaceDep, actor: Releaser, name: str) -> SignoffOut:
    """Refused (409) while an approval is missing, naming what is missing."""
    return _signoff_out(release_list(ws, actor=actor, name=name))


def _plan_out(actor: Actor, plan: svc.StoredPlan, page: int) -> PlanOut:
    counts = plan.counts()
    pages = max(1, -(-len(plan.assignments) // PAGE_SIZE))
    page = min(max(1, page), pages)
    rows_here = plan.assignments[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    protocol = redact(actor, Kind.STAGE_PROTOCOL, {
        "id": plan.id, "counts": counts,
        "entries": [{"record_id": a.record_id, "side": a.side, "stage": a.stage,
                     "category": a.category, "wounded": a.seriously_wounded,
                     "reason": a.reason} for a in rows_here]})
    categories = sorted({c for (_, c, _) in counts})
    per_stage = [{"stage": k, **{f"{c}_{s}": counts.get((k, c, s), 0) for c in categories
                                 for s in ("give", "receive")}}
                 for k in range(1, plan.stages + 1)] if "counts" in protocol else []
    return PlanOut(
        id=plan.id, give_list=plan.give_list, receive_list=plan.receive_list,
        stages=plan.stages, max_per_stage=plan.max_per_stage,
        category_parity=plan.category_parity, status=plan.status, exchanged=plan.exchanged,
        total=len(plan.assignments), created_at=plan.created_at, counts=per_stage,
        assignments=[AssignmentOut(**e) for e in protocol.get("entries", [])],
        page=page, pages=pages,
        substitutions=[SubstitutionOut(**s) for s in plan.substitutions])


@router.get("/api/plans/{plan_id}", tags=["plans"], summary="A stored plan, a page of rows")
def api_plan(ws: WorkspaceDep, actor: Reader, plan_id: RowId, page: PageQ = 1) -> PlanOut:
    """Stages, per-stage counts by category and side, each person's place and the reason (as
    far as you may see it), and the substitutions made so far."""
    return _plan_out(actor, svc.stored_plan(ws, actor=actor, plan_id=plan_id), page)


@router.post("/api/plans/{plan_id}/substitutions", tags=["plans"], status_code=201,
             summary="Replace a drop-out (the reason is recorded and audited)")
def api_substitute(ws: WorkspaceDep, actor: Planner, plan_id: RowId,
                   body: SubstitutionIn) -> SubstitutionOut:
    """The best reserve that keeps parity takes the drop-out's place, or the matching person of
    the other side leaves the stage (``reduced``). Unknown plan or drop-out: 404."""
    done = svc.substitute_in_stored_plan(ws, actor=actor, plan_id=plan_id, dropped=body.dropped,
                                         side=body.side, reason=body.reason)
    return SubstitutionOut(**{**done, "actor": actor.username})
