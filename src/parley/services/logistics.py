"""Logistics use cases: assign a stage's people to its vehicles, manifests, the signed stage kit.

Travellers come from the stored plan (its active assignments) and the lists behind it: a person
needs a stretcher place when seriously wounded or when the medical record says they cannot sit
(list entry fact ``cannot_sit``). Manifests carry identity fields only (name, birth date, category),
redacted through the one redaction point like any list entry: logistics never see intelligence.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parley.adapters.files.csv_export import export_writer
from parley.adapters.files.small_csv import small_csv
from parley.adapters.solver.transport import ConvoyPlan, assign_convoys
from parley.domain.actors import Action, Actor
from parley.domain.exchange_day.fleet import (
    MANIFEST_COLUMNS,
    StageLeg,
    Traveller,
    Vehicle,
    parse_routes,
    parse_vehicles,
)
from parley.domain.lists import Entry
from parley.domain.policy import Kind, Op
from parley.errors import N_, InvalidInput, NotFound
from parley.services.access import WITHHELD, redact
from parley.services.journal import record_event
from parley.services.lists import StoredPlan, list_entries, stored_plan
from parley.services.workspace import Workspace

_TRUE = frozenset({"true", "yes", "1", "y"})
PERSON_COLUMNS = ("family_name", "given_name", "patronymic", "birth_date", "service_number",
                  "category")
ROSTER_COLUMNS = ("name", "role", "organisation")


def read_vehicles(path: Path) -> list[Vehicle]:
    """VEHICLES.csv (``vehicle_id,kind,seats,stretchers,medics,stage``) with file/line/field
    errors."""
    with small_csv(path) as reader:
        return parse_vehicles(enumerate(reader, start=2), source=path.name,
                              header=reader.fieldnames or [])


def read_routes(path: Path) -> list[StageLeg]:
    """ROUTES.csv (``stage,from,from_kind,to,to_kind,risk,window_start,window_end,escort``)."""
    with small_csv(path) as reader:
        return parse_routes(enumerate(reader, start=2), source=path.name,
                            header=reader.fieldnames or [])


def set_routes(ws: Workspace, *, actor: Actor, plan_id: int | None,
               legs: Sequence[StageLeg]) -> int:
    """Store each named stage's corridor (legs, risk, time window, escort); audited."""
    actor.require(Action.HANDOVER)
    plan = stored_plan(ws, actor=actor, plan_id=plan_id)
    for leg in legs:
        if leg.stage > plan.stages:
            raise InvalidInput(
                N_("route leg %(leg_start_name)s → %(leg_end_name)s: stage %(stage)s is not "
                   "in plan %(plan_id)s (stages 1..%(stages)s)"),
                leg_start_name=leg.leg.start.name, leg_end_name=leg.leg.end.name, stage=leg.stage,
                plan_id=plan.id, stages=plan.stages,
            )
    with ws.store.transaction() as tx:
        ws.repos.handover.replace_routes(tx, plan.id, legs)
        record_event(tx, actor=actor, action="transport.routes", target=f"plan:{plan.id}",
                     payload={"legs": [{"stage": leg.stage, **leg.as_data()} for leg in legs]})
    return plan.id


def stage_routes(ws: Workspace, *, actor: Actor, plan_id: int, stage: int) -> list[dict[str,
                                                                                        str]]:
    actor.require(Action.READ_LISTS)
    with ws.store.reading() as tx:
        return ws.repos.handover.routes(tx, plan_id, stage)


def entries_by_side(ws: Workspace, *, actor: Actor, plan: StoredPlan) -> dict[str, dict[str,
                                                                                      Entry]]:
    return {
        "give": {e.key: e for e in list_entries(ws, actor=actor, name=plan.give_list)},
        "receive": {e.key: e for e in list_entries(ws, actor=actor, name=plan.receive_list)},
    }


def travellers(plan: StoredPlan, entries: Mapping[str, Mapping[str, Entry]],
               stage: int | None = None) -> list[Traveller]:
    """The plan's scheduled people in plan order (priority: the seriously wounded first)."""
    out = []
    for a in sorted(plan.assignments, key=lambda a: (a.side, a.stage or 0, a.rank)):
        if a.stage is None or (stage is not None and a.stage != stage):
            continue
        entry = entries[a.side].get(a.record_id)
        cannot_sit = entry is not None and entry.facts.get("cannot_sit", "").lower() in _TRUE
        out.append(Traveller(record_id=a.record_id, side=a.side, stage=a.stage,
                             needs_stretcher=a.seriously_wounded or cannot_sit))
    return out


def assign_transport(ws: Workspace, *, actor: Actor, plan_id: int | None,
                     vehicles: Sequence[Vehicle]) -> tuple[int, ConvoyPlan]:
    """Seat every planned person of each stage the vehicles serve; store fleet and manifest."""
    actor.require(Action.HANDOVER)
    plan = stored_plan(ws, actor=actor, plan_id=plan_id)
    for v in vehicles:
        if v.stage > plan.stages:
            raise InvalidInput(
                N_("vehicle %(vehicle_id)s: stage %(stage)s is not in plan %(plan_id)s "
                   "(stages 1..%(stages)s)"),
                vehicle_id=v.vehicle_id, stage=v.stage, plan_id=plan.id, stages=plan.stages,
            )
    entries = entries_by_side(ws, actor=actor, plan=plan)
    people = travellers(plan, entries)
    convoy = assign_convoys(people, vehicles)
    with ws.store.transaction() as tx:
        ws.repos.handover.replace_fleet(tx, plan.id, vehicles, convoy.seats)
        record_event(tx, actor=actor, action="transport.assign", target=f"plan:{plan.id}",
                     payload={"vehicles": len(vehicles), "seated": len(convoy.seats),
                              "vehicles_used": {str(k): v for k, v in
                                                convoy.vehicles_used.items()},
                              "status": convoy.status})
    return plan.id, convoy


