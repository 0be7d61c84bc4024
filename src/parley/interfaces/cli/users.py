"""``parley users``: accounts, managed by a signed-in admin.

The one exception is the very first account of a workspace: nobody can sign in yet, so it is
created by the system (audited as ``local-operator``), and it must be an admin, who then signs
in and creates everyone else under their own name.
"""

from __future__ import annotations

import sys

import typer
from rich.table import Table

from parley.domain.actors import LOCAL_OPERATOR, Role
from parley.domain.policy import CLEARANCE_LEVELS
from parley.errors import InvalidInput
from parley.interfaces.cli.common import acting, console, safe, signed_in, workspace
from parley.services import accounts

users_app = typer.Typer(help="Manage user accounts.", no_args_is_help=True)


def _role(value: str) -> Role:
    try:
        role = Role(value.lower())
    except ValueError:
        role = None
    if role is None or role is Role.OPERATOR:
        known = ", ".join(r.value for r in Role if r is not Role.OPERATOR)
        raise InvalidInput(f"--role: unknown role '{value}'; use one of {known}")
    return role


@users_app.command("add")
def add(
    username: str = typer.Argument(..., help="The new user's sign-in name."),
    role: str = typer.Option(..., "--role", help="admin, coordinator, analyst, logistics, "
                             "mediator or auditor."),
    agency: str = typer.Option(..., "--agency", help="Agency code, e.g. MOD, DIU, HQ, MED."),
    clearance: str = typer.Option("restricted", "--clearance",
                                  help="One of " + ", ".join(CLEARANCE_LEVELS) + "."),
    display_name: str = typer.Option("", "--name", help="Full name shown in the app."),
    password_stdin: bool = typer.Option(False, "--password-stdin",
                                        help="Read the password from standard input."),
) -> None:
    """Create a user; the password is asked for (twice) unless --password-stdin is given."""
    chosen = _role(role)
    ws = workspace()
    first = not accounts.list_users(ws, actor=LOCAL_OPERATOR)  # nobody could sign in yet
    if first and chosen is not Role.ADMIN:
        raise InvalidInput("--role: the first account of a workspace must be an admin (it signs "
                           "in with 'parley login' and creates the others)")
    by = LOCAL_OPERATOR if first else signed_in(ws)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    actor = accounts.create_user(ws, actor=by, username=username, password=password,
                                 role=chosen, agency=agency.upper(), clearance=clearance,
                                 display_name=display_name)
    console.print(f"User {safe(actor.username)} added: {actor.role.value} of "
                  f"{safe(actor.agency)}, clearance {safe(clearance)}.")


@users_app.command("set-password")
def set_password(
    username: str = typer.Argument(..., help="Whose password to set."),
    password_stdin: bool = typer.Option(False, "--password-stdin",
                                        help="Read the password from standard input."),
) -> None:
    """Set a new password for a user (their sessions end, their API tokens are revoked)."""
    ws, me = acting()
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("New password", hide_input=True, confirmation_prompt=True)
    accounts.set_password(ws, actor=me, username=username, password=password)
    console.print(f"Password of {safe(username)} set.")


@users_app.command("list")
def list_users() -> None:
    """List the accounts."""
    ws, me = acting()
    table = Table("user", "role", "agency", "clearance", "second factor", "active")
    for user in accounts.list_users(ws, actor=me):
        table.add_row(safe(user.username), safe(user.role), safe(user.agency), safe(user.clearance),
                      "yes" if user.has_totp else "no", "yes" if user.active else "no")
    console.print(table)


@users_app.command("reset-totp")
def reset_totp(username: str = typer.Argument(..., help="Whose second factor to remove.")) -> None:
    """Remove a user's second factor (a lost phone); they can enrol again on the account page."""
    ws, me = acting()
    accounts.reset_second_factor(ws, actor=me, username=username)
    console.print(f"Second factor of {safe(username)} removed.")


@users_app.command("change")
def change(
    username: str = typer.Argument(..., help="Whose rights to change."),
    role: str | None = typer.Option(None, "--role", help="The new role."),
    agency: str | None = typer.Option(None, "--agency", help="The new agency code."),
    clearance: str | None = typer.Option(None, "--clearance", help="The new clearance."),
) -> None:
    """Change a user's role, agency or clearance (their sessions end, their tokens are
    revoked: they sign in again under the new rights)."""
    if role is None and agency is None and clearance is None:
        raise InvalidInput("give --role, --agency or --clearance")
    ws, me = acting()
    changes = accounts.change_user(
        ws, actor=me, username=username,
        role=_role(role) if role is not None else None,
        agency=agency.upper() if agency is not None else None, clearance=clearance)
    if not changes:
        console.print(f"{username}: nothing to change.")
        return
    done = ", ".join(f"{field} {value}" for field, value in sorted(changes.items()))
    console.print(f"{username} now has {done}; their sessions and API tokens have ended.",
                  markup=False, highlight=False)


@users_app.command("lock")
def lock(username: str = typer.Argument(..., help="Whose account to lock.")) -> None:
    """Lock an account: no sign-in, its sessions end, its API tokens are revoked."""
    ws, me = acting()
    accounts.lock_user(ws, actor=me, username=username)
    console.print(f"{username} locked; their sessions and API tokens have ended.",
                  markup=False, highlight=False)


@users_app.command("unlock")
def unlock(username: str = typer.Argument(..., help="Whose account to unlock.")) -> None:
    """Lift a lock and forget the account's failed logins from every source."""
    ws, me = acting()
    accounts.unlock_user(ws, actor=me, username=username)
    console.print(f"{safe(username)} unlocked.")


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
