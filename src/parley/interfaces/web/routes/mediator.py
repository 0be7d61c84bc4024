"""The mediator's page: released lists only, their signed bundles, the other side's answer and
its reconciliation, and verification of a bundle or checkpoint in the page.

Verification runs on the server with the very functions of ``parley-verify``
(``parley.verify.check_bundle`` / ``check_checkpoint``) against the agencies' public keys the
user ticks or pastes, so the page says exactly what the offline tool would say.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from parley import verify
from parley.domain.actors import Action, Actor
from parley.domain.policy import Kind
from parley.errors import InvalidInput
from parley.interfaces.web.deps import NAV, NavItem, WorkspaceDep, render, require, set_flash
from parley.interfaces.web.i18n import N_, gettext
from parley.services import lists as svc
from parley.services.access import redact_many
from parley.services.keys import agency_public_key_text, existing_key_codes
from parley.services.reconciliation import reconcile_counterpart_list
from parley.trust.errors import TrustError

router = APIRouter()
NAV.append(NavItem(N_("Mediator"), "/mediator", Action.READ_LISTS))

Reader = Annotated[Actor, require(Action.READ_LISTS)]
Manager = Annotated[Actor, require(Action.MANAGE_LISTS)]
MAX_UPLOAD = 20 * 1024 * 1024
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _page(request: Request, ws: WorkspaceDep, actor: Actor, status_code: int = 200,
          result: str | None = None, ok: bool = False) -> Response:
    released = [s for s in svc.list_summaries(ws, actor=actor) if s.released]
    shown = {i["id"] for i in redact_many(actor, Kind.LIST, [
        {"id": s.id, "name": s.name} for s in released])}
    return render(request, "exchange/mediator.html", status_code=status_code,
                  lists=[s for s in released if s.id in shown], keys=existing_key_codes(ws),
                  may_manage=actor.may(Action.MANAGE_LISTS),
                  may_bundle=actor.may(Action.RELEASE_LIST), result=result, ok=ok)


@router.get("/mediator", response_class=HTMLResponse)
def mediator_page(request: Request, ws: WorkspaceDep, actor: Reader) -> Response:
    return _page(request, ws, actor)


async def _read(upload: UploadFile) -> bytes:
    data = await upload.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise InvalidInput(f"{upload.filename or 'file'}: larger than {MAX_UPLOAD} bytes")
    return data


@router.post("/mediator/verify", response_class=HTMLResponse)
async def verify_form(request: Request, ws: WorkspaceDep, actor: Reader,
                      kind: Annotated[Literal["bundle", "checkpoint"], Form()],
                      file: Annotated[UploadFile, File()],
                      agencies: Annotated[list[str] | None, Form()] = None,
                      extra_keys: Annotated[str, Form(max_length=20_000)] = "") -> Response:
    """Check an uploaded bundle or checkpoint as ``parley-verify`` would, in the page."""
    data = await _read(file)
    known = set(existing_key_codes(ws))
    specs = [agency_public_key_text(ws, code) for code in (agencies or []) if code in known]
    specs += [line.strip() for line in extra_keys.splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload"
        path.write_bytes(data)
        try:
            check = verify.check_bundle if kind == "bundle" else verify.check_checkpoint
            line = check(str(path), specs)
            ok = True
        except TrustError as err:
            line, ok = f"FAILED: {str(err).replace(str(path), file.filename or 'file')}", False
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
            set_flash(response, request, str(err))
            return response
    response = RedirectResponse(f"/lists/{name}/reconciliation", status_code=303)
    set_flash(response, request, gettext("The answer was reconciled."))
    return response
