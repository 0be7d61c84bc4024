"""``parley transport`` and ``parley stage`` end to end, with the interfaces scripts use: the
vehicle and manifest columns, the check-in sheet, the board's JSON, exit 6, parley-verify."""

from __future__ import annotations

import base64
import csv
import json
from pathlib import Path

from parley.domain.actors import LOCAL_OPERATOR
from parley.services.lists import stored_plan
from parley.services.workspace import Workspace
from parley.verify import run as verify_run
from tests.conftest import Cli
from tests.services.exchday_factory import SHEET, build_day, write_csv

VEHICLES = ("vehicle_id", "kind", "seats", "stretchers", "medics", "stage")



def _fleet(tmp_path: Path, stretchers: int) -> Path:
    rows = [{"vehicle_id": f"BUS{k}", "kind": "bus", "seats": "20", "stretchers": "0",
             "medics": "0", "stage": str(k)} for k in (1, 2)]
    rows += [{"vehicle_id": f"AMB{k}", "kind": "ambulance", "seats": "2",
              "stretchers": str(stretchers), "medics": "1", "stage": str(k)} for k in (1, 2)]
    return write_csv(tmp_path / "vehicles.csv", VEHICLES, rows)


def test_a_stage_from_transport_to_a_verified_protocol(cli: Cli, ws: Workspace,
                                                       tmp_path: Path) -> None:
    plan_id = build_day(ws, LOCAL_OPERATOR)
    done = cli("transport", "assign", "--vehicles", str(_fleet(tmp_path, 0)), "-o",
                str(tmp_path / "m.csv"))
    assert done.returncode == 6
    assert done.stderr.startswith("error: stage ") and "stretcher places" in done.stderr
    done = cli("transport", "assign", "--plan", str(plan_id), "--vehicles",
                str(_fleet(tmp_path, 4)), "-o", str(tmp_path / "m.csv"))
    assert done.returncode == 0, done.stderr
    with (tmp_path / "m.csv").open(encoding="utf-8") as handle:
        manifest = list(csv.DictReader(handle))
    assert list(manifest[0]) == ["record_id", "side", "stage", "vehicle_id", "place"]
    plan = stored_plan(ws, actor=LOCAL_OPERATOR, plan_id=plan_id)
    assert len(manifest) == sum(a.stage is not None for a in plan.assignments)
    assert {r["place"] for r in manifest} == {"seat", "stretcher"}
    roster = write_csv(tmp_path / "roster.csv", ("name", "role", "organisation"), [
        {"name": "Staff Officer One", "role": "head of delegation", "organisation": "HQ"},
        {"name": "Medic Two", "role": "medic", "organisation": "MOH"},
        {"name": "Delegate Three", "role": "observer", "organisation": "mediator"}])
    route = write_csv(tmp_path / "routes.csv", ("stage", "from", "from_kind", "to", "to_kind",
                                                "risk", "window_start", "window_end", "escort"),
                      [{"stage": "1", "from": "Assembly A", "from_kind": "assembly",
                        "to": "Border point", "to_kind": "handover", "risk": "high",
                        "window_start": "2025-05-23T06:00", "window_end": "2025-05-23T11:00",
                        "escort": "military police"}])
    done = cli("transport", "routes", str(route))
    assert done.returncode == 0, done.stderr
    done = cli("transport", "kit", "1", "-o", str(tmp_path / "kit.bundle"), "--roster",
                str(roster))
    assert done.returncode == 0, done.stderr
    done = cli("transport", "manifest", "--stage", "1", "--vehicle", "AMB1", "-o",
                str(tmp_path / "amb1.csv"))
    assert done.returncode == 0, done.stderr
    with (tmp_path / "amb1.csv").open(encoding="utf-8") as handle:
        amb = list(csv.DictReader(handle))
    assert amb and {r["vehicle_id"] for r in amb} == {"AMB1"}
    assert "family_name" in amb[0] and amb[0]["family_name"].startswith(("Gfam", "Rfam"))
    done = cli("stage", "incident", "1", "--kind", "medical_emergency", "--severity",
                "critical", "--description", "a patient needs oxygen")
    assert done.returncode == 0, done.stderr
    assert cli("stage", "incident", "1", "--kind", "flood", "--severity",
                "low").returncode == 2

    stage1 = [a for a in plan.assignments if a.stage == 1]
    rows = [{"record_id": a.record_id, "side": a.side, "outcome": "transferred",
             "will_to_return": "yes", "fit_to_travel": "yes", "note": ""} for a in stage1]
    give_rows = [r for r in rows if r["side"] == "give"]
    half = write_csv(tmp_path / "half.csv", SHEET, give_rows)
    done = cli("stage", "checkin", "1", str(half), "--json")
    assert json.loads(done.stdout)["recorded"] == len(give_rows)
    board = json.loads(cli("stage", "board", "1", "--json").stdout)
    assert board["give"]["transferred"] == len(give_rows)
    assert board["receive"]["transferred"] == 0 and board["balanced"] is False
    full = write_csv(tmp_path / "full.csv", SHEET, rows)
    result = json.loads(cli("stage", "checkin", "1", str(full), "--json").stdout)
    assert (result["recorded"], result["flagged"]) == (len(rows) - len(give_rows), 0)
    assert json.loads(cli("stage", "board", "1", "--json").stdout)["balanced"] is True
    done = cli("stage", "close", "1", "-o", str(tmp_path / "p1.protocol"), "--place",
                "border point")
    assert done.returncode == 0, done.stderr
    assert cli("audit", "keys", "--out", str(tmp_path / "pub")).returncode == 0
    code, line = verify_run(["protocol", str(tmp_path / "p1.protocol"), "--key",
                             str(tmp_path / "pub" / "HQ.pub")])
    assert code == 0 and line.startswith("OK: protocol of plan"), line
    code, line = verify_run(["bundle", str(tmp_path / "kit.bundle"), "--key",
                             str(tmp_path / "pub" / "HQ.pub")])
    assert code == 0, line
    kit = json.loads(base64.b64decode(json.loads((tmp_path / "kit.bundle").read_bytes())
                                      ["payload"]))
    assert [r["role"] for r in kit["manifest"]["roster"]] == ["head of delegation", "medic",
                                                             "observer"]
    done = cli("stage", "protocol", "1", "--cosign", "MED", "-o", str(tmp_path / "p1m"))
    assert done.returncode == 0, done.stderr
    assert cli("audit", "keys", "--out", str(tmp_path / "pub")).returncode == 0
    code, line = verify_run(["protocol", str(tmp_path / "p1m"), "--key",
                             str(tmp_path / "pub" / "HQ.pub"), "--key",
                             str(tmp_path / "pub" / "MED.pub")])
    assert code == 0 and "signed by HQ, MED" in line, line
    body = json.loads(base64.b64decode(json.loads((tmp_path / "p1m").read_bytes())["payload"]))
    assert body["incidents"][0]["kind"] == "medical_emergency"
    assert body["places"]["handover_point"] == "border point"
    assert body["places"]["route"][0]["escort"] == "military police"
    assert kit["manifest"]["route"][0]["to"] == "Border point"


