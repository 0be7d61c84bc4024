"""The lists and plans JSON API through the real app: reading, adding people, approving,
releasing, substituting; unknown names 404, bad bodies 422, refusals 403."""

from __future__ import annotations

from sqlalchemy import select

from parley.adapters.sql.exchange_tables import ExchangePlan
from parley.adapters.sql.tables import Person, SourceRecord
from parley.domain.actors import PERMISSIONS, Actor, Role
from parley.services import accounts
from parley.services.tokens import create_api_token
from parley.services.workspace import Workspace
from tests.interfaces.web.conftest import PASSWORD, TestClient, add_record, make_user
from tests.interfaces.web.test_exchange_pages import _seed


def bearer(ws: Workspace, username: str, role: Role = Role.COORDINATOR,
           agency: str = "MOD") -> dict[str, str]:
    make_user(ws, username, role, agency)
    actor = accounts.authenticate(ws, username=username, password=PASSWORD)
    token = create_api_token(ws, actor=actor, name="test", scopes=PERMISSIONS[role]).token
    return {"Authorization": f"Bearer {token}"}


def _person_with_record(ws: Workspace, family: str) -> tuple[int, int]:
    rid = add_record(ws, family_name=family, given_name="Іван", birth_date="1990-05-12")
    with ws.store.transaction() as tx:
        person = Person(display_name=f"{family} Іван", status="held")
        tx.add(person)
        tx.flush()
        record = tx.get(SourceRecord, rid)
        assert record is not None
        record.person_id = person.id
        return int(person.id), rid


def test_lists_and_a_paged_list(ws: Workspace, operator: Actor, client: TestClient) -> None:
    _seed(ws, operator)
    auth = bearer(ws, "coord")
    found = client.get("/api/lists", headers=auth).json()["lists"]
    by_name = {x["name"]: x for x in found}
    assert by_name["to-give"]["counts"] == {"confirmed": 6, "held_back": 1}
    page = client.get("/api/lists/to-give?per_page=2&page=2&sort=key", headers=auth)
    assert page.status_code == 200
    body = page.json()
    assert [e["id"] for e in body["entries"]] == ["G2", "G3"]
    assert (body["total"], body["pages"]) == (7, 4)
    assert body["signoff"]["blockers"]
    held = client.get("/api/lists/to-give?status=held_back", headers=auth).json()
    assert [(e["id"], e["held_back"]) for e in held["entries"]] == [("G6",
                                                                     "judicial proceedings")]
    assert client.get("/api/lists/no-such-list", headers=auth).status_code == 404


def test_add_people_by_person_and_record_id(ws: Workspace, operator: Actor,
                                            client: TestClient) -> None:
    _seed(ws, operator)
    auth = bearer(ws, "coord")
    first, _ = _person_with_record(ws, "Шевченко")
    second, record = _person_with_record(ws, "Бондар")
    done = client.post("/api/lists/to-receive/entries", headers=auth,
                       json={"person_ids": [first], "record_ids": [record]})
    assert done.status_code == 201, done.text
    assert done.json()["counts"]["proposed"] == 2
    keys = {e["id"] for e in client.get("/api/lists/to-receive", headers=auth).json()["entries"]}
    assert {f"P{first}", f"P{second}"} <= keys
    again = client.post("/api/lists/to-receive/entries", headers=auth, json={"person_ids": [first]})
    assert again.status_code == 409
    assert client.post("/api/lists/to-receive/entries", headers=auth,
                       json={"person_ids": [10**9]}).status_code == 404
    assert client.post("/api/lists/to-receive/entries", headers=auth,
                       json={"person_ids": []}).status_code == 422
    assert client.post("/api/lists/to-receive/entries", headers=auth,
                       json={"person_ids": "x"}).status_code == 422
    assert client.post("/api/lists/nowhere/entries", headers=auth,
                       json={"person_ids": [first]}).status_code == 404
    analyst = bearer(ws, "ana", Role.ANALYST)
    assert client.post("/api/lists/to-receive/entries", headers=analyst,
                       json={"person_ids": [second]}).status_code == 403


def test_approvals_then_release(ws: Workspace, operator: Actor, client: TestClient) -> None:
    _seed(ws, operator)
    signers = {code: bearer(ws, f"signer-{code.lower()}", agency=code)
               for code in ("MOD", "SSU", "OMB")}
    outsider = bearer(ws, "outsider", agency="HQ")
    assert client.post("/api/lists/to-give/approvals", headers=outsider).status_code == 403
    assert client.post("/api/lists/to-give/approvals", headers=signers["MOD"],
                       json={"version": 1}).status_code == 409  # not the current version
    for code in ("MOD", "SSU"):
        done = client.post("/api/lists/to-give/approvals", headers=signers[code])
        assert done.status_code == 201, done.text
    refused = client.post("/api/lists/to-give/release", headers=signers["MOD"])
    assert refused.status_code == 409 and "OMB" in refused.json()["error"]
    state = client.post("/api/lists/to-give/approvals", headers=signers["OMB"]).json()
    assert sorted(a["agency"] for a in state["approvals"] if a["signature_valid"]) == [
        "MOD", "OMB", "SSU"]
    released = client.post("/api/lists/to-give/release", headers=signers["MOD"])
    assert released.status_code == 200 and released.json()["released"] is True
    assert client.post("/api/lists/nowhere/release", headers=signers["MOD"]).status_code == 404


def test_plan_and_substitution(ws: Workspace, operator: Actor, client: TestClient) -> None:
    _seed(ws, operator)
    auth = bearer(ws, "coord")
    with ws.store.reading() as tx:
        plan_id = tx.scalars(select(ExchangePlan.id)).one()
    plan = client.get(f"/api/plans/{plan_id}", headers=auth).json()
    assert plan["stages"] == 2 and len(plan["counts"]) == 2
    scheduled = [a for a in plan["assignments"] if a["side"] == "give" and a["stage"]]
    assert scheduled
    dropped = scheduled[0]["record_id"]
    done = client.post(f"/api/plans/{plan_id}/substitutions", headers=auth,
                       json={"dropped": dropped, "side": "give", "reason": "refuses"})
    assert done.status_code == 201, done.text
    assert done.json()["dropped"] == dropped
    after = client.get(f"/api/plans/{plan_id}", headers=auth).json()
    assert [s["dropped"] for s in after["substitutions"]] == [dropped]
    assert dropped not in {a["record_id"] for a in after["assignments"] if a["side"] == "give"}
    assert client.get("/api/plans/999999", headers=auth).status_code == 404
    assert client.get("/api/plans/99999999999999999999", headers=auth).status_code == 404
    assert client.post(f"/api/plans/{plan_id}/substitutions", headers=auth,
                       json={"dropped": "G1", "side": "sideways", "reason": "x"}
                       ).status_code == 422
    assert client.post("/api/plans/999999/substitutions", headers=auth,
                       json={"dropped": "G1", "side": "give", "reason": "x"}).status_code == 404
