"""What staff do to a list in the browser: create it, add people, change an entry's status and
readiness, approve (the agency's key signs the version hash), release, read the version history
and a diff, and download the signed bundle.

Each form posts here, calls one service and comes back to the list with a flash message; a
refusal the user can correct (a missing reason, a conflict with the list's state) comes back
the same way, anything else is the one error page.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from parley.domain.actors import Action, Actor
from parley.domain.lists import Status
from parley.errors import N_, Conflict, InvalidInput, NotFound
from parley.interfaces.web.deps import WorkspaceDep, render, require, set_flash
from parley.interfaces.web.error_text import translate_error
from parley.interfaces.web.i18n import gettext
from parley.services import lists as svc
from parley.services.list_people import add_people
from parley.services.signoff import approve_list, export_signed_bundle, release_list
from parley.services.workspace import Workspace

router = APIRouter()

Reader = Annotated[Actor, require(Action.READ_LISTS)]
Manager = Annotated[Actor, require(Action.MANAGE_LISTS)]
Approver = Annotated[Actor, require(Action.APPROVE_LIST)]
Releaser = Annotated[Actor, require(Action.RELEASE_LIST)]
Text = Annotated[str, Form(max_length=2000)]
READINESS = ("identity_verified", "medical_fit", "will_recorded")
STATUSES = tuple(s.value for s in Status)
VersionQ = Annotated[int | None, Query(ge=0, le=10**9)]
_IDS = re.compile(r"\d{1,18}")


def _back(request: Request, name: str, message: str, anchor: str = "") -> Response:
    response = RedirectResponse(f"/lists/{name}{anchor}", status_code=303)
    set_flash(response, request, message)
    return response


def _ids(text: str) -> list[int]:
    return [int(t) for t in _IDS.findall(text)]


def list_choices(ws: Workspace, actor: Actor) -> list[str]:
    """The names of the lists an "add to list" form offers: none for a role that may not
    change lists (the form is then not shown)."""
    if not actor.may(Action.MANAGE_LISTS):
        return []
    return sorted(s.name for s in svc.list_summaries(ws, actor=actor))


@router.post("/lists", include_in_schema=False)
def create_form(request: Request, ws: WorkspaceDep, actor: Manager,
                name: Annotated[str, Form(min_length=1, max_length=200)],
                direction: Annotated[str, Form(max_length=16)]) -> Response:
    try:
        svc.create_list(ws, actor=actor, name=name.strip(), direction=direction)
    except (Conflict, InvalidInput) as err:
        response = RedirectResponse("/lists", status_code=303)
        set_flash(response, request, translate_error(err))
        return response
    return _back(request, name.strip(), gettext("List created."))


@router.post("/lists/add", include_in_schema=False)
def add_to_named_list(request: Request, ws: WorkspaceDep, actor: Manager,
                      name: Annotated[str, Form(min_length=1, max_length=200)],
                      person_ids: Text = "",
                      record_ids: Annotated[list[str], Form(max_length=200)] = []  # noqa: B006
                      ) -> Response:
    """The form of ``exchange/_add_to_list.html`` (a record, a person) and of the search
    results, whose ticked rows each send a ``record_ids`` field."""
    return add_people_form(request, ws, actor, name.strip(), person_ids,
                           " ".join(r[:20] for r in record_ids))


@router.post("/lists/{name}/people", include_in_schema=False)
def add_people_form(request: Request, ws: WorkspaceDep, actor: Manager, name: str,
                    person_ids: Text = "", record_ids: Text = "") -> Response:
    """From a search result, a record or a person's page: ids separated by anything."""
    try:
        summary = add_people(ws, actor=actor, name=name, person_ids=_ids(person_ids),
                             record_ids=_ids(record_ids))
    except (Conflict, InvalidInput) as err:
        return _back(request, name, translate_error(err))
    return _back(request, name, gettext("Added; the list is now at version %(v)s.")
                 % {"v": summary.version})


