"""``parley login``, ``parley logout``, ``parley whoami``: the command line as a named person."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from parley.domain.policy import clearance_of
from parley.interfaces.cli import credentials
from parley.interfaces.cli.common import console, err_console, plain, signed_in, workspace


def _line(prompt: str, from_stdin: bool, *, hide: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(typer.prompt(prompt, hide_input=hide))


def login(
    username: Annotated[str | None, typer.Argument(help="Your user name (asked if left out).")]
    = None,
    password_stdin: Annotated[bool, typer.Option(
        "--password-stdin", help="Read the password (then the code, if enrolled) from standard "
        "input, one a line.")] = False,
) -> None:
    """Sign in to this workspace; later commands act as you (a 30-day token, saved 0600)."""
    from parley.services.cli_login import sign_in, sign_out

    ws = workspace()
    name = username or _line("User name", False, hide=False)
    password = _line("Password", password_stdin, hide=True)
    done = sign_in(ws, username=name.strip(), password=password,
                   ask_code=lambda: _line("Six-digit code", password_stdin, hide=False))
    url = ws.settings.effective_database_url
    old = credentials.read(url)
    path = credentials.write(url, credentials.Saved(
        username=done.actor.username, token=done.token, token_id=done.token_id,
        database=credentials.workspace_label(url)))
    if old is not None and old.token != done.token:
        sign_out(ws, token=old.token, token_id=old.token_id)  # the replaced login ends
    until = f" until {done.expires_at:%Y-%m-%d}" if done.expires_at else ""
    console.print(f"Signed in as {plain(done.actor.username)} ({done.actor.role.value} of "
                  f"{plain(done.actor.agency)}){until}; login saved in {path}.",
                  markup=False, highlight=False)
    if credentials.env_token():
        err_console.print("note: PARLEY_TOKEN is set and wins over this login until you unset "
                          "it.", markup=False, highlight=False)


def logout() -> None:
    """Sign out of this workspace: the saved token is revoked and its file deleted."""
    from parley.services.cli_login import sign_out

    ws = workspace()
    url = ws.settings.effective_database_url
    saved = credentials.read(url)
    if saved is None:
        console.print("Not signed in to this workspace.")
    else:
        sign_out(ws, token=saved.token, token_id=saved.token_id)
        credentials.forget(url)
        console.print(f"Signed out {plain(saved.username)}.", markup=False, highlight=False)
    if credentials.env_token():
        err_console.print("note: PARLEY_TOKEN is still set: commands act as its owner until you "
                          "unset it.", markup=False, highlight=False)


def whoami() -> None:
    """Who the commands act as on this workspace, and through which login."""
    ws = workspace()
    actor = signed_in(ws)
    via = "PARLEY_TOKEN" if credentials.env_token() else "parley login"
    console.print(f"{plain(actor.username)}: {actor.role.value} of {plain(actor.agency)}, "
                  f"clearance {plain(clearance_of(actor))} (via {via})",
                  markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    app.command("login")(login)
    app.command("logout")(logout)
    app.command("whoami")(whoami)
