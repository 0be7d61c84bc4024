"""Handover use cases: check-in at the handover point, the parity board, incidents, closing a
stage with its signed protocol, and what follows for lists and registry.

The people of a stage are the plan's active assignments in it plus anyone already checked in
there (a person replaced after declining stays on the record with their outcome).
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from parley.clock import utcnow
from parley.domain.actors import Action, Actor
from parley.domain.exchange_day.board import PlannedPerson, StageBoard, build_board
from parley.domain.exchange_day.checkin import CheckIn, contradiction, parse_sheet
from parley.domain.exchange_day.incidents import Incident
from parley.domain.lists import Entry
from parley.errors import (
    N_,
    AccessDenied,
    Conflict,
    InvalidInput,
    NotFound,
    ParityViolation,
    UnreadableFile,
)
from parley.services.journal import record_event
from parley.services.lists import StoredPlan, stored_plan
from parley.services.ports.handover import Closure, Flag, HandoverClash, RecordedCheckIn
from parley.services.workspace import Workspace


@dataclass(frozen=True, slots=True)
class CheckinReport:
    recorded: int
    unchanged: int
    flagged: int
    flags: tuple[Mapping[str, Any], ...] = ()

    def as_data(self) -> dict[str, object]:
        return {"recorded": self.recorded, "unchanged": self.unchanged,
                "flagged": self.flagged, "flags": [dict(f) for f in self.flags]}


@dataclass(frozen=True, slots=True)
class BoardView:
    plan_id: int
    board: StageBoard
    incidents: tuple[Incident, ...]
    flags: tuple[Flag, ...]
    closure: Closure | None
    people: Mapping[tuple[str, str], PlannedPerson] = field(default_factory=dict)

    def as_data(self) -> dict[str, object]:
        return {**self.board.as_data(), "plan": self.plan_id,
                "incidents": [i.as_data() for i in self.incidents],
                "flags": [{"side": f.side, "record_id": f.record_id, "reason": f.reason,
                           "source": f.source, "line": f.line} for f in self.flags],
                "closed": self.closure is not None}


def _require_field_work(actor: Actor) -> None:
    if not (actor.may(Action.HANDOVER) or actor.may(Action.PLAN)):
        actor.require(Action.HANDOVER)


def _stage_people(plan: StoredPlan, stage: int,
                  recorded: Mapping[tuple[str, str], RecordedCheckIn]) -> list[PlannedPerson]:
    if not 1 <= stage <= plan.stages:
        raise NotFound(
            N_("plan %(plan_id)s has no stage %(stage)s (stages 1..%(stages)s)"),
            plan_id=plan.id, stage=stage, stages=plan.stages,
        )
    people: dict[tuple[str, str], PlannedPerson] = {
        (a.side, a.record_id): PlannedPerson(a.record_id, a.side, a.category,
                                             a.seriously_wounded)
        for a in plan.assignments if a.stage == stage}
    categories: dict[tuple[str, str], str] = {(a.side, a.record_id): a.category
                                              for a in plan.assignments}
    for key, rec in recorded.items():
        if rec.stage == stage and key not in people:
            people[key] = PlannedPerson(rec.checkin.record_id, rec.checkin.side,
                                        categories.get(key, "military"))
    return sorted(people.values(), key=lambda p: (p.side, p.record_id))


def _apply(ws: Workspace, *, actor: Actor, plan: StoredPlan, stage: int,
           rows: Sequence[tuple[int, CheckIn]], source: str, digest: str) -> CheckinReport:
    """Two phones checking in the same person at once: the loser's insert hits the unique key;
    one retry then sees the winner's record and compares against it like any other."""
    try:
        return _apply_once(ws, actor=actor, plan=plan, stage=stage, rows=rows, source=source,
                           digest=digest)
    except HandoverClash:
        try:
            return _apply_once(ws, actor=actor, plan=plan, stage=stage, rows=rows,
                               source=source, digest=digest)
        except HandoverClash:
            raise Conflict(
                N_("stage %(stage)s: check-ins arrived at the same time; send %(source)s again"),
                stage=stage, source=source,
            ) from None


