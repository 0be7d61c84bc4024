"""A password reset, a lock by an administrator and a change of role, agency or clearance
(each through the real command line) end the user's web sessions and revoke their API tokens."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from parley.adapters.sql.tables import AuditEventRow
from parley.domain.actors import LOCAL_OPERATOR, Action
from parley.services import accounts
from parley.services.workspace import Workspace
from tests.conftest import Cli
from tests.interfaces.web.conftest import PASSWORD, TestClient, login, make_user

TRIGGERS = {
    "set-password": (["set-password", "olena", "--password-stdin"], "auth.password_set"),
    "lock": (["lock", "olena"], "user.locked"),
    "role": (["change", "olena", "--role", "coordinator"], "user.changed"),
    "agency": (["change", "olena", "--agency", "HQ"], "user.changed"),
    "clearance": (["change", "olena", "--clearance", "restricted"], "user.changed"),
}


@pytest.mark.parametrize("trigger", list(TRIGGERS))
def test_the_trigger_ends_sessions_and_revokes_tokens(
        trigger: str, ws: Workspace, client: TestClient, cli: Cli) -> None:
    make_user(ws, "olena")
    actor = accounts.authenticate(ws, username="olena", password=PASSWORD)
    token = accounts.create_api_token(ws, actor=actor, name="reader",
                                      scopes=frozenset({Action.SEARCH_REGISTRY})).token
    bearer = {"Authorization": f"Bearer {token}"}
    login(client, "olena")
    assert client.get("/search").status_code == 200
    assert client.get("/api/search?name=x", headers=bearer).status_code == 200

    args, action = TRIGGERS[trigger]
    result = cli("users", *args, stdin=PASSWORD + " renewed\n")
    assert result.returncode == 0, result.stderr

    page = client.get("/search", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    assert client.get("/api/search?name=x", headers=bearer).status_code == 401
    with ws.store.reading() as tx:
        event = tx.scalars(select(AuditEventRow).where(AuditEventRow.action == action)).one()
    assert event.payload["sessions_ended"] == 1 and event.payload["tokens_revoked"] == 1
    # The credentials stay dead: after an unlock the old token is still refused.
    accounts.unlock_user(ws, actor=LOCAL_OPERATOR, username="olena")
    assert client.get("/api/search?name=x", headers=bearer).status_code == 401


def test_a_change_to_the_same_values_keeps_the_credentials(
        ws: Workspace, client: TestClient, cli: Cli) -> None:
    make_user(ws, "olena")
    login(client, "olena")
    result = cli("users", "change", "olena", "--role", "analyst", "--agency", "mod",
                 "--clearance", "secret")
    assert result.returncode == 0 and "nothing to change" in result.stdout
    assert client.get("/search").status_code == 200
    refused = cli("users", "change", "olena")
    assert refused.returncode != 0 and "--role, --agency or --clearance" in refused.stderr
