"""Administration: the users of the workspace (add, lock, unlock, reset the second factor, set
role, agency and clearance), as pages for the admin role and as JSON under ``/api/admin``.

Everything goes through :mod:`parley.services.accounts`, which audits each change and ends the
user's sessions and tokens when a lock or a change of rights calls for it.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from parley.domain.actors import Action, Actor, Role
from parley.domain.policy import CLEARANCE_LEVELS
from parley.errors import Conflict, InvalidInput, NotFound
from parley.interfaces.web.deps import NAV, NavItem, WorkspaceDep, render, require, set_flash
from parley.interfaces.web.error_text import translate_error
from parley.interfaces.web.i18n import N_, declare_labels, gettext
from parley.services import accounts
from parley.services.admin import agency_codes
from parley.services.workspace import Workspace

router = APIRouter()
NAV.append(NavItem(N_("Users"), "/admin/users", Action.MANAGE_USERS))

declare_labels({
    "public": N_("public"), "restricted": N_("restricted"), "confidential": N_("confidential"),
    "secret": N_("secret"), "top_secret": N_("top secret"),
})

Admin = Annotated[Actor, require(Action.MANAGE_USERS)]
Username = Annotated[str, PathParam(min_length=1, max_length=100, description="A user name.")]
ROLES = [r.value for r in Role if r is not Role.OPERATOR]


def _role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError as err:
        raise InvalidInput(N_("role: unknown role '%(value)s'"), value=value) from err


def _not_self(actor: Actor, username: str) -> None:
    """An administrator who locks themselves out leaves nobody to unlock them."""
    if username == actor.username:
        raise InvalidInput(N_("you cannot lock your own account"))


USERS_PAGE = 200
"""Accounts per page: like every page, never more than 200 rows."""


def _page(request: Request, ws: Workspace, actor: Actor, status_code: int = 200,
          page: int = 1, **extra: Any) -> Response:
    everyone = accounts.list_users(ws, actor=actor)
    pages = max(1, -(-len(everyone) // USERS_PAGE))
    page = min(max(1, page), pages)
    return render(request, "admin/users.html", status_code,
                  users=everyone[(page - 1) * USERS_PAGE: page * USERS_PAGE], page=page,
                  pages=pages, total=len(everyone), roles=ROLES,
                  agencies=agency_codes(ws, actor=actor), clearances=CLEARANCE_LEVELS, **extra)


def _done(request: Request, message: str) -> Response:
    response = RedirectResponse("/admin/users", status_code=303)
    set_flash(response, request, message)
    return response


@router.get("/admin/users", response_class=HTMLResponse, include_in_schema=False)
def users_page(request: Request, ws: WorkspaceDep, actor: Admin,
               page: Annotated[int, Query(ge=1, le=10_000)] = 1) -> Response:
    return _page(request, ws, actor, page=page)


@router.post("/admin/users", response_class=HTMLResponse, include_in_schema=False)
def user_add(request: Request, ws: WorkspaceDep, actor: Admin,
             username: Annotated[str, Form(max_length=100)],
             password: Annotated[str, Form(max_length=1000)],
             role: Annotated[str, Form(max_length=32)],
             agency: Annotated[str, Form(max_length=32)],
             clearance: Annotated[str, Form(max_length=32)] = "restricted",
             display_name: Annotated[str, Form(max_length=200)] = "") -> Response:
    try:
        accounts.create_user(ws, actor=actor, username=username.strip(), password=password,
                             role=_role(role), agency=agency, clearance=clearance,
                             display_name=display_name.strip())
    except (InvalidInput, Conflict, NotFound) as err:
        status = 422 if isinstance(err, NotFound) else err.http_status
        return _page(request, ws, actor, status, add_error=translate_error(err))
    return _done(request, gettext("User %(name)s added.") % {"name": username.strip()})


@router.post("/admin/users/{username}/lock", include_in_schema=False)
def user_lock(request: Request, ws: WorkspaceDep, actor: Admin, username: Username) -> Response:
    _not_self(actor, username)
    accounts.lock_user(ws, actor=actor, username=username)
    return _done(request, gettext("%(name)s is locked: their sessions ended and their API "
                                  "tokens were revoked.") % {"name": username})


@router.post("/admin/users/{username}/unlock", include_in_schema=False)
def user_unlock(request: Request, ws: WorkspaceDep, actor: Admin, username: Username
                ) -> Response:
    accounts.unlock_user(ws, actor=actor, username=username)
    return _done(request, gettext("%(name)s is unlocked.") % {"name": username})


def _reset_page(request: Request, ws: Workspace, actor: Actor, username: str,
                status_code: int = 200, error: str = "") -> Response:
    user = _user_json(ws, actor, username)
    return render(request, "admin/reset_totp.html", status_code, user=user, error=error)


@router.get("/admin/users/{username}/reset-totp", response_class=HTMLResponse,
            include_in_schema=False)
def user_reset_totp_page(request: Request, ws: WorkspaceDep, actor: Admin, username: Username
                         ) -> Response:
    """Ask before removing a second factor: a user without one cannot sign in until they enrol
    again, and the click is easy to make on the wrong row of the users table."""
    return _reset_page(request, ws, actor, username)


@router.post("/admin/users/{username}/reset-totp", include_in_schema=False)
def user_reset_totp(request: Request, ws: WorkspaceDep, actor: Admin, username: Username,
                    confirm: Annotated[str, Form(max_length=8)] = "") -> Response:
    if confirm != "yes":  # a form that skipped the confirmation page
        return _reset_page(request, ws, actor, username, 422,
                           gettext("Confirm the reset with the button below."))
    accounts.reset_second_factor(ws, actor=actor, username=username)
    return _done(request, gettext("The second factor of %(name)s was removed: they enrol "
                                  "again at their next sign-in.") % {"name": username})


@router.post("/admin/users/{username}/change", include_in_schema=False)
def user_change(request: Request, ws: WorkspaceDep, actor: Admin, username: Username,
                role: Annotated[str, Form(max_length=32)],
                agency: Annotated[str, Form(max_length=32)],
                clearance: Annotated[str, Form(max_length=32)]) -> Response:
    try:
        changes = accounts.change_user(ws, actor=actor, username=username, role=_role(role),
                                       agency=agency, clearance=clearance)
    except InvalidInput as err:
        return _page(request, ws, actor, err.http_status, change_error=translate_error(err))
    if not changes:
        return _done(request, gettext("Nothing changed for %(name)s.") % {"name": username})
    return _done(request, gettext("%(name)s changed: they sign in again under the new "
                                  "rights.") % {"name": username})


# --- JSON API ---------------------------------------------------------------------------------


class NewUser(BaseModel):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=1000)
    role: Role
    agency: str = Field(min_length=1, max_length=32)
    clearance: str = Field(default="restricted", max_length=32)
    display_name: str = Field(default="", max_length=200)


class UserChange(BaseModel):
    role: Role | None = None
    agency: str | None = Field(default=None, max_length=32)
    clearance: str | None = Field(default=None, max_length=32)


def _user_json(ws: Workspace, actor: Actor, username: str) -> dict[str, Any]:
    for user in accounts.list_users(ws, actor=actor):
        if user.username == username:
            return asdict(user)
    raise NotFound(N_("no user '%(username)s'"), username=username)


@router.get("/api/admin/users", tags=["admin"], summary="Every user account")
def api_users(ws: WorkspaceDep, actor: Admin) -> list[dict[str, Any]]:
    return [asdict(u) for u in accounts.list_users(ws, actor=actor)]


@router.post("/api/admin/users", tags=["admin"], summary="Add a user", status_code=201)
def api_user_add(ws: WorkspaceDep, actor: Admin, body: NewUser) -> dict[str, Any]:
    accounts.create_user(ws, actor=actor, username=body.username, password=body.password,
                         role=body.role, agency=body.agency, clearance=body.clearance,
                         display_name=body.display_name)
    return _user_json(ws, actor, body.username)


@router.patch("/api/admin/users/{username}", tags=["admin"],
              summary="Set a user's role, agency or clearance (ends their credentials)")
def api_user_change(ws: WorkspaceDep, actor: Admin, username: Username, body: UserChange
                    ) -> dict[str, Any]:
    changes = accounts.change_user(ws, actor=actor, username=username, role=body.role,
                                   agency=body.agency, clearance=body.clearance)
    return {"user": _user_json(ws, actor, username), "changed": changes}


@router.post("/api/admin/users/{username}/lock", tags=["admin"],
             summary="Lock an account (ends its sessions, revokes its tokens)")
def api_user_lock(ws: WorkspaceDep, actor: Admin, username: Username) -> dict[str, Any]:
    _not_self(actor, username)
    accounts.lock_user(ws, actor=actor, username=username)
    return _user_json(ws, actor, username)


@router.post("/api/admin/users/{username}/unlock", tags=["admin"], summary="Unlock an account")
def api_user_unlock(ws: WorkspaceDep, actor: Admin, username: Username) -> dict[str, Any]:
    accounts.unlock_user(ws, actor=actor, username=username)
    return _user_json(ws, actor, username)


@router.post("/api/admin/users/{username}/reset-totp", tags=["admin"],
             summary="Remove a user's second factor (they enrol again)")
def api_user_reset_totp(ws: WorkspaceDep, actor: Admin, username: Username) -> dict[str, Any]:
    accounts.reset_second_factor(ws, actor=actor, username=username)
    return _user_json(ws, actor, username)