def _apply_once(ws: Workspace, *, actor: Actor, plan: StoredPlan, stage: int,
                rows: Sequence[tuple[int, CheckIn]], source: str,
                digest: str) -> CheckinReport:
    with ws.store.transaction() as tx:
        repo = ws.repos.handover
        recorded = repo.checkins(tx, plan.id)
        people = {(p.side, p.record_id) for p in _stage_people(plan, stage, recorded)}
        new: list[CheckIn] = []
        unchanged = 0
        flags: list[dict[str, Any]] = []
        for line, c in rows:
            key = (c.side, c.record_id)
            if key not in people:
                raise InvalidInput(
                    N_("%(source)s, line %(line)s, field record_id: '%(record_id)s' is not on "
                       "the %(side)s side of stage %(stage)s of plan %(plan_id)s"),
                    source=source, line=line, record_id=c.record_id, side=c.side, stage=stage,
                    plan_id=plan.id,
                )
            before = recorded.get(key)
            if before is None:
                new.append(c)
                continue
            why = contradiction(before.checkin, c)
            if why is None:
                unchanged += 1
                continue
            repo.add_flag(tx, plan.id, stage, recorded=before.checkin, incoming=c, source=source,
                          line=line, reason=why, actor=actor.username)
            flags.append({"side": c.side, "record_id": c.record_id, "line": line,
                          "reason": why})
        if new and repo.closure(tx, plan.id, stage) is not None:
            raise Conflict(
                N_("stage %(stage)s of plan %(plan_id)s is closed: %(count)s new check-in(s) "
                   "in %(source)s cannot be added"),
                stage=stage, plan_id=plan.id, count=len(new), source=source,
            )
        repo.add_checkins(tx, plan.id, stage, new, source=source, actor=actor.username)
        if new or flags:
            record_event(tx, actor=actor, action="stage.checkin",
                         target=f"plan:{plan.id}:stage:{stage}",
                         payload={"source": source, "sha256": digest, "recorded": len(new),
                                  "unchanged": unchanged, "flagged": len(flags),
                                  "outcomes": sorted(f"{c.side}:{c.record_id}:{c.outcome.value}"
                                                     for c in new)[:200]})
    return CheckinReport(recorded=len(new), unchanged=unchanged, flagged=len(flags),
                         flags=tuple(flags))


