"""The parity board of a stage: who was handed over and received so far, by category when the
plan keeps category parity, the imbalance, and who is left to check in."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from parley.domain.exchange_day.checkin import Outcome
from parley.domain.plan import CATEGORIES, SIDES, Side

PENDING = "pending"


@dataclass(frozen=True, slots=True)
class PlannedPerson:
    record_id: str
    side: Side
    category: str
    seriously_wounded: bool = False


@dataclass(frozen=True, slots=True)
class StageBoard:
    stage: int
    counts: Mapping[Side, Mapping[str, int]]  # side -> outcome (and "pending") -> n
    by_category: Mapping[str, Mapping[Side, int]]  # category -> side -> transferred
    category_parity: bool
    left: Mapping[Side, tuple[str, ...]]  # record ids not yet checked in

    @property
    def imbalance(self) -> int:
        """Handed over minus received (transferred on each side)."""
        return (self.counts["give"][Outcome.TRANSFERRED.value]
                - self.counts["receive"][Outcome.TRANSFERRED.value])

    @property
    def balanced(self) -> bool:
        if self.imbalance:
            return False
        if self.category_parity:
            return all(per["give"] == per["receive"] for per in self.by_category.values())
        return True

    @property
    def pending(self) -> int:
        return sum(len(ids) for ids in self.left.values())

    def as_data(self) -> dict[str, object]:
        return {
            "stage": self.stage,
            "give": dict(self.counts["give"]), "receive": dict(self.counts["receive"]),
            "by_category": {c: dict(v) for c, v in self.by_category.items()},
            "balanced": self.balanced, "imbalance": self.imbalance,
            "category_parity": self.category_parity,
            "left": {s: list(ids) for s, ids in self.left.items()},
        }


def build_board(stage: int, planned: Sequence[PlannedPerson],
                outcomes: Mapping[tuple[str, str], Outcome], *,
                category_parity: bool) -> StageBoard:
    counts: dict[Side, Counter[str]] = {s: Counter() for s in SIDES}
    by_cat: dict[str, Counter[Side]] = {c: Counter() for c in CATEGORIES}
    left: dict[Side, list[str]] = {s: [] for s in SIDES}
    for p in planned:
        outcome = outcomes.get((p.side, p.record_id))
        if outcome is None:
            counts[p.side][PENDING] += 1
            left[p.side].append(p.record_id)
            continue
        counts[p.side][outcome.value] += 1
        if outcome is Outcome.TRANSFERRED:
            by_cat.setdefault(p.category, Counter())[p.side] += 1
    keys = [o.value for o in Outcome] + [PENDING]
    return StageBoard(
        stage=stage,
        counts={s: {k: counts[s][k] for k in keys} for s in SIDES},
        by_category={c: {s: per[s] for s in SIDES} for c, per in by_cat.items()},
        category_parity=category_parity,
        left={s: tuple(ids) for s, ids in left.items()},
    )