@dataclass(frozen=True, slots=True)
class ManifestLine:
    record_id: str
    side: str
    stage: int
    vehicle_id: str
    place: str
    person: Mapping[str, Any]  # redacted identity fields


def manifest(ws: Workspace, *, actor: Actor, plan_id: int | None = None,
             stage: int | None = None) -> tuple[StoredPlan, list[ManifestLine]]:
    """The stored manifest (one stage or all), each person's identity fields redacted for the
    actor, in vehicle order."""
    actor.require(Action.READ_LISTS)
    plan = stored_plan(ws, actor=actor, plan_id=plan_id)
    with ws.store.reading() as tx:
        seats = ws.repos.handover.seats(tx, plan.id, stage)
    if not seats:
        if stage:
            raise NotFound(N_("no manifest for plan %(plan_id)s stage %(stage)s (run 'parley "
                              "transport assign' first)"), plan_id=plan.id, stage=stage)
        raise NotFound(N_("no manifest for plan %(plan_id)s (run 'parley transport assign' "
                          "first)"), plan_id=plan.id)
    entries = entries_by_side(ws, actor=actor, plan=plan)
    out = []
    for s in seats:
        entry = entries[s.side].get(s.record_id)
        # A seat comes from the plan, which the reader may read whole; an entry they may not see
        # (drawn from a source above their clearance or need-to-know) is withheld, field by
        # field, so the page says "withheld" where a list page would, never a blank.
        shown: Mapping[str, Any] = {WITHHELD: PERSON_COLUMNS}
        if entry is not None:
            shown = redact(actor, Kind.LIST_ENTRY, {
                "family_name": entry.family_name, "given_name": entry.given_name,
                "patronymic": entry.patronymic, "birth_date": entry.birth_date,
                "service_number": entry.facts.get("service_number", ""),
                "category": entry.category}, op=Op.EXPORT)
        out.append(ManifestLine(record_id=s.record_id, side=s.side, stage=s.stage,
                                vehicle_id=s.vehicle_id, place=s.place, person=shown))
    out.sort(key=lambda m: (m.stage, m.vehicle_id, m.side, m.place != "stretcher", m.record_id))
    return plan, out


def manifest_csv(lines: Sequence[ManifestLine], *, identity: bool = False) -> str:
    """``record_id,side,stage,vehicle_id,place`` (the interface scripts use), and with
    ``identity`` the person's name and birth date too (the stage kit)."""
    out = io.StringIO()
    writer = export_writer(out, lineterminator="\n")
    writer.writerow([*MANIFEST_COLUMNS, *(PERSON_COLUMNS if identity else ())])
    for m in lines:
        extra = [str(m.person.get(c, "")) for c in PERSON_COLUMNS] if identity else []
        writer.writerow([m.record_id, m.side, m.stage, m.vehicle_id, m.place, *extra])
    return out.getvalue()


def read_roster(path: Path | None) -> list[dict[str, str]]:
    """The delegation roster (our staff, medics, the mediator's people): name, role,
    organisation."""
    if path is None:
        return []
    rows = []
    with small_csv(path, ROSTER_COLUMNS) as reader:
        for line, row in enumerate(reader, start=2):
            if not (row.get("name") or "").strip():
                raise InvalidInput(
                    N_("%(path_name)s, line %(line)s, field name: empty"),
                    path_name=path.name, line=line,
                )
            rows.append({c: (row.get(c) or "").strip() for c in ROSTER_COLUMNS})
    return rows


def stage_kit(ws: Workspace, *, actor: Actor, plan_id: int | None, stage: int,
              roster: Sequence[Mapping[str, str]] = ()) -> bytes:
    """The signed stage kit the field team takes offline: the stage manifest with identity
    fields, its vehicles and the delegation roster, as a DSSE bundle signed with the staff key
    (``parley-verify bundle KIT --key HQ.pub``)."""
    from parley.services.audit import LOG_SIGNER, latest_checkpoint
    from parley.services.keys import agency_signer
    from parley.trust.bundle import build_bundle

    actor.require(Action.HANDOVER)
    plan, lines = manifest(ws, actor=actor, plan_id=plan_id, stage=stage)
    with ws.store.reading() as tx:
        fleet = ws.repos.handover.vehicles(tx, plan.id, stage)
        route = ws.repos.handover.routes(tx, plan.id, stage)
    body = manifest_csv(lines, identity=True)
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
    with ws.store.transaction() as tx:
        record_event(tx, actor=actor, action="transport.kit", target=f"plan:{plan.id}",
                     payload={"stage": stage, "manifest_sha256": digest, "rows": len(lines)})
    anchor = latest_checkpoint(ws)
    kit_manifest = {
        "kind": "stage-kit", "list": f"plan {plan.id} stage {stage} manifest", "plan": plan.id,
        "stage": stage, "version": 1, "manifest_sha256": digest,
        "vehicles": [{"vehicle_id": v.vehicle_id, "kind": v.kind.value, "seats": v.seats,
                      "stretchers": v.stretchers, "medics": v.medics} for v in fleet],
        "roster": [dict(r) for r in roster], "route": route,
        "checkpoint": ({"size": anchor.size, "root_hash": anchor.root_hash, "note": anchor.note}
                       if anchor else None),
    }
    return build_bundle(kit_manifest, body, [agency_signer(ws, LOG_SIGNER)])
