"""The demo's exchange day: stage 1 of the demo plan run to its signed protocol, so the pages
show a real exchange day (a fleet, a manifest, check-ins, an incident, a closed stage)."""

from __future__ import annotations

import csv
from pathlib import Path

from parley.domain.actors import Actor
from parley.services import handover, logistics
from parley.services.lists import stored_plan
from parley.services.workspace import Workspace
from parley.synth.exchange_day import checkin_rows, fleet_for

DEMO_HANDOVER_POINT = "Handover point on the border (demo)"


def run_first_stage(ws: Workspace, *, actor: Actor, seed: int, out: Path) -> str:
    """Fleet, manifest, a check-in sheet with one decliner a side, an incident, the protocol;
    a stage already closed is left as it is (a second demo run changes nothing)."""
    plan = stored_plan(ws, actor=actor)
    if handover.stage_board(ws, actor=actor, plan_id=plan.id, stage=1).closure is not None:
        return f"stage 1 of plan {plan.id} is closed already: left as it is"
    people = logistics.travellers(plan, logistics.entries_by_side(ws, actor=actor, plan=plan))
    _, convoy = logistics.assign_transport(ws, actor=actor, plan_id=plan.id,
                                           vehicles=fleet_for(people, seed=seed))
    first = [t for t in people if t.stage == 1]
    rows = checkin_rows(first, seed=seed)
    for side in ("give", "receive"):  # one decliner a side: parity holds, the record shows it
        row = next(r for r in reversed(rows) if r["side"] == side)
        row.update(outcome="declined", will_to_return="no", note="does not wish to return")
    sheet = out / "stage-1-checkin.csv"
    with sheet.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    handover.import_checkin_sheet(ws, actor=actor, plan_id=plan.id, stage=1, path=sheet)
    handover.record_incident(ws, actor=actor, plan_id=plan.id, stage=1, kind="delay",
                             severity="medium",
                             description="convoy held 40 minutes at the second checkpoint")
    protocol = handover.close_stage(ws, actor=actor, plan_id=plan.id, stage=1,
                                    handover_point=DEMO_HANDOVER_POINT)
    (out / "stage-1.protocol").write_bytes(protocol)
    return (f"exchange day: {len(convoy.seats)} people seated in "
            f"{sum(convoy.vehicles_used.values())} vehicles; stage 1 checked in ({len(rows)} "
            f"rows), closed, protocol {out / 'stage-1.protocol'}")
