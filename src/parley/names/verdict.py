"""The name rule as one table: how the part scores of two names become one score and a verdict.

Read `RULE` top to bottom, in the manner of nomenklatura's logic_v2 features: each name part
both names have adds its weight times its score (family 0.45, given 0.35, patronymic 0.20 of the
parts present), then every rule that holds caps the score, in table order, so no strong part can
outvote a contradicting one (a namesake with another given name or patronymic, another surname,
the other sex). Every cap that lowers the score is named in the reason a reviewer reads. Two
names are the same at `SAME_THRESHOLD` (0.80) or above. A tuner changes one number here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Final, Literal

from parley.names.surname import TWO_SLIPS

SAME_THRESHOLD: Final = 0.80
"""`compare_names(...).same` is ``score >= SAME_THRESHOLD``."""

ABSENT: Final = -1.0
"""The part score of a part one of the names lacks."""


@dataclass(frozen=True, slots=True)
class NameComparison:
    """Score in 0..1, the verdict at `SAME_THRESHOLD`, and a one-line reason for a reviewer."""

    score: float
    same: bool
    reason: str


IDENTICAL: Final = NameComparison(1.0, True, "identical")


@dataclass(frozen=True, slots=True)
class PartScores:
    """The scores of the three parts of a pair of names (`ABSENT` for a missing one)."""

    family: float
    given: float
    patronymic: float
    other_sex: bool

    def of(self, part: PartName) -> float:
        return self.family if part == "family" else self.given if part == "given" else (
            self.patronymic
        )

    def present(self, part: PartName) -> bool:
        return self.of(part) != ABSENT


PartName = Literal["family", "given", "patronymic"]
Condition = Callable[[PartScores], bool]


@dataclass(frozen=True, slots=True)
class Rule:
    """One row of the name rule.

    A row with a ``part`` weighs that part when both names have it, and caps the score at
    ``cap`` when the part scores below ``below`` (it disagrees), unless ``unless`` holds, which
    is noted as ``unless_why``. A row without a part caps the score when ``when`` holds.
    """

    why: str
    cap: float
    part: PartName | None = None
    weight: float = 0.0
    below: float = 0.0
    when: Condition | None = None
    unless: Condition | None = None
    unless_why: str = ""

    def applies(self, s: PartScores) -> bool:
        if self.part is None:
            return self.when is not None and self.when(s)
        score = s.of(self.part)
        return score != ABSENT and score < self.below and not self.excused(s)

    def excused(self, s: PartScores) -> bool:
        return self.unless is not None and self.unless(s)


def _two_slips_beside_same_names(s: PartScores) -> bool:
    """A 9-10 letter surname two slips off is still the person beside the same given name and
    patronymic (see `parley.names.surname`)."""
    return s.family == TWO_SLIPS and s.given == 1.0 and s.patronymic == 1.0


RULE: Final[tuple[Rule, ...]] = (
    #    reason                         cap   part          weight  disagrees below
    Rule("different family names",      0.50, "family",     0.45,   0.75,
         unless=_two_slips_beside_same_names, unless_why="two slips in the family name"),
    Rule("different given names",       0.50, "given",      0.35,   0.70),
    Rule("different patronymics",       0.55, "patronymic", 0.20,   0.70),
    Rule("no family name on one side",  0.60, when=lambda s: not s.present("family")),
    Rule("family name only", SAME_THRESHOLD,
         when=lambda s: s.present("family") and not s.present("given")),
    Rule("different sex",               0.40, when=lambda s: s.other_sex),
)  # fmt: skip
"""The whole name rule: weights of the parts and the caps, applied in this order."""


@lru_cache(maxsize=65536)
def verdict(fs: float, gs: float, ps: float, other_sex: bool, swapped: bool) -> NameComparison:
    """Combine part scores into the verdict by `RULE`; cached, since few distinct
    combinations occur."""
    s = PartScores(fs, gs, ps, other_sex)
    weights = 0.0
    total = 0.0
    notes: list[str] = []
    for rule in RULE:
        if rule.part is not None and s.present(rule.part):
            score = s.of(rule.part)
            total += rule.weight * score
            weights += rule.weight
            notes.append(f"{rule.part} {score:.2f}")
            if rule.excused(s):
                notes.append(rule.unless_why)
    if not weights:
        return NameComparison(0.0, False, "nothing to compare")
    score = total / weights
    for rule in RULE:
        if rule.applies(s) and score > rule.cap:
            score = rule.cap
            notes.append(rule.why)
    if swapped:
        notes.append("read in swapped order")
    score = round(min(1.0, max(0.0, score)), 4)
    return NameComparison(score, score >= SAME_THRESHOLD, "; ".join(notes))
