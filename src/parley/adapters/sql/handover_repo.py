"""Storage of the exchange day behind one repository: fleet and manifest, check-ins and flags,
incidents, closures. Services call these methods inside their own transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from parley.adapters.sql.handover_tables import (
    CheckinFlagRow,
    ManifestSeatRow,
    StageCheckinRow,
    StageClosureRow,
    StageIncidentRow,
    StageRouteLeg,
    StageVehicle,
)
from parley.domain.exchange_day.checkin import CheckIn, Outcome, YesNo
from parley.domain.exchange_day.fleet import Seat, StageLeg, Vehicle, VehicleKind
from parley.domain.exchange_day.incidents import Incident, IncidentKind, Severity
from parley.domain.plan import Side


def _side(text: str) -> Side:
    return "give" if text == "give" else "receive"


def _yes_no(text: str) -> YesNo:
    return "yes" if text == "yes" else "no" if text == "no" else ""


@dataclass(frozen=True, slots=True)
class RecordedCheckIn:
    checkin: CheckIn
    stage: int
    recorded_by: str
    recorded_at: datetime
    source: str


@dataclass(frozen=True, slots=True)
class Flag:
    side: str
    record_id: str
    source: str
    line: int
    recorded: dict[str, Any]
    incoming: dict[str, Any]
    reason: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Closure:
    stage: int
    closed_by: str
    closed_at: datetime
    imbalance_reason: str | None
    protocol_sha256: str
    protocol: str


class HandoverRepository:
    def __init__(self, tx: Session) -> None:
        self.tx = tx

    # -- fleet and manifest
    def replace_fleet(self, plan_id: int, vehicles: Sequence[Vehicle],
                      seats: Sequence[Seat]) -> None:
        """The stages named by the vehicles get this fleet and manifest (others are kept)."""
        stages = sorted({v.stage for v in vehicles} | {s.stage for s in seats})
        for table in (StageVehicle, ManifestSeatRow):
            self.tx.execute(delete(table).where(table.plan_id == plan_id,
                                                table.stage.in_(stages)))
        self.tx.add_all(StageVehicle(plan_id=plan_id, stage=v.stage, vehicle_id=v.vehicle_id,
                                     kind=v.kind.value, seats=v.seats, stretchers=v.stretchers,
                                     medics=v.medics) for v in vehicles)
        self.tx.add_all(ManifestSeatRow(plan_id=plan_id, stage=s.stage, side=s.side,
                                        record_id=s.record_id, vehicle_id=s.vehicle_id,
                                        place=s.place) for s in seats)
        self.tx.flush()

    def vehicles(self, plan_id: int, stage: int | None = None) -> list[Vehicle]:
        query = select(StageVehicle).where(StageVehicle.plan_id == plan_id)
        if stage is not None:
            query = query.where(StageVehicle.stage == stage)
        return [Vehicle(vehicle_id=r.vehicle_id, kind=VehicleKind(r.kind), seats=r.seats,
                        stretchers=r.stretchers, medics=r.medics, stage=r.stage)
                for r in self.tx.scalars(query.order_by(StageVehicle.id))]

    def seats(self, plan_id: int, stage: int | None = None) -> list[Seat]:
        query = select(ManifestSeatRow).where(ManifestSeatRow.plan_id == plan_id)
        if stage is not None:
            query = query.where(ManifestSeatRow.stage == stage)
        return [Seat(record_id=r.record_id, side=_side(r.side), stage=r.stage,
                     vehicle_id=r.vehicle_id,
                     place="stretcher" if r.place == "stretcher" else "seat")
                for r in self.tx.scalars(query.order_by(ManifestSeatRow.id))]

    def replace_routes(self, plan_id: int, legs: Sequence[StageLeg]) -> None:
        """The stages named get these legs, in order (other stages keep theirs)."""
        stages = sorted({leg.stage for leg in legs})
        self.tx.execute(delete(StageRouteLeg).where(StageRouteLeg.plan_id == plan_id,
                                                    StageRouteLeg.stage.in_(stages)))
        self.tx.add_all(StageRouteLeg(plan_id=plan_id, stage=leg.stage, seq=i,
                                      leg=leg.as_data()) for i, leg in enumerate(legs))
        self.tx.flush()

    def routes(self, plan_id: int, stage: int) -> list[dict[str, str]]:
        rows = self.tx.scalars(select(StageRouteLeg).where(
            StageRouteLeg.plan_id == plan_id, StageRouteLeg.stage == stage)
            .order_by(StageRouteLeg.seq))
        return [{k: str(v) for k, v in r.leg.items()} for r in rows]

    # -- check-ins
    def checkins(self, plan_id: int, stage: int | None = None) -> dict[tuple[str, str],
                                                                        RecordedCheckIn]:
        query = select(StageCheckinRow).where(StageCheckinRow.plan_id == plan_id)
        if stage is not None:
            query = query.where(StageCheckinRow.stage == stage)
        out: dict[tuple[str, str], RecordedCheckIn] = {}
        for r in self.tx.scalars(query):
            out[(r.side, r.record_id)] = RecordedCheckIn(
                checkin=CheckIn(record_id=r.record_id, side=_side(r.side),
                                outcome=Outcome(r.outcome),
                                will_to_return=_yes_no(r.will_to_return),
                                fit_to_travel=_yes_no(r.fit_to_travel), note=r.note),
                stage=r.stage, recorded_by=r.recorded_by, recorded_at=r.recorded_at,
                source=r.source)
        return out

    def add_checkins(self, plan_id: int, stage: int, checkins: Iterable[CheckIn], *,
                     source: str, actor: str) -> None:
        self.tx.add_all(StageCheckinRow(
            plan_id=plan_id, stage=stage, side=c.side, record_id=c.record_id,
            outcome=c.outcome.value, will_to_return=c.will_to_return,
            fit_to_travel=c.fit_to_travel, note=c.note, source=source, recorded_by=actor,
        ) for c in checkins)
        self.tx.flush()

    def add_flag(self, plan_id: int, stage: int, *, recorded: CheckIn, incoming: CheckIn,
                 source: str, line: int, reason: str, actor: str) -> bool:
        """Keep a contradiction once (the same flag from a re-import is not added twice)."""
        incoming_data = {**incoming.facts(), "note": incoming.note}
        exists = self.tx.scalars(select(CheckinFlagRow.id).where(
            CheckinFlagRow.plan_id == plan_id, CheckinFlagRow.side == incoming.side,
            CheckinFlagRow.record_id == incoming.record_id,
            CheckinFlagRow.reason == reason)).first()
        if exists is not None:
            return False
        self.tx.add(CheckinFlagRow(plan_id=plan_id, stage=stage, side=incoming.side,
                                   record_id=incoming.record_id, source=source, line=line,
                                   recorded={**recorded.facts(), "note": recorded.note},
                                   incoming=incoming_data, reason=reason, created_by=actor))
        self.tx.flush()
        return True

    def flags(self, plan_id: int, stage: int) -> list[Flag]:
        rows = self.tx.scalars(select(CheckinFlagRow).where(
            CheckinFlagRow.plan_id == plan_id, CheckinFlagRow.stage == stage)
            .order_by(CheckinFlagRow.id))
        return [Flag(side=r.side, record_id=r.record_id, source=r.source, line=r.line,
                     recorded=dict(r.recorded), incoming=dict(r.incoming), reason=r.reason,
                     created_at=r.created_at) for r in rows]

    # -- incidents
    def add_incident(self, plan_id: int, incident: Incident, *, actor: str) -> None:
        self.tx.add(StageIncidentRow(plan_id=plan_id, stage=incident.stage,
                                     kind=incident.kind.value, severity=incident.severity.value,
                                     occurred_at=incident.occurred_at,
                                     description=incident.description, recorded_by=actor))
        self.tx.flush()

    def incidents(self, plan_id: int, stage: int) -> list[Incident]:
        rows = self.tx.scalars(select(StageIncidentRow).where(
            StageIncidentRow.plan_id == plan_id, StageIncidentRow.stage == stage)
            .order_by(StageIncidentRow.occurred_at, StageIncidentRow.id))
        return [Incident(stage=r.stage, kind=IncidentKind(r.kind), severity=Severity(r.severity),
                         occurred_at=r.occurred_at, description=r.description) for r in rows]

    # -- closing
    def closure(self, plan_id: int, stage: int) -> Closure | None:
        r = self.tx.scalars(select(StageClosureRow).where(
            StageClosureRow.plan_id == plan_id, StageClosureRow.stage == stage)).first()
        if r is None:
            return None
        return Closure(stage=r.stage, closed_by=r.closed_by, closed_at=r.closed_at,
                       imbalance_reason=r.imbalance_reason, protocol_sha256=r.protocol_sha256,
                       protocol=r.protocol)

    def add_closure(self, plan_id: int, stage: int, *, actor: str, closed_at: datetime,
                    imbalance_reason: str | None, protocol: bytes, digest: str) -> None:
        self.tx.add(StageClosureRow(plan_id=plan_id, stage=stage, closed_by=actor,
                                    closed_at=closed_at, imbalance_reason=imbalance_reason,
                                    protocol_sha256=digest, protocol=protocol.decode("utf-8")))
        self.tx.flush()

    def set_protocol(self, plan_id: int, stage: int, protocol: bytes, digest: str) -> None:
        row = self.tx.scalars(select(StageClosureRow).where(
            StageClosureRow.plan_id == plan_id, StageClosureRow.stage == stage)).one()
        row.protocol = protocol.decode("utf-8")
        row.protocol_sha256 = digest
        self.tx.flush()


def release_persons(tx: Session, person_ids: Sequence[int]) -> list[int]:
    """Registry persons whose status becomes ``released``; returns those that changed."""
    from parley.adapters.sql.base import utcnow
    from parley.adapters.sql.tables import Person

    changed: list[int] = []
    if not person_ids:
        return changed
    for person in tx.scalars(select(Person).where(Person.id.in_(list(person_ids)))):
        if person.status != "released":
            person.status = "released"
            person.updated_at = utcnow()
            changed.append(person.id)
    tx.flush()
    return sorted(changed)
