"""Exchange pages through the real app: lists, a list, reconciliation, the stage plan."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from parley.adapters.sql.exchange_tables import ExchangeList, Reconciliation, ReconciliationRow
from parley.domain.actors import Actor, Role
from parley.domain.lists import Entry, Status
from parley.services import lists as svc
from parley.services.workspace import Workspace
from tests.interfaces.web.conftest import TestClient, login, make_user


def _seed(ws: Workspace, operator: Actor) -> None:
    svc.create_list(ws, actor=operator, name="to-receive", direction="receive")
    svc.create_list(ws, actor=operator, name="to-give", direction="give")
    svc.add_entries(ws, actor=operator, name="to-receive", entries=[
        Entry(key=f"R{i}", display_name=f"Коваленко Іван {i}", family_name="Коваленко",
              birth_date="1990-01-02", category="civilian" if i % 2 else "military",
              status=Status.CONFIRMED) for i in range(6)])
    svc.add_entries(ws, actor=operator, name="to-give", entries=[
        Entry(key=f"G{i}", display_name=f"Петров Олег {i}", family_name="Петров",
              birth_date="1985-05-06", category="civilian" if i % 3 == 0 else "military",
              seriously_wounded=i == 1, status=Status.CONFIRMED) for i in range(7)])
    svc.update_entry(ws, actor=operator, name="to-give", key="G6", status="held_back",
                     reason="judicial proceedings")
    svc.plan_lists(ws, actor=operator, give="to-give", receive="to-receive", stages=2,
                   max_per_stage=3)
    with ws.store.transaction() as tx:
        lst = tx.scalars(select(ExchangeList).where(ExchangeList.name == "to-receive")).one()
        rec = Reconciliation(list_id=lst.id, list_version=1, file_name="answer.csv",
                             file_sha256="0" * 64, created_by="local-operator",
                             counts={"confirmed": 1, "unknown": 1})
        tx.add(rec)
        tx.flush()
        tx.add_all([
            ReconciliationRow(reconciliation_id=rec.id, line_no=2, outcome="confirmed",
                              reason="the same person as entry R1 (p=0.99)", entry_key="R1",
                              raw={"Фамилия": "Коваленко", "Имя": "Иван"}),
            ReconciliationRow(reconciliation_id=rec.id, line_no=3, outcome="unknown",
                              reason="matches nobody on our list or registry",
                              raw={"Фамилия": "Сидоренко"}),
        ])


def release_current(ws: Workspace, *names: str) -> None:
    """Mark the current versions released, as ``release_list`` leaves them (its sign-off rules
    are tested in test_signoff)."""
    from parley.adapters.sql.base import utcnow
    from parley.adapters.sql.exchange_tables import ListVersion

    with ws.store.transaction() as tx:
        for name in names:
            lst = tx.scalars(select(ExchangeList).where(ExchangeList.name == name)).one()
            version = tx.scalars(select(ListVersion).where(
                ListVersion.list_id == lst.id, ListVersion.version == lst.version)).one()
            version.released_at = utcnow()


def test_coordinator_sees_lists_plan_and_reconciliation(
        ws: Workspace, operator: Actor, client: TestClient) -> None:
    _seed(ws, operator)
    make_user(ws, "coord", Role.COORDINATOR, "HQ")
    login(client, "coord")
    page = client.get("/lists")
    assert page.status_code == 200
    assert "to-receive" in page.text and "confirmed 6" in page.text
    page = client.get("/lists/to-give")
    assert "held back — judicial proceedings" in page.text
    assert "no approval from MOD" in page.text
    page = client.get("/lists/to-receive/reconciliation")
    assert page.status_code == 200
    assert "Сидоренко" in page.text and "the same person as entry R1" in page.text
    page = client.get("/plan")
    assert page.status_code == 200
    assert "<svg" in page.text and "stage 1: military" in page.text
    assert "seriously wounded" in page.text and "6 a side" in page.text


def test_mediator_sees_lists_and_plan_but_not_reconciliation(
        ws: Workspace, operator: Actor, client: TestClient) -> None:
    _seed(ws, operator)
    make_user(ws, "icrc", Role.MEDIATOR, "MED")
    login(client, "icrc")
    # Drafts are not the mediator's: an unreleased list reads as a missing one.
    draft = client.get("/lists/to-receive")
    assert draft.status_code == 404 and "Коваленко" not in draft.text
    assert "to-receive" not in client.get("/lists").text
    assert "Who, when and why" not in client.get("/plan").text
    release_current(ws, "to-receive", "to-give")
    page = client.get("/lists/to-receive")
    assert page.status_code == 200 and "Коваленко Іван 1" in page.text
    plan = client.get("/plan")
    assert plan.status_code == 200 and "Who, when and why" in plan.text
    refused = client.get("/lists/to-receive/reconciliation")
    assert refused.status_code == 403
    assert "Сидоренко" not in refused.text


def _plan_rows(html: str) -> list[list[str]]:
    """The cells (tags stripped) of the plan's "who, when and why" table."""
    body = html.split('class="plan-rows"', 1)[1].split("</table>", 1)[0]
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>", 1)[1], re.S)]


