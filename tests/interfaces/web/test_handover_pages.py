"""Exchange-day pages through the real app: the stages, a board, check-in by form, incidents,
closing, the manifest print view and the protocol download; errors are 403/404/422."""

from __future__ import annotations

import json

from parley.domain.actors import Actor, Role
from parley.domain.exchange_day.fleet import Vehicle, VehicleKind
from parley.services import logistics
from parley.services.keys import agency_public_key
from parley.services.lists import list_entries, stored_plan
from parley.services.workspace import Workspace
from parley.trust.bundle import verify_bundle
from parley.trust.protocol import verify_protocol
from tests.interfaces.web.conftest import TestClient, csrf_of, login, make_user
from tests.services.exchday_factory import build_day

FLEET = [Vehicle(f"BUS{k}", VehicleKind.BUS, 20, 0, 0, k) for k in (1, 2)] + [
    Vehicle(f"AMB{k}", VehicleKind.AMBULANCE, 2, 4, 1, k) for k in (1, 2)]


def test_a_stage_on_the_pages(ws: Workspace, operator: Actor, client: TestClient) -> None:
    plan_id = build_day(ws, operator)
    logistics.assign_transport(ws, actor=operator, plan_id=plan_id, vehicles=FLEET)
    plan = stored_plan(ws, actor=operator, plan_id=plan_id)
    make_user(ws, "field", Role.LOGISTICS, "MOI")
    assert login(client, "field").status_code == 303
    page = client.get("/stages")
    assert page.status_code == 200 and "Stage 1" in page.text
    page = client.get("/stages/1")
    assert page.status_code == 200
    assert 'hx-trigger="every 2s"' in page.text and "Record check-in" in page.text
    manifest = client.get("/stages/1/manifest")
    assert manifest.status_code == 200 and "Vehicle AMB1" in manifest.text
    assert "Gfam" in manifest.text and "SN-0" in manifest.text  # a number to check against
    token = csrf_of(page.text)
    stage1 = [a for a in plan.assignments if a.stage == 1]
    for a in stage1:
        done = client.post(f"/stages/1/checkin?plan={plan_id}", data={
            "csrf_token": token, "person": f"{a.side}:{a.record_id}", "outcome": "transferred",
            "will_to_return": "yes", "fit_to_travel": "yes", "note": ""},
            follow_redirects=False)
        assert done.status_code == 303, done.text
    board = client.get(f"/stages/1/board?plan={plan_id}")
    assert board.status_code == 200
    assert 'data-testid="handed-over">6<' in board.text and "Balanced" in board.text
    again = client.post(f"/stages/1/checkin?plan={plan_id}", data={
        "csrf_token": token, "person": f"{stage1[0].side}:{stage1[0].record_id}",
        "outcome": "absent", "will_to_return": "", "fit_to_travel": ""},
        follow_redirects=False)
    assert again.headers["location"].endswith("done=flagged")
    sheet = "record_id,side,outcome,will_to_return,fit_to_travel,note\n" + "".join(
        f"{a.record_id},{a.side},transferred,yes,yes,\n" for a in stage1)
    uploaded = client.post(f"/stages/1/sheet?plan={plan_id}", data={"csrf_token": token},
                           files={"sheet": ("field.csv", sheet.encode(), "text/csv")},
                           follow_redirects=False)
    assert uploaded.headers["location"].endswith("done=same")  # idempotent over the form's
    broken = client.post("/stages/1/sheet", data={"csrf_token": token},
                         files={"sheet": ("field.csv", b"record_id,side\nG0,give\n",
                                          "text/csv")})
    assert broken.status_code == 422 and "field.csv, line 1: missing column" in broken.text
    kit = client.get(f"/stages/1/kit?plan={plan_id}")
    assert kit.status_code == 200
    assert verify_bundle(kit.content, {"HQ": agency_public_key(ws, "HQ")}).manifest["stage"] == 1
    bad = client.post("/stages/1/checkin", data={
        "csrf_token": token, "person": f"{stage1[0].side}:{stage1[0].record_id}",
        "outcome": "vanished"})
    assert bad.status_code == 422
    assert client.get("/stages/9").status_code == 404
    assert client.get("/stages/1/protocol").status_code == 404  # not closed yet
    incident = client.post("/stages/1/incident", data={
        "csrf_token": token, "kind": "security_threat", "severity": "high",
        "description": "drone sighted near the corridor"}, follow_redirects=False)
    assert incident.status_code == 303
    closed = client.post(f"/stages/1/close?plan={plan_id}", data={
        "csrf_token": token, "place": "border point"}, follow_redirects=False)
    assert closed.status_code == 303, closed.text
    download = client.get(f"/stages/1/protocol?plan={plan_id}")
    assert download.status_code == 200
    assert "attachment" in download.headers["content-disposition"]
    found = verify_protocol(download.content, {"HQ": agency_public_key(ws, "HQ")})
    assert found.body["incidents"][0]["kind"] == "security_threat"
    assert found.body["places"]["handover_point"] == "border point"
    assert json.loads(download.content)["payloadType"].endswith("stage-protocol+json")


