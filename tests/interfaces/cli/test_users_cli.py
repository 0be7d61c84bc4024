"""``parley users …`` (as a signed-in admin) and ``parley serve --help`` through the real
command line."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from sqlalchemy import update
from typer.testing import CliRunner

from parley.adapters.sql.tables import User
from parley.errors import AuthenticationFailed
from parley.interfaces.cli import serve
from parley.interfaces.cli.users import users_app
from parley.services import accounts
from parley.services.workspace import Workspace
from tests.conftest import Cli

runner = CliRunner()


def test_add_a_user_with_the_password_on_stdin(ws: Workspace, cli: Cli) -> None:
    result = cli("users", "add", "olena", "--role", "analyst", "--agency", "mod",
                 "--clearance", "secret", "--password-stdin", stdin="correct horse battery\n")
    assert result.returncode == 0, result.stderr
    assert "User olena added: analyst of MOD, clearance secret." in result.stdout
    actor = accounts.authenticate(ws, username="olena", password="correct horse battery")
    assert (actor.role.value, actor.agency) == ("analyst", "MOD")
    listed = cli("users", "list")
    assert "olena" in listed.stdout and "secret" in listed.stdout
    # an analyst signed in may not manage accounts
    assert cli.login("olena", password="correct horse battery").returncode == 0
    refused = cli("users", "list")
    assert refused.returncode == 5 and "may not manage users" in refused.stderr


def test_bad_input_is_refused_with_a_clear_error(ws: Workspace, cli: Cli) -> None:
    for args, text, message in (
        (["--role", "spy", "--agency", "MOD"], "correct horse battery\n", "--role: unknown role"),
        (["--role", "analyst", "--agency", "MOD"], "short\n", "at least 10 characters"),
        (["--role", "analyst", "--agency", "XYZ"], "correct horse battery\n", "no agency"),
    ):
        result = cli("users", "add", "u1", *args, "--password-stdin", stdin=text)
        assert result.returncode not in (0, 1), result.stdout
        assert message in result.stderr


def test_an_error_is_one_line_without_traceback(ws: Workspace,
                                                cli_env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", "from parley.interfaces.cli.main import run; run()",
         "users", "add", "u1", "--role", "spy", "--agency", "MOD", "--password-stdin"],
        input="correct horse battery\n", capture_output=True, text=True,
        env={**os.environ, **cli_env}, check=False)
    assert done.returncode == 2
    assert done.stderr.strip() == ("error: --role: unknown role 'spy'; use one of admin, "
                                   "coordinator, analyst, logistics, mediator, auditor, "
                                   "family_liaison")


def test_serve_has_help() -> None:
    app = typer.Typer()
    serve.register(app)
    app.command("noop")(lambda: None)  # two commands, so 'serve' is a sub-command
    result = runner.invoke(app, ["serve", "--help"])
    assert result.exit_code == 0 and "--port" in result.output and "--host" in result.output


def test_unlock_and_reset_the_second_factor(ws: Workspace, cli: Cli) -> None:
    cli("users", "add", "olena", "--role", "analyst", "--agency", "MOD", "--password-stdin",
        stdin="correct horse battery\n")
    for _ in range(ws.settings.max_failed_logins):
        with pytest.raises(AuthenticationFailed):
            accounts.authenticate(ws, username="olena", password="wrong password")
    with pytest.raises(AuthenticationFailed):  # this source is slowed down now
        accounts.authenticate(ws, username="olena", password="correct horse battery")
    result = cli("users", "unlock", "olena")
    assert result.returncode == 0 and "olena unlocked" in result.stdout
    accounts.authenticate(ws, username="olena", password="correct horse battery")
    with ws.store.transaction() as tx:
        tx.execute(update(User).where(User.username == "olena").values(totp_secret="A" * 32))
    assert cli("users", "reset-totp", "olena").returncode == 0
    step = accounts.login(ws, username="olena", password="correct horse battery")
    assert not step.needs_second_factor


def test_readme_names_only_real_users_commands() -> None:
    # the accounts page of the docs (moved out of the README)
    section = (Path(__file__).parents[3] / "docs" / "accounts.md").read_text(encoding="utf-8")
    named = set(re.findall(r"parley users ([a-z][a-z-]*)", section))
    assert named == set(typer.main.get_command(users_app).commands)  # type: ignore[attr-defined]
