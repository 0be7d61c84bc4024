"""The exchange day in SQL (the ``Handover`` port): fleet and manifest, check-ins and flags,
incidents, closures. A unique key that another transaction took first becomes ``HandoverClash``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
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
from parley.adapters.sql.session import session_of
from parley.adapters.sql.tables import Person
from parley.clock import utcnow
from parley.domain.exchange_day.checkin import CheckIn, Outcome, YesNo
from parley.domain.exchange_day.fleet import Seat, StageLeg, Vehicle, VehicleKind
from parley.domain.exchange_day.incidents import Incident, IncidentKind, Severity
from parley.domain.plan import Side
from parley.services.ports import Tx
from parley.services.ports.handover import Closure, Flag, HandoverClash, RecordedCheckIn


def _side(text: str) -> Side:
    return "give" if text == "give" else "receive"


def _yes_no(text: str) -> YesNo:
    return "yes" if text == "yes" else "no" if text == "no" else ""


def _flush(session: Session) -> None:
    try:
        session.flush()
    except IntegrityError as err:
        raise HandoverClash(str(err.orig)[:300]) from err


class SqlHandover:
    # -- fleet and manifest
    def replace_fleet(self, tx: Tx, plan_id: int, vehicles: Sequence[Vehicle],
                      seats: Sequence[Seat]) -> None:
        """The stages named by the vehicles get this fleet and manifest (others are kept)."""
        stages = sorted({v.stage for v in vehicles} | {s.stage for s in seats})
        for table in (StageVehicle, ManifestSeatRow):
            session_of(tx).execute(delete(table).where(table.plan_id == plan_id,
                                                table.stage.in_(stages)))
        session_of(tx).add_all(StageVehicle(plan_id=plan_id, stage=v.stage, vehicle_id=v.vehicle_id,
                                     kind=v.kind.value, seats=v.seats, stretchers=v.stretchers,
                                     medics=v.medics) for v in vehicles)
        session_of(tx).add_all(ManifestSeatRow(plan_id=plan_id, stage=s.stage, side=s.side,
                                        record_id=s.record_id, vehicle_id=s.vehicle_id,
                                        place=s.place) for s in seats)
        _flush(session_of(tx))

    def vehicles(self, tx: Tx, plan_id: int, stage: int | None = None) -> list[Vehicle]:
        query = select(StageVehicle).where(StageVehicle.plan_id == plan_id)
        if stage is not None:
            query = query.where(StageVehicle.stage == stage)
        return [Vehicle(vehicle_id=r.vehicle_id, kind=VehicleKind(r.kind), seats=r.seats,
                        stretchers=r.stretchers, medics=r.medics, stage=r.stage)
                for r in session_of(tx).scalars(query.order_by(StageVehicle.id))]

    def seats(self, tx: Tx, plan_id: int, stage: int | None = None) -> list[Seat]:
        query = select(ManifestSeatRow).where(ManifestSeatRow.plan_id == plan_id)
        if stage is not None:
            query = query.where(ManifestSeatRow.stage == stage)
        return [Seat(record_id=r.record_id, side=_side(r.side), stage=r.stage,
                     vehicle_id=r.vehicle_id,
                     place="stretcher" if r.place == "stretcher" else "seat")
                for r in session_of(tx).scalars(query.order_by(ManifestSeatRow.id))]

    def replace_routes(self, tx: Tx, plan_id: int, legs: Sequence[StageLeg]) -> None:
        """The stages named get these legs, in order (other stages keep theirs)."""
        stages = sorted({leg.stage for leg in legs})
        session_of(tx).execute(delete(StageRouteLeg).where(StageRouteLeg.plan_id == plan_id,
                                                    StageRouteLeg.stage.in_(stages)))
        session_of(tx).add_all(StageRouteLeg(plan_id=plan_id, stage=leg.stage, seq=i,
                                      leg=leg.as_data()) for i, leg in enumerate(legs))
        _flush(session_of(tx))

    def routes(self, tx: Tx, plan_id: int, stage: int) -> list[dict[str, str]]:
        rows = session_of(tx).scalars(select(StageRouteLeg).where(
            StageRouteLeg.plan_id == plan_id, StageRouteLeg.stage == stage)
            .order_by(StageRouteLeg.seq))
        return [{k: str(v) for k, v in r.leg.items()} for r in rows]

    # -- check-ins
    def checkins(self, tx: Tx, plan_id: int, stage: int | None = None) -> dict[tuple[str, str],
                                                                        RecordedCheckIn]:
        query = select(StageCheckinRow).where(StageCheckinRow.plan_id == plan_id)
        if stage is not None:
            query = query.where(StageCheckinRow.stage == stage)
        out: dict[tuple[str, str], RecordedCheckIn] = {}
        for r in session_of(tx).scalars(query):
            out[(r.side, r.record_id)] = RecordedCheckIn(
                checkin=CheckIn(record_id=r.record_id, side=_side(r.side),
                                outcome=Outcome(r.outcome),
                                will_to_return=_yes_no(r.will_to_return),
                                fit_to_travel=_yes_no(r.fit_to_travel), note=r.note),
                stage=r.stage, recorded_by=r.recorded_by, recorded_at=r.recorded_at,
                source=r.source)
        return out

    def add_checkins(self, tx: Tx, plan_id: int, stage: int, checkins: Iterable[CheckIn], *,
                     source: str, actor: str) -> None:
        session_of(tx).add_all(StageCheckinRow(
            plan_id=plan_id, stage=stage, side=c.side, record_id=c.record_id,
            outcome=c.outcome.value, will_to_return=c.will_to_return,
            fit_to_travel=c.fit_to_travel, note=c.note, source=source, recorded_by=actor,
        ) for c in checkins)
        _flush(session_of(tx))

    def add_flag(self, tx: Tx, plan_id: int, stage: int, *, recorded: CheckIn, incoming: CheckIn,
                 source: str, line: int, reason: str, actor: str) -> bool:
        """Keep a contradiction once (the same flag from a re-import is not added twice)."""
        incoming_data = {**incoming.facts(), "note": incoming.note}
        exists = session_of(tx).scalars(select(CheckinFlagRow.id).where(
            CheckinFlagRow.plan_id == plan_id, CheckinFlagRow.side == incoming.side,
            CheckinFlagRow.record_id == incoming.record_id,
            CheckinFlagRow.reason == reason)).first()
        if exists is not None:
            return False
        session_of(tx).add(CheckinFlagRow(plan_id=plan_id, stage=stage, side=incoming.side,
                                   record_id=incoming.record_id, source=source, line=line,
                                   recorded={**recorded.facts(), "note": recorded.note},
                                   incoming=incoming_data, reason=reason, created_by=actor))
        _flush(session_of(tx))
        return True

    def flags(self, tx: Tx, plan_id: int, stage: int) -> list[Flag]:
        rows = session_of(tx).scalars(select(CheckinFlagRow).where(
            CheckinFlagRow.plan_id == plan_id, CheckinFlagRow.stage == stage)
            .order_by(CheckinFlagRow.id))
        return [Flag(side=r.side, record_id=r.record_id, source=r.source, line=r.line,
                     recorded=dict(r.recorded), incoming=dict(r.incoming), reason=r.reason,
                     created_at=r.created_at) for r in rows]

    # -- incidents
    def add_incident(self, tx: Tx, plan_id: int, incident: Incident, *, actor: str) -> None:
        session_of(tx).add(StageIncidentRow(plan_id=plan_id, stage=incident.stage,
                                     kind=incident.kind.value, severity=incident.severity.value,
                                     occurred_at=incident.occurred_at,
                                     description=incident.description, recorded_by=actor))
        _flush(session_of(tx))

    def incidents(self, tx: Tx, plan_id: int, stage: int) -> list[Incident]:
        rows = session_of(tx).scalars(select(StageIncidentRow).where(
            StageIncidentRow.plan_id == plan_id, StageIncidentRow.stage == stage)
            .order_by(StageIncidentRow.occurred_at, StageIncidentRow.id))
        return [Incident(stage=r.stage, kind=IncidentKind(r.kind), severity=Severity(r.severity),
                         occurred_at=r.occurred_at, description=r.description) for r in rows]

    # -- closing
    def closure(self, tx: Tx, plan_id: int, stage: int) -> Closure | None:
        r = session_of(tx).scalars(select(StageClosureRow).where(
            StageClosureRow.plan_id == plan_id, StageClosureRow.stage == stage)).first()
        if r is None:
            return None
        return Closure(stage=r.stage, closed_by=r.closed_by, closed_at=r.closed_at,
                       imbalance_reason=r.imbalance_reason, protocol_sha256=r.protocol_sha256,
                       protocol=r.protocol)

    def add_closure(self, tx: Tx, plan_id: int, stage: int, *, actor: str, closed_at: datetime,
                    imbalance_reason: str | None, protocol: bytes, digest: str) -> None:
        session_of(tx).add(StageClosureRow(plan_id=plan_id, stage=stage, closed_by=actor,
                                    closed_at=closed_at, imbalance_reason=imbalance_reason,
                                    protocol_sha256=digest, protocol=protocol.decode("utf-8")))
        _flush(session_of(tx))

    def set_protocol(self, tx: Tx, plan_id: int, stage: int, protocol: bytes, digest: str) -> None:
        row = session_of(tx).scalars(select(StageClosureRow).where(
            StageClosureRow.plan_id == plan_id, StageClosureRow.stage == stage)).one()
        row.protocol = protocol.decode("utf-8")
        row.protocol_sha256 = digest
        _flush(session_of(tx))

    def release_persons(self, tx: Tx, person_ids: Sequence[int]) -> list[int]:
        changed: list[int] = []
        if not person_ids:
            return changed
        for person in session_of(tx).scalars(select(Person).where(Person.id.in_(list(person_ids)))):
            if person.status != "released":
                person.status = "released"
                person.updated_at = utcnow()
                changed.append(person.id)
        session_of(tx).flush()
        return sorted(changed)