def import_checkin_sheet(ws: Workspace, *, actor: Actor, plan_id: int | None, stage: int,
                         path: Path) -> CheckinReport:
    """Import a check-in sheet brought back from the handover point. Idempotent: rows already
    recorded change nothing; a row that contradicts the record is flagged, never merged."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise UnreadableFile(
            N_("%(path)s: %(strerror)s"),
            path=path, strerror=err.strerror or err,
        ) from None
    return import_checkin_data(ws, actor=actor, plan_id=plan_id, stage=stage, data=data,
                               source=path.name)


def import_checkin_data(ws: Workspace, *, actor: Actor, plan_id: int | None, stage: int,
                        data: bytes, source: str) -> CheckinReport:
    """The same, for a sheet uploaded through the web page (``source`` is its file name)."""
    _require_field_work(actor)
    plan = stored_plan(ws, actor=actor, plan_id=plan_id)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile(N_("%(source)s: not UTF-8 text"), source=source) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = parse_sheet(enumerate(reader, start=2), source=source,
                       header=reader.fieldnames or [])
    return _apply(ws, actor=actor, plan=plan, stage=stage, rows=rows, source=source,
                  digest=hashlib.sha256(data).hexdigest())


def record_checkin(ws: Workspace, *, actor: Actor, plan_id: int | None, stage: int,
                   row: Mapping[str, str]) -> CheckinReport:
    """One check-in from the phone form (the same rules as a sheet row)."""
    _require_field_work(actor)
    plan = stored_plan(ws, actor=actor, plan_id=plan_id)
    rows = parse_sheet([(1, row)], source="check-in form",
                       header=["record_id", "side", "outcome", "will_to_return",
                               "fit_to_travel", "note"])
    return _apply(ws, actor=actor, plan=plan, stage=stage, rows=rows, source="check-in form",
                  digest="")


def stage_board(ws: Workspace, *, actor: Actor, plan_id: int | None, stage: int) -> BoardView:
    actor.require(Action.READ_LISTS)
    plan = stored_plan(ws, actor=actor, plan_id=plan_id)
    with ws.store.reading() as tx:
        repo = ws.repos.handover
        recorded = repo.checkins(tx, plan.id)
        people = _stage_people(plan, stage, recorded)
        board = build_board(stage, people, {k: r.checkin.outcome for k, r in recorded.items()
                                            if r.stage == stage},
                            category_parity=plan.category_parity)
        return BoardView(plan_id=plan.id, board=board,
                         incidents=tuple(repo.incidents(tx, plan.id, stage)),
                         flags=tuple(repo.flags(tx, plan.id, stage)),
                         closure=repo.closure(tx, plan.id, stage),
                         people={(p.side, p.record_id): p for p in people})


def record_incident(ws: Workspace, *, actor: Actor, plan_id: int | None, stage: int, kind: str,
                    severity: str, description: str,
                    occurred_at: datetime | None = None) -> Incident:
    _require_field_work(actor)
    plan = stored_plan(ws, actor=actor, plan_id=plan_id)
    if not 1 <= stage <= plan.stages:
        raise NotFound(N_("plan %(plan_id)s has no stage %(stage)s"), plan_id=plan.id, stage=stage)
    incident = Incident.parse(stage=stage, kind=kind, severity=severity,
                              occurred_at=occurred_at or utcnow(), description=description)
    with ws.store.transaction() as tx:
        ws.repos.handover.add_incident(tx, plan.id, incident, actor=actor.username)
        record_event(tx, actor=actor, action="stage.incident",
                     target=f"plan:{plan.id}:stage:{stage}", payload=incident.as_data())
    return incident


def stage_protocol(ws: Workspace, *, actor: Actor, plan_id: int | None, stage: int) -> bytes:
    """The stored signed protocol of a closed stage."""
    actor.require(Action.READ_LISTS)
    plan = stored_plan(ws, actor=actor, plan_id=plan_id)
    with ws.store.reading() as tx:
        closure = ws.repos.handover.closure(tx, plan.id, stage)
    if closure is None:
        raise NotFound(
            N_("stage %(stage)s of plan %(plan_id)s is not closed: no protocol yet"),
            stage=stage, plan_id=plan.id,
        )
    return closure.protocol.encode("utf-8")


def _entries(ws: Workspace, actor: Actor, plan: StoredPlan) -> dict[str, dict[str, Entry]]:
    from parley.services.logistics import entries_by_side

    return entries_by_side(ws, actor=actor, plan=plan)


def close_stage(ws: Workspace, *, actor: Actor, plan_id: int | None, stage: int,
                imbalance_reason: str | None = None, cosigners: Sequence[str] = (),
                handover_point: str = "") -> bytes:
    """Close a stage: refused while anyone is unchecked, and while handed over and received
    differ unless the coordinator records the imbalance with a reason. Writes the signed stage
    protocol, audits it (its hash in the ``stage.close`` event, so the next checkpoint anchors
    it) and moves list entries and registry persons on."""
    _require_field_work(actor)
    reason = (imbalance_reason or "").strip() or None
    if reason is not None and not actor.may(Action.PLAN):
        raise AccessDenied(
            N_("%(username)s may not record an imbalance: the coordinator does"),
            username=actor.username,
        )
    view = stage_board(ws, actor=actor, plan_id=plan_id, stage=stage)
    plan = stored_plan(ws, actor=actor, plan_id=view.plan_id)
    if view.closure is not None:
        raise Conflict(
            N_("stage %(stage)s of plan %(plan_id)s is already closed (protocol "
               "%(protocol_sha256)s…)"),
            stage=stage, plan_id=plan.id, protocol_sha256=view.closure.protocol_sha256[:12],
        )
    board = view.board
    if board.pending:
        first = next(i for ids in board.left.values() for i in ids)
        raise Conflict(
            N_("stage %(stage)s: %(pending)s people have no check-in yet (%(first)s first); "
               "record them, as absent if they did not arrive"),
            stage=stage, pending=board.pending, first=first,
        )
    if not board.balanced and reason is None:
        cats = ", ".join(f"{c} {v['give']}/{v['receive']}" for c, v in board.by_category.items())
        raise ParityViolation(
            N_("stage %(stage)s is out of parity: %(handed_over)s handed over, %(received)s "
               "received (%(cats)s); substitute from the reserve or close with "
               "--imbalance-reason"),
            stage=stage, handed_over=board.counts['give']['transferred'],
            received=board.counts['receive']['transferred'], cats=cats,
        )
    entries = _entries(ws, actor, plan)
    closed_at = utcnow()
    try:
        protocol = _close(ws, actor=actor, plan=plan, stage=stage, view=view,
                                  entries=entries, closed_at=closed_at, reason=reason,
                                  handover_point=handover_point, cosigners=cosigners)
    except HandoverClash:
        raise Conflict(
            N_("stage %(stage)s of plan %(plan_id)s was closed meanwhile"),
            stage=stage, plan_id=plan.id,
        ) from None
    if actor.may(Action.SIGN_CHECKPOINT):
        from parley.services.audit import write_checkpoint

        write_checkpoint(ws, actor=actor, cosigners=())
    return protocol


def _close(ws: Workspace, *, actor: Actor, plan: StoredPlan, stage: int, view: BoardView,
           entries: Mapping[str, Mapping[str, Entry]], closed_at: datetime,
           reason: str | None, handover_point: str,
           cosigners: Sequence[str]) -> bytes:
    """One transaction: closure, protocol, list and registry changes, their audit events."""
    from parley.services.protocols import build_stage_protocol, settle_lists

    board = view.board
    with ws.store.transaction() as tx:
        repo = ws.repos.handover
        recorded = {k: r for k, r in repo.checkins(tx, plan.id, stage).items()}
        protocol = build_stage_protocol(
            ws, plan=plan, view=view, recorded=recorded, entries=entries,
            seats=repo.seats(tx, plan.id, stage), vehicles=repo.vehicles(tx, plan.id, stage),
            route=repo.routes(tx, plan.id, stage),
            closed_at=closed_at, closed_by=actor.username, imbalance_reason=reason,
            handover_point=handover_point, cosigners=cosigners)
        digest = hashlib.sha256(protocol).hexdigest()
        repo.add_closure(tx, plan.id, stage, actor=actor.username, closed_at=closed_at,
                         imbalance_reason=reason, protocol=protocol, digest=digest)
        if reason is not None:
            record_event(tx, actor=actor, action="stage.imbalance",
                         target=f"plan:{plan.id}:stage:{stage}",
                         payload={"reason": reason, "imbalance": board.imbalance})
        released = settle_lists(tx, actor=actor, plan=plan, stage=stage, recorded=recorded)
        released_ids = repo.release_persons(tx, released)
        for pid in released_ids:
            record_event(tx, actor=actor, action="person.status", target=f"person:{pid}",
                         payload={"status": "released", "plan": plan.id, "stage": stage})
        record_event(tx, actor=actor, action="stage.close",
                     target=f"plan:{plan.id}:stage:{stage}",
                     payload={"protocol_sha256": digest, "balanced": board.balanced,
                              "imbalance_reason": reason,
                              "give": dict(board.counts["give"]),
                              "receive": dict(board.counts["receive"]),
                              "released": released_ids})
    return protocol
