"""Stored exchange plans and the priority rules they were made with: a plan keeps the list
versions it was planned on, its rows (who goes at which stage, and why) and every substitution
made since. Rows handed out are frozen values."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from parley.domain.plan import Assignment
from parley.services.ports.tx import Tx


@dataclass(frozen=True, slots=True)
class PlanRow:
    id: int
    give_list: str
    give_version: int
    receive_list: str
    receive_version: int
    stages: int
    max_per_stage: int | None
    category_parity: bool
    total: int | None
    status: str
    mip_gap: float
    exchanged: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class SubstitutionRow:
    dropped: str
    side: str
    stage: int
    replacement: str | None
    reduced: str | None
    reason: str
    actor: str


class ExchangePlans(Protocol):
    def add(self, tx: Tx, *, give_list: str, give_version: int, receive_list: str,
            receive_version: int, stages: int, max_per_stage: int | None,
            category_parity: bool, total: int | None, rules: list[Any], status: str,
            mip_gap: float, exchanged: int, created_by: str,
            assignments: Sequence[Assignment]) -> int:
        """Store a plan with its rows; its id."""

    def get(self, tx: Tx, plan_id: int) -> PlanRow | None: ...

    def newest_first(self, tx: Tx) -> Sequence[PlanRow]: ...

    def substitution_stamp(self, tx: Tx, plan_id: int) -> tuple[int, int | None]:
        """How many substitutions the plan has had and the newest one's id: a plan changes only
        by a substitution, so this dates a copy of it."""

    def assignments(self, tx: Tx, plan_id: int) -> list[Assignment]:
        """The plan's rows still on it, in the order they were planned."""

    def substitutions(self, tx: Tx, plan_id: int) -> list[SubstitutionRow]:
        """Every substitution, oldest first."""

    def reassign(self, tx: Tx, plan_id: int, assignments: Sequence[Assignment],
                 exchanged: int) -> None:
        """The plan after a substitution: rows not among ``assignments`` leave it, the others
        take their new stage and reason; ``exchanged`` is its new total a side."""

    def add_substitution(self, tx: Tx, plan_id: int, *, dropped: str, side: str, stage: int,
                         replacement: str | None, reduced: str | None, reason: str,
                         actor: str) -> None: ...


class PriorityRules(Protocol):
    def newest(self, tx: Tx, name: str) -> list[Any] | None:
        """The stored data of the newest version of the named rule set, if any."""

    def add(self, tx: Tx, *, name: str, rules: list[Any], created_by: str) -> None:
        """A new version of the rule set (the old ones stay, for the record)."""