@router.get("/lists/{name}/entries/{key}/edit", response_class=HTMLResponse,
            include_in_schema=False)
def change_entry_page(request: Request, ws: WorkspaceDep, actor: Manager, name: str,
                      key: Annotated[str, PathParam(max_length=200)]) -> Response:
    """The form to change one entry, fetched when asked for (htmx swaps it into the row): a
    list page of 200 entries does not carry 200 forms."""
    found = svc.entries_page(ws, actor=actor, name=name, query=key)
    if not any(e.get("id") == key for e in found.items):
        raise NotFound(N_("no entry %(key)s"), key=key)
    template = ("exchange/_entry_form.html" if request.headers.get("HX-Request")
                else "exchange/entry_edit.html")
    return render(request, template, name=name, key=key, statuses=STATUSES)


@router.post("/lists/{name}/entries/{key}", include_in_schema=False)
def change_entry_form(request: Request, ws: WorkspaceDep, actor: Manager, name: str, key: str,
                      status: Annotated[str, Form(max_length=32)] = "",
                      reason: Text = "", identity_verified: Text = "",
                      medical_fit: Text = "", will_recorded: Text = "") -> Response:
    """Status along the workflow (with the reason it asks for) and readiness: each readiness
    item is "yes", "no" or left as it is."""
    given = {"identity_verified": identity_verified, "medical_fit": medical_fit,
             "will_recorded": will_recorded}
    readiness = {k: v == "yes" for k, v in given.items() if v in ("yes", "no")}
    try:
        summary = svc.update_entry(ws, actor=actor, name=name, key=key,
                                   status=status or None, reason=reason.strip(),
                                   readiness=readiness or None)
    except (Conflict, InvalidInput) as err:
        return _back(request, name, f"{key}: {err}")
    return _back(request, name, gettext("%(key)s changed; the list is now at version %(v)s.")
                 % {"key": key, "v": summary.version})


@router.post("/lists/{name}/approve", include_in_schema=False)
def approve_form(request: Request, ws: WorkspaceDep, actor: Approver, name: str,
                 version: Annotated[int | None, Form(ge=1, le=2**62)] = None) -> Response:
    try:
        approve_list(ws, actor=actor, name=name, version=version)
    except Conflict as err:
        return _back(request, name, translate_error(err))
    return _back(request, name, gettext("Approved for %(agency)s: your agency's key signed the "
                                        "version's hash.") % {"agency": actor.agency})


@router.post("/lists/{name}/release", include_in_schema=False)
def release_form(request: Request, ws: WorkspaceDep, actor: Releaser, name: str) -> Response:
    try:
        release_list(ws, actor=actor, name=name)
    except Conflict as err:
        return _back(request, name, translate_error(err))
    return _back(request, name, gettext("Released to the mediator."))


@router.get("/lists/{name}/bundle", include_in_schema=False)
def bundle_download(ws: WorkspaceDep, actor: Reader, name: str) -> Response:
    """The released version as a signed bundle (what ``parley lists export --sign`` writes), for
    whoever releases lists and for the mediator (``signoff.may_carry_bundle``)."""
    body = export_signed_bundle(ws, actor=actor, name=name)
    return Response(body, media_type="application/json",
                    headers={"Content-Disposition": 'attachment; filename="list.bundle.json"'})


@router.get("/lists/{name}/versions", response_class=HTMLResponse, include_in_schema=False)
def versions_page(request: Request, ws: WorkspaceDep, actor: Reader, name: str,
                  before: VersionQ = None, after: VersionQ = None) -> Response:
    """Every version (who, when, what, hash, release) and, when two are chosen, their diff."""
    versions = svc.list_versions(ws, actor=actor, name=name)
    changes = None
    if before is not None and after is not None:
        changes = svc.diff_versions(ws, actor=actor, name=name, before=before, after=after)
    return render(request, "exchange/versions.html", name=name, versions=versions,
                  changes=changes, before=before, after=after)

