"""Lists and the plan in the browser: create, add people, change status and readiness, approve,
release, versions and diff, the signed bundle, substitution; and the defects of issue 12."""

from __future__ import annotations

import json
import re

from sqlalchemy import select

from parley.adapters.sql.exchange_tables import ExchangePlan
from parley.domain.actors import Actor, Role
from parley.services import lists as svc
from parley.services.workspace import Workspace
from tests.interfaces.web.conftest import TestClient, csrf_of, login, make_user
from tests.interfaces.web.test_exchange_pages import _seed
from tests.interfaces.web.test_lists_api import _person_with_record


def _post(client: TestClient, page: str, url: str, data: dict[str, str]) -> str:
    """Post a form found on ``page`` and return the page it leads to (flash included)."""
    token = csrf_of(client.get(page).text)
    done = client.post(url, data={**data, "csrf_token": token}, follow_redirects=True)
    assert done.status_code == 200, done.text[:300]
    return done.text


def test_create_add_change_and_diff(ws: Workspace, operator: Actor, client: TestClient) -> None:
    make_user(ws, "coord", Role.COORDINATOR, "HQ")
    login(client, "coord")
    page = _post(client, "/lists", "/lists", {"name": "new-list", "direction": "receive"})
    assert "List created." in page
    person, _ = _person_with_record(ws, "Шевченко")
    _, record = _person_with_record(ws, "Бондар")
    page = _post(client, "/lists/new-list", "/lists/new-list/people",
                 {"person_ids": str(person), "record_ids": f"{record}"})
    assert "version 1" in page and f'href="/persons/{person}"' in page
    key = f"P{person}"
    page = _post(client, "/lists/new-list", f"/lists/new-list/entries/{key}",
                 {"status": "held_back", "reason": ""})
    assert "holding back needs a reason" in page
    assert svc.list_summary(ws, actor=operator, name="new-list").version == 1
    page = _post(client, "/lists/new-list", f"/lists/new-list/entries/{key}",
                 {"status": "held_back", "reason": "judicial proceedings",
                  "medical_fit": "yes"})
    assert "version 2" in page and "held back — judicial proceedings" in page
    entry = {e.key: e for e in svc.list_entries(ws, actor=operator, name="new-list")}[key]
    assert entry.readiness.medical_fit and entry.status_reason == "judicial proceedings"
    row = next(r for r in page.split("<tr>") if f"/persons/{person}" in r)
    assert re.search(r'class="pill-ok">fit to travel: yes', row)
    assert re.search(r'class="pill-bad">will recorded: no', row)
    api = client.get("/api/lists/new-list").json()["entries"]
    assert {e["id"]: e["readiness"] for e in api}[key] == {
        "identity_verified": False, "medical_fit": True, "will_recorded": False}
    versions = client.get("/lists/new-list/versions?before=1&after=2")
    assert versions.status_code == 200
    assert re.search(rf"<td>{key}</td><td>[^<]*</td><td>status</td>", versions.text)
    assert "judicial proceedings" in versions.text


def test_approve_release_and_bundle_in_the_browser(
        ws: Workspace, operator: Actor, client: TestClient) -> None:
    _seed(ws, operator)
    for code in ("MOD", "SSU", "OMB"):
        make_user(ws, f"signer-{code.lower()}", Role.COORDINATOR, code)
    for code in ("MOD", "SSU", "OMB"):
        client.cookies.clear()
        login(client, f"signer-{code.lower()}")
        page = _post(client, "/lists/to-give", "/lists/to-give/approve", {"version": "2"})
        assert f"Approved for {code}" in page
    page = _post(client, "/lists/to-give", "/lists/to-give/release", {})
    assert "Released to the mediator." in page
    bundle = client.get("/lists/to-give/bundle")
    assert bundle.status_code == 200
    assert json.loads(bundle.content)  # a DSSE envelope, verified in test_signoff


def test_substitution_updates_the_plan_header(ws: Workspace, operator: Actor,
                                              client: TestClient) -> None:
    """Regression (issue 12): after a substitution the header still gave the old total."""
    _seed(ws, operator)
    make_user(ws, "coord", Role.COORDINATOR, "HQ")
    login(client, "coord")
    before = client.get("/plan").text
    assert "6 a side" in before
    with ws.store.reading() as tx:
        plan_id = tx.scalars(select(ExchangePlan.id)).one()
    page = _post(client, "/plan", f"/plan/{plan_id}/substitute",
                 {"dropped": "G0", "side": "give", "reason": "refuses repatriation"})
    assert "no reserve" in page
    header = re.search(r'<p id="plan-header">(.*?)</p>', page, re.S)
    assert header and "5 a side" in header.group(1), header
    assert "<g class=\"legend\">" in page and "military, handed over" in page
    printed = client.get("/plan?view=print")
    assert printed.status_code == 200 and "Substitute a drop-out" not in printed.text