def test_closing_out_of_parity_without_a_reason_is_exit_6(cli: Cli,
                                                          ws: Workspace, tmp_path: Path) -> None:
    plan_id = build_day(ws, LOCAL_OPERATOR)
    plan = stored_plan(ws, actor=LOCAL_OPERATOR, plan_id=plan_id)
    rows = [{"record_id": a.record_id, "side": a.side,
             "outcome": "absent" if (a.side, a.rank) == ("receive", 1) else "transferred",
             "will_to_return": "yes", "fit_to_travel": "yes", "note": ""}
            for a in plan.assignments if a.stage == 1]
    sheet = write_csv(tmp_path / "s.csv", SHEET, rows)
    assert cli("stage", "checkin", "1", str(sheet)).returncode == 0
    done = cli("stage", "close", "1", "-o", str(tmp_path / "p.protocol"))
    assert done.returncode == 6 and "out of parity" in done.stderr
    assert not (tmp_path / "p.protocol").exists()
    done = cli("stage", "close", "1", "-o", str(tmp_path / "p.protocol"),
                "--imbalance-reason", "absent person: the other side will deliver him on day 2")
    assert done.returncode == 0, done.stderr
    code, _ = verify_run(["protocol", str(tmp_path / "p.protocol"), "--key",
                          "HQ+00000000+AAAA"])
    assert code == 1


def test_lists_plan_as_agreed(cli: Cli, ws: Workspace) -> None:
    build_day(ws, LOCAL_OPERATOR)
    done = cli("lists", "plan", "--give-list", "g", "--receive-list", "r", "--stage-sizes",
                "4,4", "--stage-categories", "1:military=3,civilian=1")
    assert done.returncode == 0, done.stderr
    assert "stage 1: military 3, civilian 1" in done.stdout
    assert "stage 2:" in done.stdout and "stage 3:" not in done.stdout
    done = cli("lists", "plan", "--give-list", "g", "--receive-list", "r", "--stage-sizes",
                "4,4", "--stage-categories", "1:civilian=4")
    assert done.returncode == 6
    assert done.stderr == ("error: stage 1: civilian cannot be filled: stages 1..1 need 4 "
                           "civilian a side, the give side has 3 confirmed")
