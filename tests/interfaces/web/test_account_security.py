"""Account management is for a browser session with a recent password check, never for a
bearer token; a token can never make a token wider than itself."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select, update

from parley.adapters.sql.auth_tables import ApiToken, WebSession
from parley.adapters.sql.base import utcnow
from parley.adapters.sql.tables import AuditEventRow, User
from parley.domain.actors import Action
from parley.errors import AuthenticationFailed, InvalidInput
from parley.services import accounts
from parley.services.workspace import Workspace
from tests.interfaces.web.conftest import PASSWORD, TestClient, csrf_of, login, make_user


def _search_token(ws: Workspace) -> str:
    actor = accounts.authenticate(ws, username="olena", password=PASSWORD)
    return accounts.create_api_token(ws, actor=actor, name="search only",
                                     scopes=frozenset({Action.SEARCH_REGISTRY})).token


def _token_count(ws: Workspace) -> int:
    with ws.store.reading() as tx:
        return len(list(tx.scalars(select(ApiToken))))


def test_a_bearer_token_cannot_reach_account_management(ws: Workspace,
                                                         client: TestClient) -> None:
    make_user(ws, "olena")
    bearer = {"Authorization": f"Bearer {_search_token(ws)}"}
    assert client.get("/api/search?name=x", headers=bearer).status_code == 200
    secret = pyotp.random_base32()
    attempts = {
        "/account/tokens": {"name": "escalated", "scopes": ["all"]},
        "/account/totp/start": {},
        "/account/totp/confirm": {"secret": secret, "code": pyotp.TOTP(secret).now()},
        "/account/password": {"password": "taken over at last", "repeat": "taken over at last"},
    }
    for path, form in attempts.items():
        response = client.post(path, data=form, headers=bearer)
        assert response.status_code == 403, path
        assert "prl_" not in response.text and secret not in response.text
    assert client.get("/account", headers=bearer).status_code == 403
    assert _token_count(ws) == 1
    with ws.store.reading() as tx:
        user = tx.scalar(select(User).where(User.username == "olena"))
        assert user is not None and user.totp_secret is None
        denied = list(tx.scalars(select(AuditEventRow).where(
            AuditEventRow.action == "access.denied")))
    assert len(denied) == len(attempts) + 1
    assert accounts.authenticate(ws, username="olena", password=PASSWORD).username == "olena"


def test_a_token_can_never_make_a_wider_token(ws: Workspace) -> None:
    make_user(ws, "olena")
    actor = accounts.authenticate(ws, username="olena", password=PASSWORD)
    narrow = frozenset({Action.SEARCH_REGISTRY})
    with pytest.raises(InvalidInput, match="cannot grant more"):
        accounts.create_api_token(ws, actor=actor, name="wider", within=narrow,
                                  scopes=accounts.parse_scopes("all"))
    same = accounts.create_api_token(ws, actor=actor, name="same", within=narrow, scopes=narrow)
    assert same.scopes == ("search_registry",)


def _age_the_check(ws: Workspace, minutes: int) -> None:
    with ws.store.transaction() as tx:
        tx.execute(update(WebSession).values(
            reauthenticated_at=utcnow() - timedelta(minutes=minutes)))


def test_account_changes_need_a_recent_password_check(ws: Workspace,
                                                      client: TestClient) -> None:
    make_user(ws, "olena")
    login(client, "olena")
    _age_the_check(ws, ws.settings.reauth_minutes + 1)
    page = client.get("/account")
    assert page.status_code == 200 and 'action="/account/confirm"' in page.text
    assert 'action="/account/tokens"' not in page.text
    stale = client.post("/account/tokens", data={"name": "t", "scopes": "read_record",
                                                 "csrf_token": csrf_of(page.text)},
                        follow_redirects=False)
    assert stale.status_code == 303 and stale.headers["location"].startswith("/account")
    assert client.post("/account/totp/start", data={"csrf_token": csrf_of(page.text)},
                       follow_redirects=False).status_code == 303
    assert _token_count(ws) == 0
    wrong = client.post("/account/confirm", data={"password": "not the password",
                                                  "csrf_token": csrf_of(page.text)})
    assert wrong.status_code == 401
    confirmed = client.post("/account/confirm", data={"password": PASSWORD,
                                                      "csrf_token": csrf_of(page.text)},
                            follow_redirects=False)
    assert confirmed.status_code == 303
    page = client.get("/account")
    assert 'action="/account/confirm"' not in page.text
    made = client.post("/account/tokens", data={"name": "t", "scopes": "read_record",
                                                "csrf_token": csrf_of(page.text)})
    assert made.status_code == 200 and "prl_" in made.text


def test_the_check_asks_for_the_code_when_a_second_factor_is_enrolled(
        ws: Workspace, client: TestClient) -> None:
    make_user(ws, "taras")
    secret = pyotp.random_base32()
    with ws.store.transaction() as tx:
        tx.execute(update(User).where(User.username == "taras").values(totp_secret=secret))
    step = accounts.login(ws, username="taras", password=PASSWORD)
    totp = pyotp.TOTP(secret)
    accounts.complete_second_factor(ws, session_token=step.session_token, code=totp.now())
    _age_the_check(ws, ws.settings.reauth_minutes + 1)
    token = step.session_token
    with pytest.raises(AuthenticationFailed):
        accounts.reauthenticate(ws, session_token=token, password=PASSWORD, code="")
    future = totp.at(utcnow() + timedelta(seconds=30))
    accounts.reauthenticate(ws, session_token=token, password=PASSWORD, code=future)
    accounts.require_recent_check(ws, session_token=token)


def test_changing_ones_own_password_ends_other_credentials(ws: Workspace,
                                                           client: TestClient) -> None:
    make_user(ws, "olena")
    token = _search_token(ws)
    other = accounts.login(ws, username="olena", password=PASSWORD)
    login(client, "olena")
    page = client.get("/account")
    new = PASSWORD + " renewed"
    mismatch = client.post("/account/password", data={"password": new, "repeat": new + "x",
                                                      "csrf_token": csrf_of(page.text)})
    assert mismatch.status_code == 422 and "differ" in mismatch.text
    done = client.post("/account/password", data={"password": new, "repeat": new,
                                                  "csrf_token": csrf_of(page.text)},
                       follow_redirects=False)
    assert done.status_code == 303
    assert client.get("/search").status_code == 200  # this session stays
    assert client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    with pytest.raises(AuthenticationFailed, match="session has ended"):
        accounts.session_actor(ws, session_token=other.session_token)
    assert accounts.authenticate(ws, username="olena", password=new).username == "olena"
