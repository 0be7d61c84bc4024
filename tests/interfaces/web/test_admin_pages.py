"""Administration in the browser and the JSON API: users added, locked, unlocked, changed,
their second factor reset; each change audited, credentials ended where rights change."""

from __future__ import annotations

import pyotp

from parley.domain.actors import LOCAL_OPERATOR, Role
from parley.services import accounts, audit
from parley.services.workspace import Workspace
from tests.interfaces.web.conftest import PASSWORD, TestClient, csrf_of, login, make_user


def _admin(ws: Workspace, client: TestClient) -> str:
    make_user(ws, "boss", Role.ADMIN, clearance="top_secret")
    login(client, "boss")
    return csrf_of(client.get("/admin/users").text)


def _user(ws: Workspace, name: str) -> accounts.UserInfo:
    found = [u for u in accounts.list_users(ws, actor=LOCAL_OPERATOR) if u.username == name]
    assert found, name
    return found[0]


def _actions(ws: Workspace, target: str) -> list[str]:
    return [e.action for e in audit.audit_log(ws, actor=LOCAL_OPERATOR, target=target)]


def test_admin_adds_a_user_through_the_page(ws: Workspace, client: TestClient) -> None:
    csrf = _admin(ws, client)
    page = client.get("/admin/users")
    assert page.status_code == 200 and "boss" in page.text and "Add a user" in page.text
    done = client.post("/admin/users", data={
        "csrf_token": csrf, "username": "olena", "password": "long enough pass",
        "role": "analyst", "agency": "MOD", "clearance": "secret"}, follow_redirects=False)
    assert done.status_code == 303
    olena = _user(ws, "olena")
    assert (olena.role, olena.agency, olena.clearance) == ("analyst", "MOD", "secret")
    assert "user.create" in _actions(ws, "user:olena")
    assert "User olena added." in client.get("/admin/users").text


def test_a_bad_new_user_is_422_with_one_line(ws: Workspace, client: TestClient) -> None:
    csrf = _admin(ws, client)
    short = client.post("/admin/users", data={
        "csrf_token": csrf, "username": "x", "password": "short", "role": "analyst",
        "agency": "MOD"})
    assert short.status_code == 422 and "at least" in short.text
    unknown = client.post("/admin/users", data={
        "csrf_token": csrf, "username": "x", "password": "long enough pass",
        "role": "wizard", "agency": "MOD"})
    assert unknown.status_code == 422 and "unknown role" in unknown.text
    twice = client.post("/admin/users", data={
        "csrf_token": csrf, "username": "boss", "password": "long enough pass",
        "role": "analyst", "agency": "MOD"})
    assert twice.status_code == 409 and "exists already" in twice.text


def test_lock_ends_sessions_and_unlock_lets_back_in(ws: Workspace, client: TestClient) -> None:
    make_user(ws, "ivan", Role.COORDINATOR)
    with TestClient(client.app, base_url="http://testserver",
                    headers={"Accept-Language": "en"}) as other:
        login(other, "ivan")
        assert other.get("/search").status_code == 200
        csrf = _admin(ws, client)
        locked = client.post("/admin/users/ivan/lock", data={"csrf_token": csrf},
                             follow_redirects=False)
        assert locked.status_code == 303
        assert not _user(ws, "ivan").active
        assert other.get("/search", follow_redirects=False).status_code == 303  # to /login
        client.post("/admin/users/ivan/unlock", data={"csrf_token": csrf})
        assert _user(ws, "ivan").active
    assert {"user.locked", "auth.unlocked"} <= set(_actions(ws, "user:ivan"))


def test_admin_cannot_lock_themselves(ws: Workspace, client: TestClient) -> None:
    csrf = _admin(ws, client)
    refused = client.post("/admin/users/boss/lock", data={"csrf_token": csrf})
    assert refused.status_code == 422 and _user(ws, "boss").active


def test_change_sets_role_agency_clearance(ws: Workspace, client: TestClient) -> None:
    make_user(ws, "petro", Role.ANALYST, clearance="restricted")
    csrf = _admin(ws, client)
    client.post("/admin/users/petro/change", data={
        "csrf_token": csrf, "role": "logistics", "agency": "SSU", "clearance": "confidential"})
    petro = _user(ws, "petro")
    assert (petro.role, petro.agency, petro.clearance) == ("logistics", "SSU", "confidential")
    assert "user.changed" in _actions(ws, "user:petro")
    bad = client.post("/admin/users/petro/change", data={
        "csrf_token": csrf, "role": "logistics", "agency": "SSU", "clearance": "cosmic"})
    assert bad.status_code == 422 and "unknown clearance" in bad.text
    assert client.post("/admin/users/nobody/change", data={
        "csrf_token": csrf, "role": "analyst", "agency": "MOD",
        "clearance": "secret"}).status_code == 404


