"""Sign-in, the TOTP step, CSRF refusal and session expiry, through the real app."""

from __future__ import annotations

from datetime import timedelta

import pyotp
from sqlalchemy import select, update

from parley.adapters.sql.auth_tables import WebSession
from parley.adapters.sql.base import utcnow
from parley.adapters.sql.tables import AuditEventRow
from parley.domain.actors import Role
from parley.interfaces.web.app import create_app
from parley.services.workspace import Workspace
from tests.interfaces.web.conftest import TestClient, csrf_of, login, make_user


def _events(ws: Workspace, action: str) -> list[AuditEventRow]:
    with ws.store.reading() as tx:
        return list(tx.scalars(select(AuditEventRow).where(AuditEventRow.action == action)))


def test_pages_need_sign_in(client: TestClient) -> None:
    response = client.get("/search?name=x", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/search%3Fname%3Dx"
    assert client.get("/api/search?name=x").status_code == 401


def test_login_and_logout(ws: Workspace, client: TestClient) -> None:
    make_user(ws, "olena")
    response = login(client, "olena")
    assert response.status_code == 303
    cookie = response.headers["set-cookie"]
    assert "parley_session=" in cookie and "HttpOnly" in cookie
    assert "samesite=strict" in cookie.lower()
    page = client.get("/search")
    assert page.status_code == 200 and "olena" in page.text
    assert client.post("/logout", data={"csrf_token": csrf_of(page.text)},
                       follow_redirects=False).status_code == 303
    assert client.get("/search", follow_redirects=False).status_code == 303
    assert len(_events(ws, "auth.login")) == 1 and len(_events(ws, "auth.logout")) == 1


def test_wrong_password_is_refused_and_logged(ws: Workspace, client: TestClient) -> None:
    make_user(ws, "olena")
    response = login(client, "olena", "not the password")
    assert response.status_code == 401
    assert "wrong user name, password or code" in response.text
    unknown = login(client, "nobody", "whatever-password")
    assert unknown.status_code == 401
    assert unknown.text.count("wrong user name") == response.text.count("wrong user name")
    failures = _events(ws, "auth.login_failed")
    assert [e.target for e in failures] == ["user:olena", "user:nobody"]


def test_totp_enrolment_and_second_step(ws: Workspace, client: TestClient) -> None:
    make_user(ws, "taras")
    login(client, "taras")
    page = client.get("/account")
    start = client.post("/account/totp/start", data={"csrf_token": csrf_of(page.text)})
    assert start.status_code == 200 and "otpauth://totp/Parley:taras" in start.text
    secret = start.text.split('id="totp-secret">')[1].split("<")[0]
    totp = pyotp.TOTP(secret)
    wrong = client.post("/account/totp/confirm", data={
        "csrf_token": csrf_of(start.text), "secret": secret, "code": "000000"
        if totp.now() != "000000" else "111111"})
    assert wrong.status_code == 422
    confirm = client.post("/account/totp/confirm", data={
        "csrf_token": csrf_of(start.text), "secret": secret, "code": totp.now()},
        follow_redirects=False)
    assert confirm.status_code == 303
    client.post("/logout", data={"csrf_token": csrf_of(client.get("/account").text)})

    step = login(client, "taras")
    assert step.status_code == 303 and step.headers["location"].startswith("/login/totp")
    # The password alone opens nothing.
    assert client.get("/search", follow_redirects=False).status_code == 303
    form = client.get("/login/totp")
    assert client.post("/login/totp", data={"csrf_token": csrf_of(form.text),
                                            "code": "12345x"}).status_code == 401
    # The code spent at enrolment cannot be replayed; the next one works.
    assert client.post("/login/totp", data={"csrf_token": csrf_of(form.text),
                                            "code": totp.now()}).status_code == 401
    future = totp.at(utcnow() + timedelta(seconds=30))
    done = client.post("/login/totp", data={"csrf_token": csrf_of(form.text), "code": future},
                       follow_redirects=False)
    assert done.status_code == 303
    assert client.get("/search").status_code == 200


def test_forms_without_a_valid_csrf_token_are_refused(ws: Workspace, client: TestClient) -> None:
    make_user(ws, "olena")
    no_token = client.post("/login", data={"username": "olena", "password": "x" * 12})
    assert no_token.status_code == 403
    assert "did not come from this site" in no_token.text
    login(client, "olena")
    page = client.get("/account")
    forged = client.post("/account/tokens", data={"name": "t", "scopes": "read_record",
                                                  "csrf_token": "forged.token.value"})
    assert forged.status_code == 403
    # A token from before sign-in is bound to the old pre-login cookie, not to this session.
    other = TestClient(client.app, base_url="http://testserver")
    stolen = csrf_of(other.get("/login").text)
    replay = client.post("/account/tokens", data={"name": "t", "scopes": "read_record",
                                                  "csrf_token": stolen})
    assert replay.status_code == 403
    assert "prl_" not in forged.text + replay.text
    ok = client.post("/account/tokens", data={"name": "t", "scopes": "read_record",
                                              "csrf_token": csrf_of(page.text)})
    assert ok.status_code == 200 and "prl_" in ok.text


def test_htmx_requests_carry_the_csrf_header(ws: Workspace, client: TestClient) -> None:
    make_user(ws, "olena")
    login(client, "olena")
    page = client.get("/account")
    token = page.text.split('"X-CSRF-Token": "')[1].split('"')[0]
    response = client.post("/account/totp/start", headers={"X-CSRF-Token": token,
                                                           "HX-Request": "true"})
    assert response.status_code == 200


def test_expired_session_is_refused(ws: Workspace, client: TestClient) -> None:
    make_user(ws, "olena")
    login(client, "olena")
    assert client.get("/search").status_code == 200
    with ws.store.transaction() as tx:
        tx.execute(update(WebSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    response = client.get("/search", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert client.get("/api/me").status_code == 401


def test_login_redirect_stays_on_this_site(ws: Workspace, client: TestClient) -> None:
    make_user(ws, "olena")
    page = client.get("/login?next=//evil.example/x")
    response = client.post("/login", data={"username": "olena", "password": "correct horse "
                                           "battery", "next": "//evil.example/x",
                                           "csrf_token": csrf_of(page.text)},
                           follow_redirects=False)
    assert response.headers["location"] == "/"


def test_role_without_search_gets_home_page(ws: Workspace, client: TestClient) -> None:
    make_user(ws, "aud", role=Role.AUDITOR, agency="HQ")
    login(client, "aud")
    home = client.get("/")
    assert home.status_code == 200 and "Welcome, aud" in home.text
    denied = client.get("/search?name=x")
    assert denied.status_code == 403
    assert len(_events(ws, "access.denied")) == 1


def test_an_unexpected_error_is_a_plain_page(ws: Workspace) -> None:
    app = create_app(ws)

    def boom() -> None:
        raise RuntimeError("secret detail ZQ-INTERNAL")

    app.add_api_route("/boom", boom)
    with TestClient(app, raise_server_exceptions=False) as plain:
        page = plain.get("/boom", headers={"Accept-Language": "en"})
        ukrainian = plain.get("/boom")  # the default language, as the user's
        api = plain.get("/api/boom")
    assert page.status_code == 500 and "something went wrong" in page.text
    assert "ZQ-INTERNAL" not in page.text and api.status_code == 404
    assert ukrainian.status_code == 500 and "щось пішло не так" in ukrainian.text
    assert "ZQ-INTERNAL" not in ukrainian.text


def test_production_cookies_are_secure(ws: Workspace) -> None:
    prod = Workspace(store=ws.store, settings=ws.settings.model_copy(
        update={"environment": "production"}))
    make_user(ws, "olena")
    with TestClient(create_app(prod), base_url="http://testserver") as browser:
        assert "Secure" in browser.get("/login").headers["set-cookie"]
        assert "Secure" in login(browser, "olena").headers["set-cookie"]
