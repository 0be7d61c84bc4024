"""The plan as agreed: exact stage sizes and exact counts per category in a stage.

Real agreements fix each stage's size and make-up (May 2025: 390, 307 and 303 a side; the first
stage 270 military and 120 civilians). These are exact constraints on both sides, on top of the
planner's own rules (the seriously wounded first, parity, priorities). Category counts are the
same on both sides, so an agreement that names categories implies category parity.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from parley.domain.plan import CATEGORIES, SIDES, Assignment, Candidate, Side
from parley.errors import N_, Infeasible, InvalidInput, ParityViolation


@dataclass(frozen=True, slots=True)
class StageAgreement:
    """``sizes[k-1]`` people a side in stage k (or None: free); ``categories[k][cat]`` exact."""

    sizes: tuple[int, ...] | None = None
    categories: Mapping[int, Mapping[str, int]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return self.sizes is None and not self.categories

    def as_data(self) -> dict[str, object]:
        return {"stage_sizes": list(self.sizes) if self.sizes is not None else None,
                "stage_categories": {str(k): dict(v) for k, v in sorted(self.categories.items())}}


def parse_stage_sizes(text: str) -> tuple[int, ...]:
    """``"390,307,303"`` -> (390, 307, 303); every size a positive whole number."""
    sizes: list[int] = []
    for position, part in enumerate(text.split(","), start=1):
        raw = part.strip()
        if not raw.isdigit() or int(raw) < 1:
            raise InvalidInput(
                N_("--stage-sizes, item %(position)s: '%(raw)s' is not a positive whole number"),
                position=position, raw=raw,
            )
        sizes.append(int(raw))
    return tuple(sizes)


def parse_stage_categories(items: Sequence[str]) -> dict[int, dict[str, int]]:
    """``["1:military=270,civilian=120"]`` -> {1: {"military": 270, "civilian": 120}}."""
    out: dict[int, dict[str, int]] = {}
    for item in items:
        where = f"--stage-categories '{item}'"
        stage_text, sep, rest = item.partition(":")
        if not sep or not stage_text.strip().isdigit() or int(stage_text) < 1:
            raise InvalidInput(
                N_("%(where)s: expected STAGE:category=N,… (e.g. "
                   "'1:military=270,civilian=120')"),
                where=where,
            )
        stage = int(stage_text)
        if stage in out:
            raise InvalidInput(
                N_("%(where)s: stage %(stage)s is given twice"),
                where=where, stage=stage,
            )
        counts: dict[str, int] = {}
        for part in rest.split(","):
            name, eq, number = part.partition("=")
            cat = name.strip().lower()
            if not eq or cat not in CATEGORIES:
                raise InvalidInput(
                    N_("%(where)s: '%(text)s' is not military=N or civilian=N"),
                    where=where, text=part.strip(),
                )
            if not number.strip().isdigit():
                raise InvalidInput(
                    N_("%(where)s: '%(text)s' is not a whole number"),
                    where=where, text=number.strip(),
                )
            if cat in counts:
                raise InvalidInput(N_("%(where)s: %(cat)s is given twice"), where=where, cat=cat)
            counts[cat] = int(number.strip())
        out[stage] = counts
    return out


def check_agreement_shape(agreement: StageAgreement, *, stages: int) -> None:
    """The agreement on its own: stage numbers in range, categories that fit the stage size."""
    for k, counts in sorted(agreement.categories.items()):
        if k > stages:
            raise InvalidInput(
                N_("--stage-categories: stage %(k)s is beyond the %(stages)s stage(s)"),
                k=k, stages=stages,
            )
        if agreement.sizes is None:
            continue
        size = agreement.sizes[k - 1]
        named = sum(counts.values())
        if named > size or (len(counts) == len(CATEGORIES) and named != size):
            raise Infeasible(
                N_("stage %(k)s: the categories add up to %(named)s a side but the agreed "
                   "stage size is %(size)s"),
                k=k, named=named, size=size,
            )


def precheck_agreement(
    ranked: Mapping[Side, Sequence[Candidate]], agreement: StageAgreement, *,
    stages: int, total: int | None,
) -> None:
    """Shortfalls that need no solver, each named by the first stage and category it hits."""
    have = {side: Counter(c.category for c in ranked[side]) for side in SIDES}
    wounded = {side: sum(1 for c in ranked[side] if c.seriously_wounded) for side in SIDES}
    needed: Counter[str] = Counter()
    needed_all = 0
    for k in range(1, stages + 1):
        for cat, n in sorted(agreement.categories.get(k, {}).items()):
            needed[cat] += n
            for side in SIDES:
                if needed[cat] > have[side][cat]:
                    raise Infeasible(
                        N_("stage %(k)s: %(cat)s cannot be filled: stages 1..%(k)s need "
                           "%(needed)s %(cat)s a side, the %(side)s side has %(have)s "
                           "confirmed"),
                        k=k, cat=cat, needed=needed[cat], side=side, have=have[side][cat],
                    )
        if agreement.sizes is None:
            continue
        needed_all += agreement.sizes[k - 1]
        for side in SIDES:
            count = sum(have[side].values())
            if needed_all > count:
                raise Infeasible(
                    N_("stage %(k)s cannot be filled: stages 1..%(k)s need %(needed_all)s a "
                       "side, the %(side)s side has %(count)s confirmed"),
                    k=k, needed_all=needed_all, side=side, count=count,
                )
    if agreement.sizes is not None:
        agreed = sum(agreement.sizes)
        if total is not None and agreed > total:
            raise Infeasible(
                N_("stage %(stages)s: the agreed stages hold %(agreed)s a side, more than the "
                   "agreed total %(total)s"),
                stages=stages, agreed=agreed, total=total,
            )
        for side in SIDES:
            if wounded[side] > agreed:
                raise Infeasible(
                    N_("stage %(stages)s: the %(wounded)s seriously wounded on the %(side)s "
                       "side must all be scheduled but the agreed stages hold %(agreed)s"),
                    stages=stages, wounded=wounded[side], side=side, agreed=agreed,
                )


def check_agreement(assignments: Sequence[Assignment], agreement: StageAgreement) -> None:
    """The referee: raise ParityViolation naming the first stage that breaks the agreement."""
    per: Counter[tuple[int, Side]] = Counter()
    per_cat: Counter[tuple[int, str, Side]] = Counter()
    for a in assignments:
        if a.stage is not None:
            per[(a.stage, a.side)] += 1
            per_cat[(a.stage, a.category, a.side)] += 1
    for k, size in enumerate(agreement.sizes or (), start=1):
        for side in SIDES:
            if per[(k, side)] != size:
                raise ParityViolation(
                    N_("stage %(k)s: %(per)s on the %(side)s side, the agreement says %(size)s"),
                    k=k, per=per[(k, side)], side=side, size=size,
                )
    for k, counts in agreement.categories.items():
        for cat, n in counts.items():
            for side in SIDES:
                if per_cat[(k, cat, side)] != n:
                    raise ParityViolation(
                        N_("stage %(k)s: %(per_cat)s %(cat)s on the %(side)s side, the "
                           "agreement says %(n)s"),
                        k=k, per_cat=per_cat[(k, cat, side)], cat=cat, side=side, n=n,
                    )


def agreement_from_options(
    sizes: str | None, categories: Sequence[str] | None, *, stages: int | None,
) -> tuple[int, StageAgreement]:
    """The stage count and agreement from the CLI's ``--stages``, ``--stage-sizes`` and
    ``--stage-categories``; the number of sizes gives the stage count when --stages is absent."""
    parsed = parse_stage_sizes(sizes) if sizes else None
    count = stages if stages is not None else (len(parsed) if parsed else 1)
    return count, StageAgreement(sizes=parsed, categories=parse_stage_categories(categories or ()))
