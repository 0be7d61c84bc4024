"""The audit log in the browser: events with filters and pages, signed checkpoints with their
co-signatures, proofs and public keys to download, and "verify now" (the same check as
``parley audit verify``). JSON at ``/api/audit/…``."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from parley.domain.actors import Action, Actor
from parley.errors import InvalidInput
from parley.interfaces.web.deps import NAV, NavItem, RowId, WorkspaceDep, render, require
from parley.interfaces.web.i18n import N_
from parley.services import audit as audit_service
from parley.services import audit_reading as reading
from parley.services.audit import CheckpointRecord, LogEntry
from parley.services.audit_reading import MAX_PAGE, EventFilter
from parley.services.workspace import Workspace

router = APIRouter()
NAV.append(NavItem(N_("Audit"), "/audit", Action.READ_AUDIT))

Auditor = Annotated[Actor, require(Action.READ_AUDIT)]
Text = Annotated[str, Query(max_length=300)]
Size = Annotated[int, Query(ge=0, le=2**63 - 1)]


def _day(text: str, field: str) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text) if "T" in text else datetime.combine(
            date.fromisoformat(text), datetime.min.time())
    except ValueError as err:
        raise InvalidInput(N_("%(field)s: not a date (use YYYY-MM-DD)"), field=field) from err


def _filter(actor: str, action: str, target: str, since: str, until: str) -> EventFilter:
    end = _day(until, "until")
    if end is not None and len(until) <= 10:
        end += timedelta(days=1)  # a day given as the end includes that day
    return EventFilter(actor=actor.strip(), action=action.strip(), target=target.strip(),
                       since=_day(since, "since"), until=end)


def _page(ws: Workspace, actor: Actor, *, by: str, action: str, target: str, since: str,
          until: str, before: int | None, limit: int) -> reading.EventPage:
    return reading.event_page(ws, actor=actor, where=_filter(by, action, target, since, until),
                              before=before, limit=limit)


def _download(body: str, filename: str, media_type: str = "application/json") -> Response:
    return Response(body, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


@router.get("/audit", response_class=HTMLResponse, include_in_schema=False)
def audit_page(request: Request, ws: WorkspaceDep, actor: Auditor, by: Text = "",
               action: Text = "", target: Text = "", since: Text = "", until: Text = "",
               before: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None,
               limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100) -> Response:
    page = _page(ws, actor, by=by, action=action, target=target, since=since, until=until,
                 before=before, limit=limit)
    filters = {"by": by, "action": action, "target": target, "since": since, "until": until}
    return render(request, "audit/log.html", page=page, filters=filters, limit=limit,
                  payload=lambda e: json.dumps(e.payload, ensure_ascii=False,
                                               sort_keys=True)[:300])


@router.get("/audit/checkpoints", response_class=HTMLResponse, include_in_schema=False)
def checkpoints_page(request: Request, ws: WorkspaceDep, actor: Auditor) -> Response:
    return render(request, "audit/checkpoints.html",
                  checkpoints=reading.checkpoints(ws, actor=actor),
                  keys=reading.public_keys(ws, actor=actor))


@router.post("/audit/verify", response_class=HTMLResponse, include_in_schema=False)
def verify_fragment(request: Request, ws: WorkspaceDep, actor: Auditor) -> Response:
    """The htmx "verify now" button: the report as a fragment."""
    report = reading.verify_now(ws, actor=actor)
    return render(request, "audit/_verify.html", report=report, faults=report.faults[:10])


@router.get("/audit/events/{seq}/proof.json", include_in_schema=False)
def inclusion_download(ws: WorkspaceDep, actor: Auditor, seq: RowId) -> Response:
    proof = audit_service.prove_inclusion(ws, seq, actor=actor)
    return _download(_json(proof), f"event-{seq}-inclusion.json")


@router.get("/audit/consistency.json", include_in_schema=False)
def consistency_download(ws: WorkspaceDep, actor: Auditor, old: Size,
                         new: Annotated[int | None, Query(ge=0, le=2**63 - 1)] = None
                         ) -> Response:
    proof = audit_service.prove_consistency(ws, old, new, actor=actor)
    return _download(_json(proof),
                     f"consistency-{proof['old_size']}-{proof['new_size']}.json")


@router.get("/audit/checkpoints/{size}/note.txt", include_in_schema=False)
def note_download(ws: WorkspaceDep, actor: Auditor, size: RowId) -> Response:
    reading.checkpoints(ws, actor=actor, limit=1)  # the permission check (and its refusal)
    record = audit_service.checkpoint_at(ws, size)
    return _download(record.note, f"checkpoint-{size}.txt", "text/plain; charset=utf-8")


@router.get("/audit/keys.txt", include_in_schema=False)
def keys_download(ws: WorkspaceDep, actor: Auditor) -> Response:
    keys = reading.public_keys(ws, actor=actor)
    return _download("".join(f"{text}\n" for text in keys.values()), "agency-keys.txt",
                     "text/plain; charset=utf-8")


# --- JSON API ---------------------------------------------------------------------------------


def _event_json(entry: LogEntry) -> dict[str, Any]:
    return {**asdict(entry), "occurred_at": entry.occurred_at.isoformat()}


def _checkpoint_json(record: CheckpointRecord) -> dict[str, Any]:
    return {**asdict(record), "signers": list(record.signers),
            "created_at": record.created_at.isoformat()}


@router.get("/api/audit/events", tags=["audit"],
            summary="The audit log, newest first, filtered and paged")
def api_events(ws: WorkspaceDep, actor: Auditor,
               by: Annotated[str, Query(max_length=300, description="Only this actor.")] = "",
               action: Annotated[str, Query(max_length=300,
                                            description="Actions starting with this.")] = "",
               target: Annotated[str, Query(max_length=300,
                                            description="Targets containing this.")] = "",
               since: Annotated[str, Query(max_length=32,
                                           description="From this date (YYYY-MM-DD).")] = "",
               until: Annotated[str, Query(max_length=32,
                                           description="To this date, inclusive.")] = "",
               before: Annotated[int | None, Query(
                   ge=1, le=2**63 - 1, description="Events below this seq (the previous "
                   "page's next_before).")] = None,
               limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100) -> dict[str, Any]:
    page = _page(ws, actor, by=by, action=action, target=target, since=since, until=until,
                 before=before, limit=limit)
    return {"events": [_event_json(e) for e in page.events], "next_before": page.next_before,
            "total": page.total}


@router.get("/api/audit/checkpoints", tags=["audit"],
            summary="Signed checkpoints, newest first, with their co-signers")
def api_checkpoints(ws: WorkspaceDep, actor: Auditor) -> list[dict[str, Any]]:
    return [_checkpoint_json(c) for c in reading.checkpoints(ws, actor=actor)]


@router.get("/api/audit/events/{seq}/proof", tags=["audit"],
            summary="Inclusion proof of one event in the newest checkpoint covering it")
def api_inclusion(ws: WorkspaceDep, actor: Auditor, seq: RowId) -> dict[str, Any]:
    return audit_service.prove_inclusion(ws, seq, actor=actor)


@router.get("/api/audit/consistency", tags=["audit"],
            summary="Consistency proof between two signed checkpoints")
def api_consistency(ws: WorkspaceDep, actor: Auditor, old: Size,
                    new: Annotated[int | None, Query(ge=0, le=2**63 - 1)] = None
                    ) -> dict[str, Any]:
    return audit_service.prove_consistency(ws, old, new, actor=actor)


@router.get("/api/audit/keys", tags=["audit"], summary="The agencies' public (verifier) keys")
def api_keys(ws: WorkspaceDep, actor: Auditor) -> dict[str, str]:
    return reading.public_keys(ws, actor=actor)


@router.post("/api/audit/verify", tags=["audit"],
             summary="Verify the whole log now (as 'parley audit verify')")
def api_verify(ws: WorkspaceDep, actor: Auditor) -> dict[str, Any]:
    report = reading.verify_now(ws, actor=actor)
    latest = report.latest_checkpoint
    return {"ok": report.ok, "events": report.events, "root_hash": report.root_hash,
            "checkpoints_checked": report.checkpoints_checked,
            "latest_checkpoint_size": latest.size if latest else None,
            "fault_count": report.fault_count, "faults": [str(f) for f in report.faults[:10]]}


