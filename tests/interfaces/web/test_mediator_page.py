"""The mediator's page: released lists only, verification of a bundle in the page with the code
of parley-verify, and the other side's answer reconciled from an upload."""

from __future__ import annotations

from pathlib import Path

from parley.domain.actors import Actor, Role
from parley.services import handover
from parley.services import lists as svc
from parley.services.reconciliation import stored_reconciliation
from parley.services.signoff import export_signed_bundle
from parley.services.workspace import Workspace
from parley.synth.exchange import counterpart_scenario
from tests.interfaces.web.conftest import TestClient, csrf_of, login, make_user
from tests.interfaces.web.test_exchange_pages import _seed, release_current
from tests.services.exchday_factory import SHEET, build_day, write_csv
from tests.services.reconcile_factory import answer_csv, list_from_scenario


def _verify(client: TestClient, data: bytes, agencies: list[str]) -> str:
    token = csrf_of(client.get("/mediator").text)
    page = client.post("/mediator/verify", data={"kind": "bundle", "agencies": agencies,
                                                 "csrf_token": token},
                       files={"file": ("list.bundle", data, "application/json")})
    assert page.status_code == 200, page.text[:300]
    return page.text


def test_mediator_sees_released_lists_and_verifies_a_bundle(
        ws: Workspace, operator: Actor, client: TestClient) -> None:
    _seed(ws, operator)
    release_current(ws, "to-give")
    bundle = export_signed_bundle(ws, actor=operator, name="to-give")
    make_user(ws, "med", Role.MEDIATOR, "MED")
    login(client, "med")
    page = client.get("/mediator")
    assert page.status_code == 200
    assert 'href="/lists/to-give"' in page.text and 'href="/lists/to-receive"' not in page.text
    good = _verify(client, bundle, ["MOD", "SSU", "OMB"])
    assert 'class="ok"' in good and "bundle of list to-give version 2 (" in good
    tampered = bundle.replace(b'"payload":"', b'"payload":"A', 1)
    assert tampered != bundle
    bad = _verify(client, tampered, ["MOD", "SSU", "OMB"])
    assert 'class="error"' in bad and "bundle of list" not in bad
    assert "list.bundle: envelope payload is not valid base64" in bad
    assert "give at least one --key" in _verify(client, bundle, [])  # no key given


def test_the_verification_speaks_the_readers_language(
        ws: Workspace, operator: Actor, client: TestClient) -> None:
    """Issue 12: the success line is a template and values like a failure, and the fixed words
    a trust error names ("envelope payload") are translated with its sentence; nothing of
    parley-verify's English (its "OK:"/"FAILED:" either) is left on a Ukrainian page."""
    _seed(ws, operator)
    release_current(ws, "to-give")
    bundle = export_signed_bundle(ws, actor=operator, name="to-give")
    make_user(ws, "med", Role.MEDIATOR, "MED")
    login(client, "med")
    client.headers["Accept-Language"] = "uk"
    good = _verify(client, bundle, ["MOD", "SSU", "OMB"])
    assert 'class="ok"' in good and "пакет списку to-give, версія 2 (рядків: " in good
    assert "bundle of list" not in good and "OK:" not in good
    bad = _verify(client, bundle.replace(b'"payload":"', b'"payload":"A', 1),
                  ["MOD", "SSU", "OMB"])
    assert "list.bundle: корисне навантаження конверта не є дійсним base64" in bad
    assert "envelope payload" not in bad and "is not valid" not in bad and "FAILED" not in bad


def test_the_mediator_downloads_the_signed_bundle_of_a_released_list(
        ws: Workspace, operator: Actor, client: TestClient) -> None:
    """The mediator receives released lists as signed bundles from the page; an analyst (reads
    lists, co-signs nothing) may not carry one out."""
    _seed(ws, operator)
    release_current(ws, "to-give")
    make_user(ws, "med", Role.MEDIATOR, "MED")
    make_user(ws, "ana", Role.ANALYST, "MOD")
    login(client, "med")
    assert 'href="/lists/to-give/bundle"' in client.get("/mediator").text
    got = client.get("/lists/to-give/bundle")
    assert got.status_code == 200, got.text[:300]
    assert "bundle of list to-give" in _verify(client, got.content, ["MOD", "SSU", "OMB"])
    assert client.get("/lists/to-receive/bundle").status_code in (404, 409)
    login(client, "ana")
    assert client.get("/lists/to-give/bundle").status_code == 403


