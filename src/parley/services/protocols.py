"""The stage protocol (its body and signature) and the settling of lists after a stage.

Called by ``parley.services.handover.close_stage`` inside its transaction; ``cosign_protocol``
adds the mediator's (or another agency's) signature to a stored protocol.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from parley.domain.actors import Action, Actor
from parley.domain.exchange_day.aftermath import after_handover
from parley.domain.exchange_day.checkin import Outcome
from parley.domain.exchange_day.fleet import Seat, Vehicle
from parley.domain.lists import Entry
from parley.errors import N_, Conflict, NotFound
from parley.services.journal import record_event
from parley.services.list_store import entries_at as _entries_at
from parley.services.list_store import list_row as _list_row
from parley.services.lists import StoredPlan, _write_version, stored_plan
from parley.services.ports import Tx
from parley.services.ports.handover import RecordedCheckIn
from parley.services.workspace import Workspace
from parley.trust.errors import TrustError

if TYPE_CHECKING:
    from parley.services.handover import BoardView


def build_stage_protocol(
    ws: Workspace, *, plan: StoredPlan, view: BoardView,
    recorded: Mapping[tuple[str, str], RecordedCheckIn],
    entries: Mapping[str, Mapping[str, Entry]], seats: Sequence[Seat],
    vehicles: Sequence[Vehicle], route: Sequence[Mapping[str, str]], closed_at: datetime,
    closed_by: str,
    imbalance_reason: str | None, handover_point: str, cosigners: Sequence[str],
) -> bytes:
    from parley.services.audit import LOG_SIGNER, latest_checkpoint
    from parley.services.keys import agency_signer
    from parley.trust.protocol import build_protocol

    board = view.board
    seat_of: dict[tuple[str, str], Seat] = {(s.side, s.record_id): s for s in seats}
    persons: list[dict[str, Any]] = []
    for key, person in sorted(view.people.items()):
        rec = recorded[key]
        entry = entries[person.side].get(person.record_id)
        seat = seat_of.get(key)
        persons.append({
            "record_id": person.record_id, "side": person.side, "category": person.category,
            "family_name": entry.family_name if entry else "",
            "given_name": entry.given_name if entry else "",
            "birth_date": entry.birth_date if entry else "",
            "vehicle_id": seat.vehicle_id if seat else "", "place": seat.place if seat else "",
            "outcome": rec.checkin.outcome.value, "will_to_return": rec.checkin.will_to_return,
            "fit_to_travel": rec.checkin.fit_to_travel, "note": rec.checkin.note,
            "checked_in_at": rec.recorded_at.isoformat(timespec="seconds"),
        })
    times = [r.recorded_at for r in recorded.values()]
    anchor = latest_checkpoint(ws)
    body = {
        "format": "parley-stage-protocol/1", "plan": plan.id, "stage": board.stage,
        "give_list": plan.give_list, "receive_list": plan.receive_list,
        "opened_at": min(times).isoformat(timespec="seconds") if times else None,
        "closed_at": closed_at.isoformat(timespec="seconds"), "closed_by": closed_by,
        "places": {"handover_point": handover_point or next(
            (leg["to"] for leg in route if leg.get("to_kind") == "handover"), ""),
            "route": [dict(leg) for leg in route]},
        "vehicles": [{"vehicle_id": v.vehicle_id, "kind": v.kind.value, "seats": v.seats,
                      "stretchers": v.stretchers, "medics": v.medics} for v in vehicles],
        "persons": persons,
        "counts": {"give": dict(board.counts["give"]),
                   "receive": dict(board.counts["receive"])},
        "by_category": {c: dict(v) for c, v in board.by_category.items()},
        "category_parity": board.category_parity, "balanced": board.balanced,
        "imbalance_reason": imbalance_reason,
        "incidents": [i.as_data() for i in view.incidents],
        "substitutions": [dict(s) for s in plan.substitutions if s.get("stage") == board.stage],
        "open_flags": len(view.flags),
        "checkpoint": ({"size": anchor.size, "root_hash": anchor.root_hash}
                       if anchor else None),
    }
    signers = [agency_signer(ws, code) for code in dict.fromkeys([LOG_SIGNER, *cosigners])]
    return build_protocol(body, signers)


def settle_lists(tx: Tx, *, actor: Actor, plan: StoredPlan, stage: int,
                 recorded: Mapping[tuple[str, str], RecordedCheckIn]) -> list[int]:
    """Move each checked-in person's list entry on (one new version per list); returns the
    registry person ids of those transferred."""
    released: list[int] = []
    for side, name in (("give", plan.give_list), ("receive", plan.receive_list)):
        lst = _list_row(tx, name)
        current = {e.key: e for e in _entries_at(tx, lst)}
        changed: list[Entry] = []
        for (rec_side, record_id), rec in sorted(recorded.items()):
            entry = current.get(record_id)
            if rec_side != side or entry is None:
                continue
            try:
                new = after_handover(entry, rec.checkin, stage=stage, plan_id=plan.id)
            except Conflict as err:
                record_event(tx, actor=actor, action="stage.settle_refused",
                             target=f"list:{name}", payload={"key": record_id,
                                                             "reason": str(err)})
                continue
            if new != entry:
                changed.append(new)
            if rec.checkin.outcome is Outcome.TRANSFERRED and entry.person_id is not None:
                released.append(entry.person_id)
        if changed:
            _write_version(tx, lst, actor=actor, changed=changed,
                           note=f"stage {stage} of plan {plan.id} closed: {len(changed)} "
                                f"entries moved on", action="list.update")
    return released


def cosign_protocol(ws: Workspace, *, actor: Actor, plan_id: int | None, stage: int,
                    agency: str) -> bytes:
    """Add an agency's signature (the mediator's: MED) to the stored protocol of a stage."""
    from parley.services.keys import agency_signer
    from parley.trust.protocol import cosign

    actor.require(Action.SIGN_CHECKPOINT)
    plan = stored_plan(ws, actor=actor, plan_id=plan_id)
    with ws.store.transaction() as tx:
        repo = ws.repos.handover
        closure = repo.closure(tx, plan.id, stage)
        if closure is None:
            raise NotFound(N_("stage %(stage)s of plan %(plan_id)s is not closed: no protocol yet"),
                           stage=stage, plan_id=plan.id)
        try:
            signed = cosign(closure.protocol.encode("utf-8"), agency_signer(ws, agency))
        except TrustError as err:
            raise Conflict(err.template, **err.values) from None
        digest = hashlib.sha256(signed).hexdigest()
        repo.set_protocol(tx, plan.id, stage, signed, digest)
        record_event(tx, actor=actor, action="stage.cosign",
                     target=f"plan:{plan.id}:stage:{stage}",
                     payload={"agency": agency, "protocol_sha256": digest})
    return signed
