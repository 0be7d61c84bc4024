"""The start page per role: the coordinator's overview (lists along the way as SVG with a
table, review backlog, conflicts, newest checkpoint, approvals waiting), a landing page for
every other role, and error pages that lead back to it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from parley.domain.actors import LOCAL_OPERATOR, Actor, Role
from parley.domain.lists import Entry, Readiness, Status
from parley.services import audit
from parley.services import lists as svc
from parley.services.overview import funnel
from parley.services.workspace import Workspace
from tests.interfaces.web.conftest import TestClient, csrf_of, login, make_user


def _entries() -> list[Entry]:
    statuses = [Status.PROPOSED, Status.CONFIRMED, Status.CONFIRMED, Status.REJECTED,
                Status.WITHDRAWN, Status.PROPOSED]
    return [Entry(key=f"R{i}", display_name=f"Коваленко Іван {i}", family_name="Коваленко",
                  birth_date="1990-01-02", status=status,
                  readiness=Readiness(identity_verified=i in (1, 2, 3)))
            for i, status in enumerate(statuses)]


def test_funnel_counts_each_stage_passed() -> None:
    counts = funnel(_entries())
    assert counts == {"candidates": 4, "verified": 2, "confirmed": 2, "approved": 0,
                      "scheduled": 0, "transferred": 0}


def test_coordinator_overview(ws: Workspace, operator: Actor, client: TestClient) -> None:
    svc.create_list(ws, actor=operator, name="to-receive", direction="receive")
    svc.add_entries(ws, actor=operator, name="to-receive", entries=_entries())
    audit.write_checkpoint(ws, actor=LOCAL_OPERATOR, cosigners=["MOD"])
    make_user(ws, "coord", Role.COORDINATOR, "HQ")
    login(client, "coord")
    page = client.get("/")
    assert page.status_code == 200
    assert "Lists along the way" in page.text and "<svg" in page.text
    table = re.search(r"<tbody>(.*?)</tbody>", page.text, flags=re.S)
    assert table is not None
    assert re.search(r"candidates</th><td>4<", table.group(1))
    assert re.search(r"identity verified</th><td>2<", table.group(1))
    assert "Newest signed checkpoint" in page.text and "signed by HQ, MOD" in page.text
    assert "Pairs waiting for review" in page.text and "Open conflicts" in page.text
    assert "style=" not in page.text and "<script>" not in page.text


def test_approval_waiting_for_the_readers_agency(ws: Workspace, operator: Actor,
                                                 client: TestClient) -> None:
    svc.create_list(ws, actor=operator, name="to-give", direction="give")
    svc.add_entries(ws, actor=operator, name="to-give", entries=_entries())
    make_user(ws, "ana", Role.ANALYST, "MOD")
    login(client, "ana")
    page = client.get("/")
    assert "Waiting for you" in page.text and "waits for an approval by MOD" in page.text
    assert "/lists/to-give" in page.text


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.OPERATOR])
def test_every_role_has_a_start_page(ws: Workspace, client: TestClient, role: Role) -> None:
    make_user(ws, "someone", role, "HQ")
    login(client, "someone")
    page = client.get("/", follow_redirects=False)
    assert page.status_code == 200 and "Welcome, someone" in page.text
    assert "no pages here yet" not in page.text
    assert "You " in page.text  # what the role does


def test_start_page_in_ukrainian(ws: Workspace, client: TestClient) -> None:
    make_user(ws, "aud", Role.AUDITOR, "HQ")
    login(client, "aud")
    client.headers["Accept-Language"] = "uk"
    page = client.get("/")
    assert "журнал аудиту" in page.text.lower() and "You read" not in page.text


def test_error_page_leads_to_the_readers_start_page(ws: Workspace, client: TestClient) -> None:
    make_user(ws, "aud", Role.AUDITOR, "HQ")
    login(client, "aud")
    denied = client.get("/search?name=x")
    assert denied.status_code == 403
    assert "search the registry" in denied.text and "search_registry" not in denied.text
    assert 'href="/"' in denied.text and "registry search" not in denied.text.lower()
    assert client.get("/", follow_redirects=False).status_code == 200


def test_start_page_counts_remains_per_forensic_state(ws: Workspace, client: TestClient,
                                                      tmp_path: Path) -> None:
    from parley.services.remains import import_cases, record_repatriation

    liaison = Actor(username="liaison", role=Role.FAMILY_LIAISON, agency="OMB")
    record_repatriation(ws, actor=liaison, key="R-1", date="2026-01-20", received=3,
                        handed_over=1)
    cases = tmp_path / "cases.csv"
    cases.write_text("case_id,repatriation_id,state,found_place\nC-1,R-1,received,\n"
                     "C-2,R-1,received,\nC-3,R-1,examined,\n", encoding="utf-8")
    import_cases(ws, actor=liaison, path=cases)
    make_user(ws, "fam", Role.FAMILY_LIAISON, "OMB")
    login(client, "fam")
    page = client.get("/")
    assert page.status_code == 200 and "Remains: forensic cases by state" in page.text
    counts = dict(re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)</td>', page.text))
    assert counts["received"] == "2" and counts["examined"] == "1" and counts["identified"] == "0"
    make_user(ws, "log", Role.LOGISTICS, "HQ")
    client.post("/logout", data={"csrf_token": csrf_of(client.get("/").text)})
    login(client, "log")
    assert "forensic cases" not in client.get("/").text  # not a logistics matter
