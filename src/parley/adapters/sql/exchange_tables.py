"""Exchange tables: lists with versions and approvals, priority rules, plans, reconciliations.

List entries are stored temporally: a row is valid from the version that wrote it until the one
that replaced it (``valid_to``), so every version can be read back and any two diffed without
copying the whole list on every edit.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from parley.adapters.sql.base import Base, utcnow
from parley.adapters.sql.tables import ID


class ExchangeList(Base):
    __tablename__ = "exchange_lists"

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    direction: Mapped[str] = mapped_column(String(16))
    required_agencies: Mapped[list[Any]] = mapped_column(default=list)
    version: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ListVersion(Base):
    __tablename__ = "list_versions"
    __table_args__ = (UniqueConstraint("list_id", "version", name="uq_list_versions_list_ver"),)

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("exchange_lists.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    author: Mapped[str] = mapped_column(String(100))
    author_agency: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="")
    entry_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    released_at: Mapped[datetime | None] = mapped_column(default=None)
    released_by: Mapped[str | None] = mapped_column(String(100), default=None)


class ListEntryRow(Base):
    __tablename__ = "list_entries"
    __table_args__ = (Index("ix_list_entries_list_valid", "list_id", "valid_from", "valid_to"),)

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("exchange_lists.id"))
    entry_key: Mapped[str] = mapped_column(String(200))
    valid_from: Mapped[int] = mapped_column(Integer)
    valid_to: Mapped[int | None] = mapped_column(Integer, default=None)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), default=None)
    data: Mapped[dict[str, Any]] = mapped_column()


class ListApproval(Base):
    __tablename__ = "list_approvals"

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("exchange_lists.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    agency_code: Mapped[str] = mapped_column(ForeignKey("agencies.code"))
    username: Mapped[str] = mapped_column(String(100))
    signature: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PriorityRuleSet(Base):
    """Each row is one version of the named rule set; the newest is in force."""

    __tablename__ = "priority_rule_sets"

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    rules: Mapped[list[Any]] = mapped_column()
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ExchangePlan(Base):
    __tablename__ = "exchange_plans"

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    give_list: Mapped[str] = mapped_column(String(200))
    give_version: Mapped[int] = mapped_column(Integer)
    receive_list: Mapped[str] = mapped_column(String(200))
    receive_version: Mapped[int] = mapped_column(Integer)
    stages: Mapped[int] = mapped_column(Integer)
    max_per_stage: Mapped[int | None] = mapped_column(Integer, default=None)
    category_parity: Mapped[bool] = mapped_column(Boolean, default=False)
    total: Mapped[int | None] = mapped_column(Integer, default=None)
    rules: Mapped[list[Any]] = mapped_column()
    status: Mapped[str] = mapped_column(String(16))
    mip_gap: Mapped[float] = mapped_column(Float, default=0.0)
    exchanged: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PlanAssignmentRow(Base):
    __tablename__ = "plan_assignments"

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("exchange_plans.id"), index=True)
    side: Mapped[str] = mapped_column(String(8))
    record_id: Mapped[str] = mapped_column(String(200))
    stage: Mapped[int | None] = mapped_column(Integer, default=None)
    rank: Mapped[int] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(16))
    seriously_wounded: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class PlanSubstitution(Base):
    __tablename__ = "plan_substitutions"

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("exchange_plans.id"), index=True)
    dropped: Mapped[str] = mapped_column(String(200))
    side: Mapped[str] = mapped_column(String(8))
    stage: Mapped[int] = mapped_column(Integer)
    replacement: Mapped[str | None] = mapped_column(String(200), default=None)
    reduced: Mapped[str | None] = mapped_column(String(200), default=None)
    reason: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Reconciliation(Base):
    __tablename__ = "reconciliations"

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("exchange_lists.id"), index=True)
    list_version: Mapped[int] = mapped_column(Integer)
    file_name: Mapped[str] = mapped_column(String(500))
    file_sha256: Mapped[str] = mapped_column(String(64))
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReconciliationRow(Base):
    __tablename__ = "reconciliation_rows"

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    reconciliation_id: Mapped[int] = mapped_column(ForeignKey("reconciliations.id"), index=True)
    line_no: Mapped[int | None] = mapped_column(Integer, default=None)
    raw: Mapped[dict[str, Any]] = mapped_column(default=dict)
    outcome: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text, default="")
    entry_key: Mapped[str | None] = mapped_column(String(200), default=None)
    registry_record_id: Mapped[int | None] = mapped_column(Integer, default=None)
    probability: Mapped[float | None] = mapped_column(Float, default=None)
