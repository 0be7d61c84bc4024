"""Stored plans and priority rules in SQL (the ``ExchangePlans`` and ``PriorityRules`` ports)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select

from parley.adapters.sql.exchange_tables import (
    ExchangePlan,
    PlanAssignmentRow,
    PlanSubstitution,
    PriorityRuleSet,
)
from parley.adapters.sql.session import session_of
from parley.domain.plan import Assignment
from parley.services.ports import Tx
from parley.services.ports.plans import PlanRow, SubstitutionRow


def _plan(row: ExchangePlan) -> PlanRow:
    return PlanRow(id=row.id, give_list=row.give_list, give_version=row.give_version,
                   receive_list=row.receive_list, receive_version=row.receive_version,
                   stages=row.stages, max_per_stage=row.max_per_stage,
                   category_parity=row.category_parity, total=row.total, status=row.status,
                   mip_gap=row.mip_gap, exchanged=row.exchanged, created_at=row.created_at)


class SqlExchangePlans:
    def add(self, tx: Tx, *, give_list: str, give_version: int, receive_list: str,
            receive_version: int, stages: int, max_per_stage: int | None,
            category_parity: bool, total: int | None, rules: list[Any], status: str,
            mip_gap: float, exchanged: int, created_by: str,
            assignments: Sequence[Assignment]) -> int:
        session = session_of(tx)
        plan = ExchangePlan(
            give_list=give_list, give_version=give_version, receive_list=receive_list,
            receive_version=receive_version, stages=stages, max_per_stage=max_per_stage,
            category_parity=category_parity, total=total, rules=rules, status=status,
            mip_gap=mip_gap, exchanged=exchanged, created_by=created_by,
        )
        session.add(plan)
        session.flush()
        session.add_all(PlanAssignmentRow(
            plan_id=plan.id, side=a.side, record_id=a.record_id, stage=a.stage, rank=a.rank,
            category=a.category, seriously_wounded=a.seriously_wounded, reason=a.reason,
        ) for a in assignments)
        return plan.id

    def get(self, tx: Tx, plan_id: int) -> PlanRow | None:
        row = session_of(tx).get(ExchangePlan, plan_id)
        return _plan(row) if row is not None else None

    def newest_first(self, tx: Tx) -> list[PlanRow]:
        return [_plan(r) for r in session_of(tx).scalars(
            select(ExchangePlan).order_by(ExchangePlan.id.desc()))]

    def substitution_stamp(self, tx: Tx, plan_id: int) -> tuple[int, int | None]:
        count, newest = session_of(tx).execute(
            select(func.count(PlanSubstitution.id), func.max(PlanSubstitution.id))
            .where(PlanSubstitution.plan_id == plan_id)).one()
        return int(count), newest

    def assignments(self, tx: Tx, plan_id: int) -> list[Assignment]:
        return [Assignment(record_id=r.record_id, side="give" if r.side == "give" else "receive",
                           stage=r.stage, rank=r.rank, category=r.category,
                           seriously_wounded=r.seriously_wounded, reason=r.reason)
                for r in session_of(tx).execute(select(
                    PlanAssignmentRow.record_id, PlanAssignmentRow.side,
                    PlanAssignmentRow.stage, PlanAssignmentRow.rank, PlanAssignmentRow.category,
                    PlanAssignmentRow.seriously_wounded, PlanAssignmentRow.reason)
                    .where(PlanAssignmentRow.plan_id == plan_id,
                           PlanAssignmentRow.active.is_(True))
                    .order_by(PlanAssignmentRow.id))]

    def substitutions(self, tx: Tx, plan_id: int) -> list[SubstitutionRow]:
        return [SubstitutionRow(dropped=s.dropped, side=s.side, stage=s.stage,
                                replacement=s.replacement, reduced=s.reduced, reason=s.reason,
                                actor=s.actor)
                for s in session_of(tx).scalars(
                    select(PlanSubstitution).where(PlanSubstitution.plan_id == plan_id)
                    .order_by(PlanSubstitution.id))]

    def reassign(self, tx: Tx, plan_id: int, assignments: Sequence[Assignment],
                 exchanged: int) -> None:
        session = session_of(tx)
        new: dict[tuple[str, str], Assignment] = {(a.side, a.record_id): a for a in assignments}
        for row in session.scalars(select(PlanAssignmentRow).where(
                PlanAssignmentRow.plan_id == plan_id, PlanAssignmentRow.active.is_(True))):
            a = new.get((row.side, row.record_id))
            if a is None:
                row.active = False
            else:
                row.stage, row.reason = a.stage, a.reason
        plan = session.get(ExchangePlan, plan_id)
        if plan is not None:
            plan.exchanged = exchanged

    def add_substitution(self, tx: Tx, plan_id: int, *, dropped: str, side: str, stage: int,
                         replacement: str | None, reduced: str | None, reason: str,
                         actor: str) -> None:
        session_of(tx).add(PlanSubstitution(
            plan_id=plan_id, dropped=dropped, side=side, stage=stage, replacement=replacement,
            reduced=reduced, reason=reason, actor=actor))


class SqlPriorityRules:
    def newest(self, tx: Tx, name: str) -> list[Any] | None:
        row = session_of(tx).scalars(select(PriorityRuleSet).where(PriorityRuleSet.name == name)
                                     .order_by(PriorityRuleSet.id.desc())).first()
        return row.rules if row is not None else None

    def add(self, tx: Tx, *, name: str, rules: list[Any], created_by: str) -> None:
        session_of(tx).add(PriorityRuleSet(name=name, rules=rules, created_by=created_by))