def test_the_other_sides_answer_is_reconciled_from_an_upload(
        ws: Workspace, operator: Actor, client: TestClient) -> None:
    scenario = counterpart_scenario(40, seed=3, n_registry=0, unknown_share=0.1)
    list_from_scenario(ws, operator, scenario)
    answer = answer_csv(scenario)
    make_user(ws, "coord", Role.COORDINATOR, "HQ")
    login(client, "coord")
    token = csrf_of(client.get("/mediator").text)
    done = client.post("/mediator/answers", data={"name": "ours", "csrf_token": token},
                       files={"file": ("answer.csv", answer, "text/csv")})
    assert done.status_code == 200, done.text[:300]
    assert "answer.csv" in done.text and "The answer was reconciled." in done.text
    stored = stored_reconciliation(ws, actor=operator, name="ours")
    assert stored.counts.get("confirmed", 0) >= 30
    assert client.post("/mediator/answers", data={"name": "nowhere", "csrf_token": token},
                       files={"file": ("a.csv", answer, "text/csv")}).status_code == 404


def test_mediator_downloads_verifies_and_cosigns_a_stage_protocol(
        ws: Workspace, operator: Actor, client: TestClient, tmp_path: Path) -> None:
    """Issue 12: the mediator's page lists the closed stages' protocols; the mediator downloads
    one, verifies it in the page (the code of parley-verify) and co-signs it with MED's key."""
    plan_id = build_day(ws, operator)
    plan = svc.stored_plan(ws, actor=operator, plan_id=plan_id)
    rows = [{"record_id": a.record_id, "side": a.side, "outcome": "transferred",
             "will_to_return": "yes", "fit_to_travel": "yes", "note": ""}
            for a in plan.assignments if a.stage == 1]
    handover.import_checkin_sheet(ws, actor=operator, plan_id=plan_id, stage=1,
                                  path=write_csv(tmp_path / "s.csv", SHEET, rows))
    release_current(ws, "g", "r")  # the planned versions: the mediator reads the plan
    handover.close_stage(ws, actor=operator, plan_id=plan_id, stage=1)
    make_user(ws, "icrc", Role.MEDIATOR, "MED")
    login(client, "icrc")
    page = client.get("/mediator")
    link = f"/stages/1/protocol?plan={plan_id}"
    assert link in page.text and f"/mediator/protocols/{plan_id}/2/cosign" not in page.text
    protocol = client.get(link)
    assert protocol.status_code == 200 and protocol.content
    token = csrf_of(page.text)
    checked = client.post("/mediator/verify", data={"kind": "protocol", "agencies": ["HQ"],
                                                    "csrf_token": token},
                          files={"file": ("stage1.protocol", protocol.content, "text/plain")})
    assert checked.status_code == 200 and 'class="ok"' in checked.text
    assert "protocol of plan" in checked.text and "stage 1: handed over" in checked.text
    done = client.post(f"/mediator/protocols/{plan_id}/1/cosign", data={"csrf_token": token},
                       follow_redirects=True)
    assert done.status_code == 200 and "co-signed for MED" in done.text
    cosigned = client.get(link).content
    assert cosigned != protocol.content
    both = client.post("/mediator/verify", data={"kind": "protocol", "agencies": ["HQ", "MED"],
                                                 "csrf_token": token},
                       files={"file": ("stage1.protocol", cosigned, "text/plain")})
    assert 'class="ok"' in both.text
    tampered = bytearray(cosigned)
    tampered[len(tampered) // 2] ^= 0x01
    bad = client.post("/mediator/verify", data={"kind": "protocol", "agencies": ["HQ", "MED"],
                                                "csrf_token": token},
                      files={"file": ("stage1.protocol", bytes(tampered), "text/plain")})
    before, result = bad.text.split('id="verify-result"')
    assert 'class="error"' in result and "stage1.protocol" not in before
    api = client.post(f"/api/plans/{plan_id}/stages/2/cosign", headers={"X-CSRF-Token": token})
    assert api.status_code == 404  # stage 2 is not closed