def test_mediator_reads_but_may_not_check_in(ws: Workspace, operator: Actor,
                                             client: TestClient) -> None:
    plan_id = build_day(ws, operator)
    plan = stored_plan(ws, actor=operator, plan_id=plan_id)
    make_user(ws, "icrc", Role.MEDIATOR, "MED")
    login(client, "icrc")
    page = client.get("/stages/1")
    # the mediator reads a plan only once both its lists are released (need-to-know): before
    # that the stage is not there for them at all
    assert page.status_code == 404 and "Record check-in" not in page.text
    page = client.get("/account")
    a = next(a for a in plan.assignments if a.stage == 1)
    refused = client.post("/stages/1/checkin", data={
        "csrf_token": csrf_of(page.text), "person": f"{a.side}:{a.record_id}",
        "outcome": "transferred", "will_to_return": "yes", "fit_to_travel": "yes"})
    assert refused.status_code == 403


def test_the_manifest_says_withheld_where_the_reader_may_not_see(
        ws: Workspace, operator: Actor, client: TestClient) -> None:
    """Regression (issue 12): a person the reader may not see (here drawn from an intelligence
    agency's record) was printed as empty cells; list pages say "withheld"."""
    from sqlalchemy import select

    from parley.adapters.sql.exchange_tables import ListEntryRow
    from parley.services.list_access import clear_cache
    from tests.interfaces.web.conftest import add_record

    plan_id = build_day(ws, operator)
    plan = stored_plan(ws, actor=operator, plan_id=plan_id)
    person = next(a for a in plan.assignments if a.side == "receive" and a.stage == 1)
    person_id = {e.key: e.person_id for e in list_entries(ws, actor=operator, name="r")}[
        person.record_id]
    record = add_record(ws, agency="DIU", classification="secret", family_name="Rfam",
                        person_id=person_id)
    with ws.store.transaction() as tx:  # as if the entry had been drawn from that record
        row = tx.scalars(select(ListEntryRow).where(
            ListEntryRow.entry_key == person.record_id)).one()
        row.data = {**row.data, "origin": {"records": [record]}}
    clear_cache()  # the list's versions were parsed before
    logistics.assign_transport(ws, actor=operator, plan_id=plan_id, vehicles=FLEET)
    make_user(ws, "field", Role.LOGISTICS, "MOI")
    login(client, "field")
    client.headers["Accept-Language"] = "uk"
    page = client.get("/stages/1/manifest").text
    row = next(r for r in page.split("<tr>") if f"<td>{person.record_id}</td>" in r)
    assert row.count('class="withheld">приховано<') == 5, row
    others = [r for r in page.split("<tr>")[2:] if f"<td>{person.record_id}</td>" not in r]
    assert others and all("withheld" not in r for r in others)
