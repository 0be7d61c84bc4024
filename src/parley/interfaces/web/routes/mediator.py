"""The mediator's page: released lists only, their signed bundles, the other side's answer and
its reconciliation, and verification of a bundle or checkpoint in the page.

Verification runs on the server with the very functions of ``parley-verify``
(``parley.verify.check_bundle`` / ``check_checkpoint`` / ``check_protocol``) against the
agencies' public keys the user ticks or pastes, so the page says exactly what the offline tool
would say, in the reader's language.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from parley import verify
from parley.domain.actors import Action, Actor
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
from parley.interfaces.web.error_text import shown, translate_error
from parley.interfaces.web.i18n import N_, gettext
from parley.services import lists as svc
from parley.services.access import redact_many
from parley.services.handover import stage_protocol
from parley.services.keys import agency_public_key_text, existing_key_codes
from parley.services.protocols import cosign_protocol
from parley.services.reconciliation import reconcile_counterpart_list
from parley.services.signoff import may_carry_bundle
from parley.trust.errors import TrustError

router = APIRouter()
NAV.append(NavItem(N_("Mediator"), "/mediator", Action.READ_LISTS))

Reader = Annotated[Actor, require(Action.READ_LISTS)]
Manager = Annotated[Actor, require(Action.MANAGE_LISTS)]
Signer = Annotated[Actor, require(Action.SIGN_CHECKPOINT)]
MAX_UPLOAD = 20 * 1024 * 1024
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _protocols(ws: WorkspaceDep, actor: Actor) -> list[dict[str, object]]:
    """The signed protocols of the newest plan's closed stages (the plan the reader may read:
    for the mediator, one of released lists)."""
    try:
        plan = svc.stored_plan(ws, actor=actor)
    except NotFound:
        return []
    found: list[dict[str, object]] = []
    for stage in range(1, plan.stages + 1):
        try:
            body = stage_protocol(ws, actor=actor, plan_id=plan.id, stage=stage)
        except NotFound:  # not closed yet
            continue
        found.append({"plan_id": plan.id, "stage": stage, "size": len(body),
                      "sha256": hashlib.sha256(body).hexdigest()})
    return found


def _page(request: Request, ws: WorkspaceDep, actor: Actor, status_code: int = 200,
          result: str | None = None, ok: bool = False) -> Response:
    released = [s for s in svc.list_summaries(ws, actor=actor) if s.released]
    shown = {i["id"] for i in redact_many(actor, Kind.LIST, [
        {"id": s.id, "name": s.name} for s in released])}
    return render(request, "exchange/mediator.html", status_code=status_code,
                  lists=[s for s in released if s.id in shown], keys=existing_key_codes(ws),
                  may_manage=actor.may(Action.MANAGE_LISTS),
                  may_bundle=may_carry_bundle(actor), result=result, ok=ok,
                  protocols=_protocols(ws, actor), may_cosign=actor.may(Action.SIGN_CHECKPOINT))


@router.get("/mediator", response_class=HTMLResponse)
def mediator_page(request: Request, ws: WorkspaceDep, actor: Reader) -> Response:
    return _page(request, ws, actor)


async def _read(upload: UploadFile) -> bytes:
    data = await upload.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise InvalidInput(
            N_("%(upload_filename)s: larger than %(MAX_UPLOAD)s bytes"),
            upload_filename=upload.filename or 'file', MAX_UPLOAD=MAX_UPLOAD,
        )
    return data


@router.post("/mediator/verify", response_class=HTMLResponse)
async def verify_form(request: Request, ws: WorkspaceDep, actor: Reader,
                      kind: Annotated[Literal["bundle", "checkpoint", "protocol"], Form()],
                      file: Annotated[UploadFile, File()],
                      agencies: Annotated[list[str] | None, Form()] = None,
                      extra_keys: Annotated[str, Form(max_length=20_000)] = "") -> Response:
    """Check an uploaded bundle, checkpoint or stage protocol as ``parley-verify`` would, in
    the page."""
    data = await _read(file)
    known = set(existing_key_codes(ws))
    specs = [agency_public_key_text(ws, code) for code in (agencies or []) if code in known]
    specs += [line.strip() for line in extra_keys.splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload"
        path.write_bytes(data)
        try:
            check = {"bundle": verify.check_bundle, "checkpoint": verify.check_checkpoint,
                     "protocol": verify.check_protocol}[kind]
            # the sentence parley-verify prints after "OK:" / "FAILED:", in the reader's
            # language; the page's own label says which of the two it is
            line, ok = shown(check(str(path), specs)), True
        except TrustError as err:
            line, ok = shown(err), False
        line = line.replace(str(path), file.filename or "file")
    return _page(request, ws, actor, result=line, ok=ok)


@router.post("/mediator/answers")
async def answer_form(request: Request, ws: WorkspaceDep, actor: Manager,
                      name: Annotated[str, Form(min_length=1, max_length=200)],
                      file: Annotated[UploadFile, File()]) -> Response:
    """Reconcile the other side's answer against list ``name`` (and the registry)."""
    data = await _read(file)
    safe = _SAFE.sub("_", Path(file.filename or "answer.csv").name)[-120:] or "answer.csv"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / safe
        path.write_bytes(data)
        try:
            reconcile_counterpart_list(ws, actor=actor, name=name, path=path)
        except InvalidInput as err:
            response = RedirectResponse("/mediator", status_code=303)
            set_flash(response, request, translate_error(err))
            return response
    response = RedirectResponse(f"/lists/{name}/reconciliation", status_code=303)
    set_flash(response, request, gettext("The answer was reconciled."))
    return response


@router.post("/mediator/protocols/{plan_id}/{stage}/cosign", include_in_schema=False)
def cosign_form(request: Request, ws: WorkspaceDep, actor: Signer, plan_id: RowId,
                stage: RowId) -> Response:
    """Co-sign a stage protocol with the signer's agency key (the mediator's: MED); audited."""
    signed = cosign_protocol(ws, actor=actor, plan_id=plan_id, stage=stage, agency=actor.agency)
    response = RedirectResponse("/mediator#protocols", status_code=303)
    set_flash(response, request, gettext("Stage %(stage)s protocol co-signed for %(agency)s.")
              % {"stage": stage, "agency": actor.agency} + f" sha256 {_digest(signed)[:16]}")
    return response


@router.post("/api/plans/{plan_id}/stages/{stage}/cosign", tags=["lists"],
             summary="Co-sign a closed stage's protocol with your agency's key")
def api_cosign(ws: WorkspaceDep, actor: Signer, plan_id: RowId, stage: RowId) -> dict[str, str]:
    """The protocol with your agency's signature added; 404 while the stage is not closed."""
    signed = cosign_protocol(ws, actor=actor, plan_id=plan_id, stage=stage, agency=actor.agency)
    return {"agency": actor.agency, "sha256": _digest(signed)}


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
