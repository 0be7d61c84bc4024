"""Identity pages and API through the real app: review queue, person, conflicts."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from parley.adapters.sql.identity_tables import IdentityConflict, IdentityJudgement
from parley.adapters.sql.tables import SourceRecord
from parley.domain.actors import Actor, Role
from parley.services.resolution import resolve_identities
from parley.services.workspace import Workspace
from tests.interfaces.web.conftest import TestClient, csrf_of, login, make_user
from tests.services.identity_factory import PEOPLE, add_link, add_records, person


@pytest.fixture
def seeded(ws: Workspace, operator: Actor) -> dict[str, list[int]]:
    mod = add_records(ws, source="MOD register", agency="MOD", reliability="A1",
                      rows=[{**PEOPLE[0], "status": "held"}, *PEOPLE[1:]])
    omb = add_records(ws, source="OMB requests", agency="OMB", reliability="C3", rows=[
        {**PEOPLE[0], "status": "deceased"}, PEOPLE[1], PEOPLE[2], PEOPLE[3],
        person("Коваленко", "Іван", "", "1991-02-03"),
    ])
    resolve_identities(ws, actor=operator)
    add_link(ws, mod[0], omb[4], 0.6, {"family_name": 4.2, "given_name": 3.1,
                                       "birth_date": -6.5, "patronymic": 0.0})
    return {"mod": mod, "omb": omb}


def _person(ws: Workspace, rid: int) -> int:
    with ws.store.reading() as tx:
        pid = tx.scalar(select(SourceRecord.person_id).where(SourceRecord.id == rid))
    assert pid is not None
    return int(pid)


def test_review_page_shows_pair_waterfall_and_records_a_decision(
    ws: Workspace, client: TestClient, seeded: dict[str, list[int]]
) -> None:
    make_user(ws, "olena", Role.ANALYST, "MOD")
    login(client, "olena")
    page = client.get("/review")
    assert page.status_code == 200
    html = page.text
    assert "Коваленко" in html and "Kovalenko" in html  # original script and romanised
    assert "<svg" in html and "birth date" in html and "-6.50" in html  # the waterfall
    for value in ("match", "no_match", "unsure"):
        assert f'name="decision" value="{value}"' in html
    left, right = seeded["mod"][0], seeded["omb"][4]
    refused = client.post("/review/decide", data={"left": left, "right": right,
                                                  "decision": "no_match"})
    assert refused.status_code == 403
    done = client.post("/review/decide", follow_redirects=False, data={
        "left": left, "right": right, "decision": "no_match", "note": "born a year apart",
        "csrf_token": csrf_of(html)})
    assert done.status_code == 303
    with ws.store.reading() as tx:
        j = tx.scalar(select(IdentityJudgement))
        assert j is not None and j.decision == "no_match" and j.actor == "olena"
    assert f"/records/{right}" not in client.get("/review").text
    pair = client.get(f"/review/{right}/{left}")  # either order names the same pair
    assert pair.status_code == 200
    assert "Decisions on this pair" in pair.text and "born a year apart" in pair.text
    api = client.get("/api/review").json()
    assert all(it["right"]["id"] != right for it in api["items"])


def test_person_page_says_why_verified_source_by_source(
    ws: Workspace, client: TestClient, seeded: dict[str, list[int]]
) -> None:
    make_user(ws, "olena", Role.ANALYST, "MOD")
    login(client, "olena")
    pid = _person(ws, seeded["mod"][1])
    page = client.get(f"/persons/{pid}")
    assert page.status_code == 200
    assert "Verified because" in page.text
    assert "MOD register" in page.text and "OMB requests" in page.text
    assert "A1" in page.text and "C3" in page.text
    data = client.get(f"/api/persons/{pid}").json()
    sources = {s["agency"]: s for s in data["verification"]["sources"]}
    assert data["verification"]["verified"] is True
    assert sources["MOD"]["reliability"] == "A1" and sources["MOD"]["strong_grade"] is True
    assert sources["OMB"]["agrees"] is True
    assert set(data["evidence"]) >= {"family_name", "birth_date", "service_number"}
    assert client.get("/api/persons/999999").status_code == 404


def test_conflicts_page_lists_and_resolves_with_reason(
    ws: Workspace, client: TestClient, seeded: dict[str, list[int]]
) -> None:
    make_user(ws, "olena", Role.ANALYST, "MOD")
    login(client, "olena")
    listed = client.get("/api/conflicts").json()["conflicts"]
    status = next(c for c in listed if c["kind"] == "status")
    page = client.get("/conflicts")
    assert page.status_code == 200 and "deceased" in page.text
    done = client.post(f"/conflicts/{status['id']}/resolve", follow_redirects=False, data={
        "reason": "death certificate is for a namesake; ICRC visit confirms he is held",
        "csrf_token": csrf_of(page.text)})
    assert done.status_code == 303
    with ws.store.reading() as tx:
        row = tx.get(IdentityConflict, status["id"])
        assert row is not None and row.state == "resolved" and row.resolved_by == "olena"
    resolved = client.get("/api/conflicts?state=resolved").json()["conflicts"]
    assert [c["id"] for c in resolved] == [status["id"]]
    again = client.post(f"/api/conflicts/{status['id']}/resolve",
                        json={"reason": "twice"}, headers={"X-CSRF-Token": csrf_of(page.text)})
    assert again.status_code == 422


def test_logistics_may_not_review(ws: Workspace, client: TestClient,
                                  seeded: dict[str, list[int]]) -> None:
    make_user(ws, "driver", Role.LOGISTICS, "HQ")
    login(client, "driver")
    assert client.get("/review").status_code == 403
    assert client.get("/api/review").status_code == 403
    assert re.search(r"Review</a>", client.get("/search").text) is None


def test_api_decision_and_retraction(ws: Workspace, client: TestClient,
                                     seeded: dict[str, list[int]]) -> None:
    make_user(ws, "olena", Role.ANALYST, "MOD")
    login(client, "olena")
    token = csrf_of(client.get("/review").text)
    left, right = seeded["mod"][0], seeded["omb"][4]
    made = client.post("/api/review/decisions", headers={"X-CSRF-Token": token}, json={
        "left_record_id": right, "right_record_id": left, "decision": "unsure"})
    assert made.status_code == 201
    body = made.json()
    assert (body["left_record_id"], body["right_record_id"], body["decision"]) == (
        left, right, "unsure")
    bad = client.post("/api/review/decisions", headers={"X-CSRF-Token": token}, json={
        "left_record_id": left, "right_record_id": right, "decision": "maybe"})
    assert bad.status_code == 422 and "not a decision" in bad.json()["error"]
    withdrawn = client.post(f"/api/review/judgements/{body['id']}/retract",
                            headers={"X-CSRF-Token": token}, json={"reason": "wrong pair"})
    assert withdrawn.status_code == 200 and withdrawn.json()["retraction_reason"] == "wrong pair"
    items = client.get("/api/review").json()["items"]
    assert any(it["right"]["id"] == right for it in items)  # back in the queue


@pytest.mark.parametrize("path", [
    "/records/99999999999999999999", "/persons/99999999999999999999",
    "/review/99999999999999999999/1", "/api/records/99999999999999999999",
    "/api/persons/-5", "/records/abc",
])
def test_an_id_no_row_can_have_is_not_found(ws: Workspace, client: TestClient,
                                            seeded: dict[str, list[int]], path: str) -> None:
    make_user(ws, "coord", Role.COORDINATOR)
    login(client, "coord")
    assert client.get(path).status_code == 404


def test_a_record_paired_with_itself_is_a_bad_request(ws: Workspace, client: TestClient,
                                                      seeded: dict[str, list[int]]) -> None:
    make_user(ws, "coord", Role.COORDINATOR)
    login(client, "coord")
    rid = seeded["mod"][0]
    assert client.get(f"/review/{rid}/{rid}").status_code == 422


def test_a_conflict_is_settled_by_choosing_the_value_that_stands(
    ws: Workspace, client: TestClient, seeded: dict[str, list[int]]
) -> None:
    """Issue 12: the person's page offers the conflict's values; the chosen one is kept and
    shown as settled there; the API does the same and refuses a value not in the conflict."""
    make_user(ws, "olena", Role.ANALYST, "MOD")
    login(client, "olena")
    pid = _person(ws, seeded["mod"][0])
    page = client.get(f"/persons/{pid}")
    conflict = next(c for c in client.get("/api/conflicts").json()["conflicts"]
                    if c["kind"] == "status")
    assert f'action="/conflicts/{conflict["id"]}/settle"' in page.text
    assert 'value="held"' in page.text and 'value="deceased"' in page.text
    done = client.post(f"/conflicts/{conflict['id']}/settle", follow_redirects=True, data={
        "value": "held", "reason": "ICRC visit confirms he is held", "back": f"/persons/{pid}",
        "csrf_token": csrf_of(page.text)})
    assert done.status_code == 200 and str(done.url).endswith(f"/persons/{pid}")
    assert "Settled: held stands." in done.text
    assert f'action="/conflicts/{conflict["id"]}/settle"' not in done.text
    token = csrf_of(done.text)
    api = client.post(f"/api/conflicts/{conflict['id']}/settle", headers={"X-CSRF-Token": token},
                      json={"value": "deceased", "reason": "again"})
    assert api.status_code == 422  # settled already
    assert client.post("/api/conflicts/999999/settle", headers={"X-CSRF-Token": token},
                       json={"value": "x", "reason": "y"}).status_code == 404
    outside = client.post(f"/conflicts/{conflict['id']}/settle", data={
        "value": "held", "reason": "r", "back": "https://elsewhere.example/",
        "csrf_token": token}, follow_redirects=False)
    assert outside.status_code == 422
    with ws.store.reading() as tx:
        row = tx.get(IdentityConflict, conflict["id"])
        assert row is not None and row.settled_value == "held" and row.resolved_by == "olena"


def test_the_api_settles_with_a_value_of_the_conflict(
    ws: Workspace, client: TestClient, seeded: dict[str, list[int]]
) -> None:
    make_user(ws, "olena", Role.ANALYST, "MOD")
    login(client, "olena")
    token = csrf_of(client.get("/conflicts").text)
    conflict = next(c for c in client.get("/api/conflicts").json()["conflicts"]
                    if c["kind"] == "status")
    wrong = client.post(f"/api/conflicts/{conflict['id']}/settle",
                        headers={"X-CSRF-Token": token}, json={"value": "released", "reason": "r"})
    assert wrong.status_code == 422
    done = client.post(f"/api/conflicts/{conflict['id']}/settle",
                       headers={"X-CSRF-Token": token}, json={"value": "deceased", "reason": "r"})
    assert done.status_code == 200 and done.json()["settled_value"] == "deceased"
    assert "Settled: deceased stands." in client.get("/conflicts?state=resolved").text