def test_reconciliation_of_an_unknown_list_is_404(ws: Workspace, operator: Actor,
                                                  client: TestClient) -> None:
    """Regression (issue 12): it answered 200 with an empty page."""
    _seed(ws, operator)
    make_user(ws, "coord", Role.COORDINATOR, "HQ")
    login(client, "coord")
    assert client.get("/lists/no-such-list/reconciliation").status_code == 404
    assert client.get("/lists/to-give/reconciliation").status_code == 200


def test_add_to_list_from_a_person_or_record(ws: Workspace, operator: Actor,
                                             client: TestClient) -> None:
    """The include for search results, records and person pages posts to /lists/add."""
    _seed(ws, operator)
    make_user(ws, "coord", Role.COORDINATOR, "HQ")
    login(client, "coord")
    person, _ = _person_with_record(ws, "Шевченко")
    page = _post(client, "/lists", "/lists/add", {"name": "to-receive",
                                                  "person_ids": str(person)})
    assert f'href="/persons/{person}"' in page and "version 2" in page
    assert client.post("/lists/add", data={"name": "to-receive", "person_ids": str(person),
                                           "csrf_token": csrf_of(client.get("/lists").text)},
                       follow_redirects=True).text.count("already") >= 1


def test_add_to_list_forms_on_search_results_records_and_persons(
        ws: Workspace, operator: Actor, client: TestClient) -> None:
    """Issue 12: people are added from the search results (ticked rows), a record's page and
    a person's page; a role that may not change lists gets no such form."""
    _seed(ws, operator)
    make_user(ws, "coord", Role.COORDINATOR, "MOD")
    login(client, "coord")
    first, first_record = _person_with_record(ws, "Шевченко")
    second, second_record = _person_with_record(ws, "Шевчук")
    found = client.get("/search?birth_date=1990-05-12")
    assert found.status_code == 200
    assert 'id="add-found"' in found.text and '<option value="to-receive">' in found.text
    for rid in (first_record, second_record):
        assert f'name="record_ids" value="{rid}" form="add-found"' in found.text
    done = client.post("/lists/add", follow_redirects=True, data={
        "name": "to-receive", "record_ids": [str(first_record), str(second_record)],
        "csrf_token": csrf_of(found.text)})
    assert done.status_code == 200 and "version 2" in done.text
    assert f'href="/persons/{first}"' in done.text and f'href="/persons/{second}"' in done.text
    record_page = client.get(f"/records/{first_record}").text
    assert 'action="/lists/add"' in record_page
    assert f'name="record_ids" value="{first_record}"' in record_page
    person_page = client.get(f"/persons/{first}").text
    assert f'name="person_ids" value="{first}"' in person_page
    client.cookies.clear()
    make_user(ws, "analyst", Role.ANALYST, "MOD")
    login(client, "analyst")
    assert 'action="/lists/add"' not in client.get(f"/persons/{first}").text
    assert 'form="add-found"' not in client.get("/search?birth_date=1990-05-12").text


def test_release_blockers_in_the_readers_language(ws: Workspace, operator: Actor,
                                                  client: TestClient) -> None:
    """The list page, the release form's refusal and the API say what a release still waits
    for in the reader's language (they said "no approval from MOD" in every language)."""
    _seed(ws, operator)
    make_user(ws, "coord", Role.COORDINATOR, "HQ")
    login(client, "coord")
    client.cookies.set("parley_lang", "uk")
    page = client.get("/lists/to-give").text
    assert "Не передано: немає схвалення від MOD" in page and "no approval" not in page
    refused = _post(client, "/lists/to-give", "/lists/to-give/release", {})
    assert "не можна передати: немає схвалення від MOD; немає схвалення від SSU" in refused
    api = client.get("/api/lists/to-give").json()["signoff"]["blockers"]
    assert "немає схвалення від OMB" in api
    client.cookies.set("parley_lang", "en")
    assert "no approval from OMB" in client.get("/api/lists/to-give").json()["signoff"]["blockers"]
