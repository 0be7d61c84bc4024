"""The command line acts as a named person: ``parley login``/``logout``/``whoami``, the saved
token (0600 in a 0700 folder, one per workspace), ``PARLEY_TOKEN``, and the exit codes of a
missing, expired or refused login (issue 12, "Command line as a named person"; issue 15)."""

from __future__ import annotations

import stat
from datetime import timedelta
from pathlib import Path

import pyotp
import pytest
from sqlalchemy import select, update

from parley.adapters.sql.auth_tables import ApiToken
from parley.adapters.sql.base import utcnow
from parley.adapters.sql.tables import AuditEventRow, User
from parley.domain.actors import Action, Role
from parley.errors import AuthenticationFailed, LoginExpired, LoginRequired
from parley.interfaces.cli import credentials
from parley.services.tokens import create_api_token
from parley.services.workspace import Workspace
from tests.conftest import Cli


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _events(ws: Workspace, action: str) -> list[AuditEventRow]:
    with ws.store.reading() as tx:
        return list(tx.scalars(select(AuditEventRow).where(AuditEventRow.action == action)
                               .order_by(AuditEventRow.seq)))


def test_login_saves_a_private_token_and_whoami_names_the_person(cli: Cli,
                                                                  ws: Workspace) -> None:
    cli.as_user("olena", Role.ANALYST, "MOD", "secret")
    done = cli("whoami")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "olena: analyst of MOD, clearance secret (via parley login)"
    path = credentials.login_file(ws.settings.effective_database_url)
    assert path.exists() and _mode(path) == 0o600 and _mode(path.parent) == 0o700
    assert "olena" in path.read_text(encoding="utf-8")
    # the password never reaches the file, only the token does
    assert "cli test password" not in path.read_text(encoding="utf-8")


def test_logout_revokes_the_token_and_later_commands_ask_for_a_login(cli: Cli,
                                                                     ws: Workspace) -> None:
    path = credentials.login_file(ws.settings.effective_database_url)
    token = credentials.read(ws.settings.effective_database_url)
    assert token is not None
    done = cli("logout")
    assert done.returncode == 0 and "Signed out cli-admin." in done.stdout
    assert not path.exists()
    refused = cli("lists", "show")
    assert refused.returncode == LoginRequired.exit_code == 11
    assert refused.stderr == ("error: not signed in to this workspace: run 'parley login' (or "
                              "set PARLEY_TOKEN)")
    with ws.store.reading() as tx:
        row = tx.scalars(select(ApiToken).where(ApiToken.name == "parley command line")).one()
    assert row.revoked_at is not None


def test_a_wrong_password_is_refused_and_leaves_no_login(cli: Cli, ws: Workspace) -> None:
    cli.add_user("petro")
    done = cli.login("petro", password="not the password")
    assert done.returncode == AuthenticationFailed.exit_code == 13
    assert "wrong user name, password or code" in done.stderr
    assert cli("whoami").stdout.startswith("cli-admin:")  # the earlier login stands
    failures = [e for e in _events(ws, "auth.login_failed") if e.target == "user:petro"]
    assert len(failures) == 1 and failures[0].payload.get("source") == "cli"


def test_a_second_factor_is_asked_for(cli: Cli, ws: Workspace) -> None:
    cli.add_user("marta")
    secret = pyotp.random_base32()
    with ws.store.transaction() as tx:
        tx.execute(update(User).where(User.username == "marta").values(totp_secret=secret))
    assert cli.login("marta", code="000000").returncode == AuthenticationFailed.exit_code
    done = cli.login("marta", code=pyotp.TOTP(secret).now())
    assert done.returncode == 0, done.stderr
    assert cli("whoami").stdout.startswith("marta: coordinator of HQ")


def test_an_expired_or_revoked_login_has_its_own_exit_code(cli: Cli, ws: Workspace) -> None:
    with ws.store.transaction() as tx:
        tx.execute(update(ApiToken).values(expires_at=utcnow() - timedelta(minutes=1)))
    done = cli("lists", "show")
    assert done.returncode == LoginExpired.exit_code == 12
    assert done.stderr == "error: your login has expired or was revoked: run 'parley login' again"
    assert cli.login("cli-admin").returncode == 0
    cli.add_user("ivan")
    assert cli.login("ivan").returncode == 0
    assert cli.login("cli-admin").returncode == 0
    assert cli("users", "lock", "ivan").returncode == 0  # ends ivan's tokens
    assert cli.login("ivan").returncode == AuthenticationFailed.exit_code


