"""Login abuse through the real app: a per-account-and-source slow-down instead of a lock-out
anyone could trigger, and failed logins of unknown users aggregated in the audit log."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from parley.adapters.sql.base import utcnow
from parley.adapters.sql.login_guard import LoginFailureWindow, LoginThrottle
from parley.adapters.sql.tables import AuditEventRow
from parley.domain.throttle import SOURCE_ALLOWANCE
from parley.services.workspace import Workspace
from tests.interfaces.web.conftest import TestClient, login, make_user

ATTACKER = ("203.0.113.9", 40000)


def _events(ws: Workspace, action: str) -> list[AuditEventRow]:
    with ws.store.reading() as tx:
        return list(tx.scalars(select(AuditEventRow).where(AuditEventRow.action == action)
                               .order_by(AuditEventRow.seq)))


def _wait_out(ws: Workspace) -> None:
    """As if the source had waited out its slow-down."""
    with ws.store.transaction() as tx:
        tx.execute(update(LoginThrottle).values(blocked_until=utcnow() - timedelta(seconds=1)))


def test_an_attackers_failures_do_not_stop_the_owner_from_another_source(
        ws: Workspace, client: TestClient) -> None:
    make_user(ws, "olena")
    attacker = TestClient(client.app, base_url="http://testserver", client=ATTACKER,
                          headers={"Accept-Language": "en"})
    for _ in range(ws.settings.max_failed_logins + 2):
        assert login(attacker, "olena", "wrong password!").status_code == 401
        _wait_out(ws)
    assert login(attacker, "olena", "wrong password!").status_code == 401
    # The attacker's source now waits: even the right password is refused from there, with
    # the same sentence as any failure.
    slowed = login(attacker, "olena")
    assert slowed.status_code == 401 and "wrong user name, password or code" in slowed.text
    # The owner, from her own machine, signs in at once.
    assert login(client, "olena").status_code == 303
    assert client.get("/search").status_code == 200
    assert _events(ws, "auth.locked") == []
    slowdowns = _events(ws, "auth.slowed_down")
    assert {e.payload["source"] for e in slowdowns} == {ATTACKER[0]}
    # The wait doubles with each failure past the free tries: 2 s, then 4 s, 8 s, 16 s.
    assert [e.payload["seconds"] for e in slowdowns] == [2, 4, 8, 16]
    # Once the wait has passed, the right password works from there too.
    _wait_out(ws)
    assert login(attacker, "olena").status_code == 303


def test_a_source_spraying_user_names_is_slowed_too(ws: Workspace, client: TestClient) -> None:
    make_user(ws, "olena")
    attacker = TestClient(client.app, base_url="http://testserver", client=ATTACKER,
                          headers={"Accept-Language": "en"})
    for n in range(ws.settings.max_failed_logins * SOURCE_ALLOWANCE):
        assert login(attacker, f"guess{n}", "wrong password!").status_code == 401
    assert login(attacker, "olena").status_code == 401  # the source itself waits now
    assert login(client, "olena").status_code == 303


def test_failed_logins_of_unknown_users_are_aggregated(ws: Workspace,
                                                       client: TestClient) -> None:
    attacker = TestClient(client.app, base_url="http://testserver", client=ATTACKER,
                          headers={"Accept-Language": "en"})
    flood = 30
    for n in range(flood):
        assert login(attacker, f"nobody{n % 7}", "whatever-password").status_code == 401
    # One event opens the window; the other 29 failures are only counted.
    assert len(_events(ws, "auth.login_failed")) == 1
    assert _events(ws, "auth.login_failed_aggregated") == []
    with ws.store.transaction() as tx:  # the window closes
        tx.execute(update(LoginFailureWindow).values(
            started_at=utcnow() - timedelta(minutes=ws.settings.login_window_minutes + 1)))
    assert login(client, "someone-else", "whatever-password").status_code == 401
    summary = _events(ws, "auth.login_failed_aggregated")
    assert len(summary) == 1
    assert summary[0].target == f"source:{ATTACKER[0]}"
    assert summary[0].payload["count"] == flood - 1
    assert len(summary[0].payload["users"]) == 5  # a sample of the names tried, not all
    assert len(_events(ws, "auth.login_failed")) == 2  # plus the other source's first failure
