"""The exchange day in a workspace (SQLite and PostgreSQL): transport, check-in, board, closing,
the protocol, and what follows for lists and registry."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from parley.adapters.sql.tables import AuditEventRow, Person
from parley.domain.actors import Actor, Role
from parley.domain.exchange_day.fleet import Vehicle, VehicleKind, check_manifest
from parley.domain.lists import Status
from parley.errors import AccessDenied, Conflict, Infeasible, InvalidInput, ParityViolation
from parley.services import handover, logistics
from parley.services import lists as lists_svc
from parley.services.audit import latest_checkpoint
from parley.services.keys import export_public_keys
from parley.services.protocols import cosign_protocol
from parley.services.workspace import Workspace
from parley.trust.errors import TrustError
from parley.verify import run as verify
from tests.services.exchday_factory import SHEET, build_day, write_csv

FLEET = [Vehicle("B1", VehicleKind.BUS, 10, 0, 0, 1), Vehicle("A1", VehicleKind.AMBULANCE, 1, 2,
                                                                1, 1),
         Vehicle("B2", VehicleKind.BUS, 10, 0, 0, 2), Vehicle("A2", VehicleKind.AMBULANCE, 1, 2,
                                                                1, 2)]


def _sheet_rows(plan: lists_svc.StoredPlan, stage: int) -> list[dict[str, str]]:
    return [{"record_id": a.record_id, "side": a.side, "outcome": "transferred",
             "will_to_return": "yes", "fit_to_travel": "yes", "note": ""}
            for a in plan.assignments if a.stage == stage]


def test_transport_seats_everyone_and_reports_a_shortfall(ws: Workspace,
                                                          operator: Actor) -> None:
    plan_id = build_day(ws, operator)
    _, convoy = logistics.assign_transport(ws, actor=operator, plan_id=plan_id, vehicles=FLEET)
    plan = lists_svc.stored_plan(ws, actor=operator, plan_id=plan_id)
    entries = logistics.entries_by_side(ws, actor=operator, plan=plan)
    people = logistics.travellers(plan, entries)
    check_manifest(people, FLEET, convoy.seats)
    places = {(s.side, s.record_id): s.place for s in convoy.seats}
    # G1 is seriously wounded, G2's record says he cannot sit: both on stretchers
    assert {k for k, v in places.items() if v == "stretcher"} == {("give", "G1"), ("give", "G2")}
    _, lines = logistics.manifest(ws, actor=operator, plan_id=plan_id, stage=1)
    assert {m.person["family_name"] for m in lines} >= {"Gfam1"}
    need = sum(t.needs_stretcher for t in people if t.stage == 1)
    small = [Vehicle("B1", VehicleKind.BUS, 10, 0, 0, 1),
             Vehicle("A1", VehicleKind.AMBULANCE, 1, need - 1, 1, 1),
             Vehicle("A9", VehicleKind.AMBULANCE, 1, 3, 0, 1), *FLEET[2:]]
    with pytest.raises(Infeasible, match=f"stage 1 needs {need} stretcher places; its vehicles "
                                         f"offer {need - 1} \\(3 more on vehicles without"):
        logistics.assign_transport(ws, actor=operator, plan_id=plan_id, vehicles=small)


def test_checkin_is_idempotent_and_contradictions_are_flagged(
    ws: Workspace, operator: Actor, tmp_path: Path,
) -> None:
    plan_id = build_day(ws, operator)
    plan = lists_svc.stored_plan(ws, actor=operator, plan_id=plan_id)
    rows = _sheet_rows(plan, 1)
    sheet = write_csv(tmp_path / "sheet.csv", SHEET, rows)
    first = handover.import_checkin_sheet(ws, actor=operator, plan_id=plan_id, stage=1,
                                          path=sheet)
    assert (first.recorded, first.unchanged, first.flagged) == (len(rows), 0, 0)
    with ws.store.reading() as tx:
        events = len(list(tx.scalars(select(AuditEventRow.seq))))
    again = handover.import_checkin_sheet(ws, actor=operator, plan_id=plan_id, stage=1,
                                          path=sheet)
    assert (again.recorded, again.unchanged, again.flagged) == (0, len(rows), 0)
    with ws.store.reading() as tx:
        assert len(list(tx.scalars(select(AuditEventRow.seq)))) == events  # nothing changed
    changed = [dict(r) for r in rows]
    changed[0].update(outcome="declined", will_to_return="no", fit_to_travel="yes")
    other = write_csv(tmp_path / "other.csv", SHEET, changed)
    report = handover.import_checkin_sheet(ws, actor=operator, plan_id=plan_id, stage=1,
                                           path=other)
    assert (report.recorded, report.flagged) == (0, 1)
    assert "outcome transferred → declined" in report.flags[0]["reason"]
    view = handover.stage_board(ws, actor=operator, plan_id=plan_id, stage=1)
    assert view.board.counts["give"]["transferred"] == sum(r["side"] == "give" for r in rows)
    assert len(view.flags) == 1  # the recorded check-in stands, the flag waits for a person
    bad = write_csv(tmp_path / "bad.csv", SHEET, [{**rows[0], "record_id": "NOPE"}])
    with pytest.raises(InvalidInput, match=r"bad.csv, line 2, field record_id: 'NOPE'"):
        handover.import_checkin_sheet(ws, actor=operator, plan_id=plan_id, stage=1, path=bad)
    against_will = write_csv(tmp_path / "w.csv", SHEET, [{**rows[0], "will_to_return": "no"}])
    with pytest.raises(InvalidInput, match=r"line 2, field will_to_return: .*Art. 109"):
        handover.import_checkin_sheet(ws, actor=operator, plan_id=plan_id, stage=1,
                                      path=against_will)


def test_closing_needs_parity_or_a_reason_and_the_protocol_verifies(
    ws: Workspace, operator: Actor, tmp_path: Path,
) -> None:
    plan_id = build_day(ws, operator)
    plan = lists_svc.stored_plan(ws, actor=operator, plan_id=plan_id)
    rows = _sheet_rows(plan, 1)
    declined = next(r for r in rows if r["side"] == "give" and r["record_id"] != "G1")
    declined.update(outcome="declined", will_to_return="no", note="wishes to stay")
    write_csv(tmp_path / "s.csv", SHEET, rows)
    with pytest.raises(Conflict, match="no check-in yet"):
        handover.close_stage(ws, actor=operator, plan_id=plan_id, stage=1)
    handover.import_checkin_sheet(ws, actor=operator, plan_id=plan_id, stage=1,
                                  path=tmp_path / "s.csv")
    handover.record_incident(ws, actor=operator, plan_id=plan_id, stage=1, kind="delay",
                             severity="medium", description="checkpoint 2 held the convoy")
    view = handover.stage_board(ws, actor=operator, plan_id=plan_id, stage=1)
    assert not view.board.balanced and view.board.imbalance == -1
    with pytest.raises(ParityViolation, match="out of parity: 5 handed over, 6 received"):
        handover.close_stage(ws, actor=operator, plan_id=plan_id, stage=1)
    logistics_user = Actor("field", Role.LOGISTICS, "MOD")
    with pytest.raises(AccessDenied, match="coordinator"):
        handover.close_stage(ws, actor=logistics_user, plan_id=plan_id, stage=1,
                             imbalance_reason="agreed with the mediator")
    protocol = handover.close_stage(ws, actor=operator, plan_id=plan_id, stage=1,
                                    imbalance_reason="the other side agreed to one fewer",
                                    handover_point="border point")
    body = json.loads(base64.b64decode(json.loads(protocol)["payload"]))
    assert body["imbalance_reason"] == "the other side agreed to one fewer"
    assert body["incidents"][0]["kind"] == "delay"
    assert body["counts"]["give"]["declined"] == 1
    # verify offline, then after any change
    keys = tmp_path / "keys"
    export_public_keys(ws, keys)
    path = tmp_path / "stage1.protocol"
    path.write_bytes(protocol)
    code, line = verify(["protocol", str(path), "--key", str(keys / "HQ.pub")])
    assert code == 0, line
    for i in (10, len(protocol) // 2, len(protocol) - 2):
        mutated = bytearray(protocol)
        mutated[i] ^= 0x01
        path.write_bytes(bytes(mutated))
        assert verify(["protocol", str(path), "--key", str(keys / "HQ.pub")])[0] == 1
    cosigned = cosign_protocol(ws, actor=operator, plan_id=plan_id, stage=1, agency="MED")
    export_public_keys(ws, keys)
    path.write_bytes(cosigned)
    assert verify(["protocol", str(path), "--key", str(keys / "HQ.pub"), "--key",
                   str(keys / "MED.pub")])[0] == 0
    # afterwards: transferred entries and registry persons, the decliner back in the workflow
    entries = {e.key: e for e in lists_svc.list_entries(ws, actor=operator, name="r")}
    received = [r["record_id"] for r in rows if r["side"] == "receive"]
    assert all(entries[k].status is Status.TRANSFERRED for k in received)
    with ws.store.reading() as tx:
        statuses = {p.display_name: p.status for p in tx.scalars(select(Person))}
        actions = set(tx.scalars(select(AuditEventRow.action)))
    assert all(statuses[k] == "released" for k in received)
    assert {statuses[f"R{i}"] for i in range(12) if f"R{i}" not in received} == {"held"}
    gone = {e.key: e for e in lists_svc.list_entries(ws, actor=operator, name="g")}
    assert gone[declined["record_id"]].status is Status.WITHDRAWN
    assert "Art. 109" in gone[declined["record_id"]].status_reason
    assert {"stage.close", "stage.imbalance", "stage.checkin", "person.status",
            "stage.incident"} <= actions
    with ws.store.reading() as tx:
        close_event = tx.scalars(select(AuditEventRow).where(
            AuditEventRow.action == "stage.close")).one()
    assert close_event.payload["protocol_sha256"] == hashlib.sha256(protocol).hexdigest()
    anchor = latest_checkpoint(ws)
    assert anchor is not None and anchor.size >= close_event.seq  # the close is anchored
    with pytest.raises(Conflict, match="already closed"):
        handover.close_stage(ws, actor=operator, plan_id=plan_id, stage=1,
                             imbalance_reason="again")


def test_a_forged_parity_claim_fails_even_when_signed(ws: Workspace, operator: Actor) -> None:
    from parley.services.keys import agency_signer
    from parley.trust.protocol import build_protocol, verify_protocol

    body = {"plan": 1, "stage": 1, "persons": [
        {"record_id": "G1", "side": "give", "category": "military", "outcome": "transferred"}],
        "counts": {"give": {"transferred": 1}, "receive": {}}, "balanced": True}
    data = build_protocol(body, [agency_signer(ws, "HQ")])
    from parley.services.keys import agency_public_key

    with pytest.raises(TrustError, match="parity its persons do not have"):
        verify_protocol(data, {"HQ": agency_public_key(ws, "HQ")})


def test_a_substitution_from_the_reserve_restores_parity(ws: Workspace, operator: Actor,
                                                         tmp_path: Path) -> None:
    plan_id = build_day(ws, operator, per_side=14, sizes=(6, 6))
    plan = lists_svc.stored_plan(ws, actor=operator, plan_id=plan_id)
    rows = _sheet_rows(plan, 1)
    declined = next(r for r in rows if r["side"] == "give" and r["record_id"] != "G1")
    declined.update(outcome="declined", will_to_return="no")
    handover.import_checkin_sheet(ws, actor=operator, plan_id=plan_id, stage=1,
                                  path=write_csv(tmp_path / "s.csv", SHEET, rows))
    assert handover.stage_board(ws, actor=operator, plan_id=plan_id, stage=1).board.imbalance \
        == -1
    done = lists_svc.substitute_in_stored_plan(ws, actor=operator, plan_id=plan_id,
                                               dropped=declined["record_id"], side="give",
                                               reason="declined at the handover point")
    substitute = done["replacement"]
    assert substitute is not None
    view = handover.stage_board(ws, actor=operator, plan_id=plan_id, stage=1)
    assert view.board.left["give"] == (substitute,)  # the decliner stays on the record
    assert view.board.counts["give"]["declined"] == 1
    with pytest.raises(Conflict, match="no check-in yet"):
        handover.close_stage(ws, actor=operator, plan_id=plan_id, stage=1)
    handover.import_checkin_sheet(ws, actor=operator, plan_id=plan_id, stage=1, path=write_csv(
        tmp_path / "sub.csv", SHEET, [{"record_id": substitute, "side": "give",
                                       "outcome": "transferred", "will_to_return": "yes",
                                       "fit_to_travel": "yes", "note": "substitute"}]))
    assert handover.stage_board(ws, actor=operator, plan_id=plan_id, stage=1).board.balanced
    protocol = handover.close_stage(ws, actor=operator, plan_id=plan_id, stage=1)
    body = json.loads(base64.b64decode(json.loads(protocol)["payload"]))
    assert body["balanced"] is True and body["imbalance_reason"] is None
    assert body["substitutions"][0]["replacement"] == substitute
    assert len(body["persons"]) == 13


def test_two_phones_sending_the_same_sheet_at_once(ws: Workspace, operator: Actor,
                                                   tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    plan_id = build_day(ws, operator)
    plan = lists_svc.stored_plan(ws, actor=operator, plan_id=plan_id)
    rows = _sheet_rows(plan, 1)
    sheets = [write_csv(tmp_path / f"phone{i}.csv", SHEET, rows) for i in (1, 2)]
    with ThreadPoolExecutor(2) as pool:
        reports = list(pool.map(lambda p: handover.import_checkin_sheet(
            ws, actor=operator, plan_id=plan_id, stage=1, path=p), sheets))
    assert sorted((r.recorded, r.unchanged, r.flagged) for r in reports) == [
        (0, len(rows), 0), (len(rows), 0, 0)]