def test_plan_rows_name_the_people_and_filter(ws: Workspace, operator: Actor,
                                              client: TestClient) -> None:
    """Issue 12: a plan row names its person (not only a record id), with category and reason;
    the rows filter by side, stage, category and name."""
    _seed(ws, operator)
    make_user(ws, "coord", Role.COORDINATOR, "HQ")
    login(client, "coord")
    rows = _plan_rows(client.get("/plan").text)
    assert len(rows) == 12  # 6 to receive, 6 to give (G6 is held back: not planned)
    by_record = {r[1]: r for r in rows}
    assert by_record["R3"][0] == "Коваленко Іван 3" and by_record["G2"][0] == "Петров Олег 2"
    assert by_record["R3"][4] == "civilian" and by_record["R2"][4] == "military"
    received = _plan_rows(client.get("/plan?side=receive").text)
    assert {r[1] for r in received} == {f"R{i}" for i in range(6)}
    civilians = _plan_rows(client.get("/plan?side=give&category=civilian").text)
    assert {r[1] for r in civilians} == {"G0", "G3"}
    named = _plan_rows(client.get("/plan?q=%D0%9E%D0%BB%D0%B5%D0%B3+4").text)  # "Олег 4"
    assert [r[1] for r in named] == ["G4"]
    first = _plan_rows(client.get("/plan?stage=1").text)
    assert first and all(r[3] == "1" for r in first)
    assert client.get("/plan?stage=x").status_code == 422
    assert client.get("/plan?category=x").status_code == 422


@pytest.mark.slow
def test_the_plan_page_of_a_thousand_a_side_is_small(ws: Workspace, operator: Actor,
                                                     client: TestClient) -> None:
    """Issue 12: no page sends more than 200 rows; the plan of 1,000 a side stays < 200 KB."""
    for name, direction, letter in (("big-receive", "receive", "R"), ("big-give", "give", "G")):
        svc.create_list(ws, actor=operator, name=name, direction=direction)
        svc.add_entries(ws, actor=operator, name=name, entries=[
            Entry(key=f"{letter}{i:04d}", display_name=f"Коваленко Іван Петрович {i}",
                  family_name="Коваленко", birth_date="1990-01-02",
                  category="civilian" if i % 3 == 0 else "military",
                  seriously_wounded=i % 17 == 0, status=Status.CONFIRMED)
            for i in range(1000)])
    svc.plan_lists(ws, actor=operator, give="big-give", receive="big-receive", stages=3)
    make_user(ws, "coord", Role.COORDINATOR, "HQ")
    login(client, "coord")
    for url in ("/plan", "/plan?page=10", "/plan?view=print"):
        page = client.get(url)
        assert page.status_code == 200, url
        assert len(page.content) < 200_000, (url, len(page.content))
        assert page.text.count("<tr>") <= 200 + 10, url  # rows plus the chart's table
    listed = client.get("/lists/big-give")
    assert listed.status_code == 200 and listed.text.count("<tr>") <= 201
    assert len(listed.content) < 200_000, len(listed.content)  # no form per row
    assert "Коваленко Іван Петрович" in client.get("/plan").text


def test_an_entrys_change_form_is_fetched_when_asked_for(ws: Workspace, operator: Actor,
                                                          client: TestClient) -> None:
    _seed(ws, operator)
    make_user(ws, "coord", Role.COORDINATOR, "HQ")
    login(client, "coord")
    page = client.get("/lists/to-give").text
    assert 'hx-get="/lists/to-give/entries/G1/edit"' in page
    assert 'action="/lists/to-give/entries/G1"' not in page
    fragment = client.get("/lists/to-give/entries/G1/edit", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert 'action="/lists/to-give/entries/G1"' in fragment.text
    whole = client.get("/lists/to-give/entries/G1/edit")
    assert "<html" in whole.text and 'name="medical_fit"' in whole.text
    assert client.get("/lists/to-give/entries/G99/edit").status_code == 404
    assert client.get("/lists/nowhere/entries/G1/edit").status_code == 404
