"""Exchange-day tables: each stage's vehicles and manifest, check-ins at the handover point,
flagged contradictions, incidents, and the closing of a stage with its signed protocol."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from parley.adapters.sql.base import Base, utcnow
from parley.adapters.sql.tables import ID


class StageVehicle(Base):
    __tablename__ = "stage_vehicles"
    __table_args__ = (UniqueConstraint("plan_id", "vehicle_id", name="uq_stage_vehicles_plan"),)

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("exchange_plans.id"), index=True)
    stage: Mapped[int] = mapped_column(Integer)
    vehicle_id: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16))
    seats: Mapped[int] = mapped_column(Integer)
    stretchers: Mapped[int] = mapped_column(Integer)
    medics: Mapped[int] = mapped_column(Integer)


class ManifestSeatRow(Base):
    __tablename__ = "manifest_seats"
    __table_args__ = (
        UniqueConstraint("plan_id", "side", "record_id", name="uq_manifest_seats_person"),
    )

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("exchange_plans.id"), index=True)
    stage: Mapped[int] = mapped_column(Integer)
    side: Mapped[str] = mapped_column(String(8))
    record_id: Mapped[str] = mapped_column(String(200))
    vehicle_id: Mapped[str] = mapped_column(String(100))
    place: Mapped[str] = mapped_column(String(16))


class StageCheckinRow(Base):
    """The recorded check-in of one person; a re-import that agrees changes nothing."""

    __tablename__ = "stage_checkins"
    __table_args__ = (
        UniqueConstraint("plan_id", "side", "record_id", name="uq_stage_checkins_person"),
    )

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("exchange_plans.id"), index=True)
    stage: Mapped[int] = mapped_column(Integer)
    side: Mapped[str] = mapped_column(String(8))
    record_id: Mapped[str] = mapped_column(String(200))
    outcome: Mapped[str] = mapped_column(String(16))
    will_to_return: Mapped[str] = mapped_column(String(3), default="")
    fit_to_travel: Mapped[str] = mapped_column(String(3), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(500), default="")
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class CheckinFlagRow(Base):
    """A sheet row that contradicts what is recorded: kept for a person to settle, not merged."""

    __tablename__ = "checkin_flags"

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("exchange_plans.id"), index=True)
    stage: Mapped[int] = mapped_column(Integer)
    side: Mapped[str] = mapped_column(String(8))
    record_id: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(500))
    line: Mapped[int] = mapped_column(Integer)
    recorded: Mapped[dict[str, Any]] = mapped_column()
    incoming: Mapped[dict[str, Any]] = mapped_column()
    reason: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class StageIncidentRow(Base):
    __tablename__ = "stage_incidents"

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("exchange_plans.id"), index=True)
    stage: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    severity: Mapped[str] = mapped_column(String(16))
    occurred_at: Mapped[datetime] = mapped_column()
    description: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(100))


class StageClosureRow(Base):
    __tablename__ = "stage_closures"
    __table_args__ = (UniqueConstraint("plan_id", "stage", name="uq_stage_closures_stage"),)

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("exchange_plans.id"), index=True)
    stage: Mapped[int] = mapped_column(Integer)
    closed_by: Mapped[str] = mapped_column(String(100))
    closed_at: Mapped[datetime] = mapped_column(default=utcnow)
    imbalance_reason: Mapped[str | None] = mapped_column(Text, default=None)
    protocol_sha256: Mapped[str] = mapped_column(String(64))
    protocol: Mapped[str] = mapped_column(Text)


class StageRouteLeg(Base):
    __tablename__ = "stage_route_legs"

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("exchange_plans.id"), index=True)
    stage: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    leg: Mapped[dict[str, Any]] = mapped_column()