def test_reset_second_factor(ws: Workspace, client: TestClient) -> None:
    maria = accounts.create_user(ws, actor=LOCAL_OPERATOR, username="maria", password=PASSWORD,
                                 role=Role.ANALYST, agency="MOD")
    secret = accounts.start_totp_enrolment(ws, actor=maria).secret
    accounts.confirm_totp_enrolment(ws, actor=maria, secret=secret,
                                    code=pyotp.TOTP(secret).now())
    assert _user(ws, "maria").has_totp
    csrf = _admin(ws, client)
    users = client.get("/admin/users").text
    assert 'href="/admin/users/maria/reset-totp"' in users
    ask = client.get("/admin/users/maria/reset-totp")
    assert ask.status_code == 200 and 'name="confirm" value="yes"' in ask.text
    assert _user(ws, "maria").has_totp  # asking changes nothing
    assert client.get("/admin/users/nobody/reset-totp").status_code == 404
    skipped = client.post("/admin/users/maria/reset-totp", data={"csrf_token": csrf})
    assert skipped.status_code == 422 and "Confirm the reset" in skipped.text
    assert _user(ws, "maria").has_totp
    done = client.post("/admin/users/maria/reset-totp",
                       data={"csrf_token": csrf, "confirm": "yes"}, follow_redirects=False)
    assert done.status_code == 303
    assert not _user(ws, "maria").has_totp
    assert "auth.totp_reset" in _actions(ws, "user:maria")
    assert "nothing to reset" in client.get("/admin/users/maria/reset-totp").text


def test_reset_second_factor_through_the_api(ws: Workspace, client: TestClient) -> None:
    maria = accounts.create_user(ws, actor=LOCAL_OPERATOR, username="maria", password=PASSWORD,
                                 role=Role.ANALYST, agency="MOD")
    secret = accounts.start_totp_enrolment(ws, actor=maria).secret
    accounts.confirm_totp_enrolment(ws, actor=maria, secret=secret,
                                    code=pyotp.TOTP(secret).now())
    csrf = _admin(ws, client)
    answer = client.post("/api/admin/users/maria/reset-totp", headers={"X-CSRF-Token": csrf})
    assert answer.status_code == 200, answer.text
    assert answer.json()["has_totp"] is False
    assert client.post("/api/admin/users/nobody/reset-totp",
                       headers={"X-CSRF-Token": csrf}).status_code == 404


def test_only_the_admin_role_reaches_the_pages(ws: Workspace, client: TestClient) -> None:
    make_user(ws, "coord", Role.COORDINATOR)
    login(client, "coord")
    denied = client.get("/admin/users")
    assert denied.status_code == 403 and "manage users" in denied.text
    assert "manage_users" not in denied.text
    assert client.get("/api/admin/users").status_code == 403
    assert "/admin/users" not in client.get("/search").text


def test_admin_json_api(ws: Workspace, client: TestClient) -> None:
    csrf = _admin(ws, client)
    client.headers["X-CSRF-Token"] = csrf
    made = client.post("/api/admin/users", json={
        "username": "taras", "password": "long enough pass", "role": "auditor",
        "agency": "MOD", "clearance": "secret"})
    assert made.status_code == 201 and made.json()["role"] == "auditor"
    listed = client.get("/api/admin/users").json()
    assert {"boss", "taras"} <= {u["username"] for u in listed}
    changed = client.patch("/api/admin/users/taras", json={"clearance": "confidential"})
    assert changed.json()["changed"] == {"clearance": "confidential"}
    assert client.post("/api/admin/users/taras/lock").json()["active"] is False
    assert client.post("/api/admin/users/taras/unlock").json()["active"] is True
    assert client.post("/api/admin/users/ghost/lock").status_code == 404
    bad = client.post("/api/admin/users", json={"username": "y", "password": "p",
                                                "role": "nobody", "agency": "MOD"})
    assert bad.status_code == 422 and set(bad.json()) == {"error", "status"}
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "/api/admin/users" in paths and "/admin/users" not in paths


def test_users_page_in_ukrainian(ws: Workspace, client: TestClient) -> None:
    _admin(ws, client)
    client.headers["Accept-Language"] = "uk"
    page = client.get("/admin/users")
    assert page.status_code == 200 and "Додати користувача" in page.text
    assert "цілком таємно" in page.text and "Add a user" not in page.text