def test_parley_token_overrides_the_saved_login(cli: Cli, ws: Workspace,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    analyst = cli.add_user("oksana", Role.ANALYST, "SSU", "secret")
    token = create_api_token(ws, actor=analyst, name="script", scopes=frozenset(Action)).token
    monkeypatch.setenv("PARLEY_TOKEN", token)
    done = cli("whoami")
    assert done.stdout.strip() == "oksana: analyst of SSU, clearance secret (via PARLEY_TOKEN)"
    narrow = create_api_token(ws, actor=analyst, name="reader",
                              scopes=frozenset({Action.READ_LISTS})).token
    monkeypatch.setenv("PARLEY_TOKEN", narrow)
    refused = cli("whoami")
    assert refused.returncode == 5 and "limited to read_lists" in refused.stderr
    monkeypatch.setenv("PARLEY_TOKEN", "prl_not-a-token")
    assert cli("whoami").returncode == LoginExpired.exit_code
    monkeypatch.delenv("PARLEY_TOKEN")
    assert cli("whoami").stdout.startswith("cli-admin:")


def test_state_changes_are_attributed_to_the_signed_in_person(cli: Cli, ws: Workspace) -> None:
    cli.as_user("coord", Role.COORDINATOR, "HQ")
    assert cli("lists", "create", "recv", "--direction", "receive").returncode == 0
    created = _events(ws, "list.create")
    assert [(e.actor, e.actor_role, e.actor_agency) for e in created] == [
        ("coord", "coordinator", "HQ")]
    assert all(e.actor != "local-operator" for e in _events(ws, "list.create"))
    # and reading is need-to-know for that person: the auditor may not read lists
    cli.as_user("aud", Role.AUDITOR, "HQ")
    assert cli("lists", "show").returncode == 5


def test_two_workspaces_do_not_share_a_login(cli: Cli, ws: Workspace, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    here = credentials.login_file(ws.settings.effective_database_url)
    other_url = f"sqlite:///{(tmp_path / 'other.db').as_posix()}"
    assert credentials.login_file(other_url) != here
    assert credentials.read(other_url) is None and credentials.read(
        ws.settings.effective_database_url) is not None
    # the same file, however the SQLite path is spelled
    monkeypatch.chdir(tmp_path)
    assert credentials.login_file("sqlite:///other.db") == credentials.login_file(other_url)


def test_the_first_account_is_made_by_the_system_and_must_be_an_admin(
        cli_env: dict[str, str], ws: Workspace) -> None:
    cli = Cli(ws)
    first = ["users", "add", "root", "--agency", "HQ", "--password-stdin"]
    refused = cli(*first, "--role", "analyst", stdin="root password 12\n")
    assert refused.returncode == 2 and "first account of a workspace must be an admin" in \
        refused.stderr
    done = cli(*first, "--role", "admin", stdin="root password 12\n")
    assert done.returncode == 0, done.stderr
    assert [e.actor for e in _events(ws, "user.create")] == ["local-operator"]
    second = cli("users", "add", "olena", "--role", "analyst", "--agency", "MOD",
                 "--password-stdin", stdin="olena password 1\n")
    assert second.returncode == LoginRequired.exit_code
    assert cli.login("root", password="root password 12").returncode == 0
    second = cli("users", "add", "olena", "--role", "analyst", "--agency", "MOD",
                 "--password-stdin", stdin="olena password 1\n")
    assert second.returncode == 0, second.stderr
    assert [e.actor for e in _events(ws, "user.create")] == ["local-operator", "root"]


def test_a_shared_config_folder_is_made_private(cli: Cli, ws: Workspace, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    monkeypatch.setenv("PARLEY_CONFIG_DIR", str(folder))
    assert cli("whoami").returncode == LoginRequired.exit_code  # another folder: no login here
    assert cli.login("cli-admin").returncode == 0
    assert _mode(folder) == 0o700
    assert [_mode(p) for p in folder.iterdir()] == [0o600]


def test_a_real_process_says_to_log_in_in_one_line(cli_env: dict[str, str]) -> None:
    import os
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", "from parley.interfaces.cli.main import run; run()", "lists",
         "show"], capture_output=True, text=True, env={**os.environ, **cli_env}, timeout=120,
        check=False)
    assert done.returncode == 11
    assert done.stderr.splitlines() == [
        "error: not signed in to this workspace: run 'parley login' (or set PARLEY_TOKEN)"]
