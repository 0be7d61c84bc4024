"""The stage plan: who is handed over and received in which stage, and why.

The planner's search space is reduced before any solver sees it. Within one side (and, with
category parity, one category) the best assignment for given per-stage counts is always the
priority-sorted one: by the rearrangement inequality, giving earlier stages to higher weights
minimises the weighted sum of stages, and because the seriously wounded sort first, the sorted
assignment keeps them no later than anyone else whenever any assignment with those counts does.
So the solver decides only the counts per stage (and category); this module ranks the people,
turns counts into named assignments, explains each place and checks every constraint.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from parley.domain.dates import parse_partial_date
from parley.domain.priority import PriorityRule, RuleValue, effective_rules, explain_place
from parley.errors import N_, InvalidInput, ParityViolation, Text, in_file

Side = Literal["give", "receive"]
SIDES: tuple[Side, Side] = ("give", "receive")
CATEGORIES = ("military", "civilian")
REQUIRED_COLUMNS = (
    "record_id", "category", "seriously_wounded", "captivity_start", "birth_date", "confirmed",
)
_TRUE = frozenset({"true", "1", "yes", "y", "t"})
_FALSE = frozenset({"false", "0", "no", "n", "f", ""})


@dataclass(frozen=True, slots=True)
class Candidate:
    """One person who may be exchanged, with the facts the priority rules read."""

    record_id: str
    category: str
    seriously_wounded: bool
    captivity_start: date | None
    birth_date: date | None
    confirmed: bool
    extras: Mapping[str, str] = field(default_factory=dict)

    def value(self, name: str) -> RuleValue:
        if name in ("record_id", "category", "seriously_wounded", "captivity_start",
                    "birth_date", "confirmed"):
            result: RuleValue = getattr(self, name)
            return result
        raw = self.extras.get(name, "")
        low = raw.strip().lower()
        if low in ("true", "false"):
            return low == "true"
        return raw


def _where(source: str, line: int, column: str) -> Text:
    return in_file(source, line, column)


def _bool(raw: str, *, source: str, line: int, column: str) -> bool:
    low = raw.strip().lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise InvalidInput(
        N_("%(where)s: '%(raw)s' is not true or false"),
        where=_where(source, line, column), raw=raw,
    )


def _date(raw: str, *, source: str, line: int, column: str) -> date | None:
    try:
        parsed = parse_partial_date(raw)
    except ValueError as err:
        raise InvalidInput(
            N_("%(where)s: %(err)s"),
            where=_where(source, line, column), err=err,
        ) from None
    return parsed.to_date() if parsed else None


def check_header(header: Sequence[str], *, source: str) -> None:
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise InvalidInput(
            N_("%(source)s, line 1: missing column(s) %(missing)s"),
            source=source, missing=', '.join(missing),
        )


def parse_candidates(
    rows: Iterable[tuple[int, Mapping[str, str]]], *, source: str
) -> list[Candidate]:
    """Candidates from (line number, row) pairs; the first bad value stops with its place."""
    seen: dict[str, int] = {}
    out: list[Candidate] = []
    for line, row in rows:
        record_id = (row.get("record_id") or "").strip()
        if not record_id:
            raise InvalidInput(N_("%(where)s: empty"), where=_where(source, line, 'record_id'))
        if record_id in seen:
            raise InvalidInput(
                N_("%(where)s: duplicate id '%(record_id)s' (first on line %(seen)s)"),
                where=_where(source, line, 'record_id'), record_id=record_id,
                seen=seen[record_id],
            )
        seen[record_id] = line
        category = (row.get("category") or "").strip().lower()
        if category not in CATEGORIES:
            raise InvalidInput(
                N_("%(where)s: unknown category '%(category)s' (expected military or civilian)"),
                where=_where(source, line, 'category'), category=row.get('category'),
            )
        out.append(
            Candidate(
                record_id=record_id,
                category=category,
                seriously_wounded=_bool(row.get("seriously_wounded") or "", source=source,
                                        line=line, column="seriously_wounded"),
                captivity_start=_date(row.get("captivity_start") or "", source=source,
                                      line=line, column="captivity_start"),
                birth_date=_date(row.get("birth_date") or "", source=source, line=line,
                                 column="birth_date"),
                confirmed=_bool(row.get("confirmed") or "", source=source, line=line,
                                column="confirmed"),
                extras={k: v or "" for k, v in row.items()
                        if k is not None and k not in REQUIRED_COLUMNS},
            )
        )
    return out


def rank_candidates(
    candidates: Sequence[Candidate], rules: Sequence[PriorityRule]
) -> list[Candidate]:
    """Confirmed candidates in priority order (treaty rule first); record id breaks ties."""
    full = effective_rules(rules)
    confirmed = [c for c in candidates if c.confirmed]
    return sorted(
        confirmed,
        key=lambda c: (tuple(r.key(c.value(r.field)) for r in full), c.record_id),
    )


@dataclass(frozen=True, slots=True)
class GroupSpec:
    """One group the counts are decided for: a category under category parity, else everyone.

    ``weights[side]`` are the priority weights of that side's members in group order (strictly
    positive, non-increasing); ``wounded[side]`` how many of them lead the order as wounded.
    """

    name: str
    weights: Mapping[Side, Sequence[float]]
    wounded: Mapping[Side, int]


@dataclass(frozen=True, slots=True)
class CountSolution:
    """Cumulative counts ``cumulative[g][k]`` = people of group g in stages 1..k+1 (a side)."""

    cumulative: Mapping[str, Sequence[int]]
    status: str
    mip_gap: float
    exchanged: int
    objective: float
    seconds: float


@dataclass(frozen=True, slots=True)
class Assignment:
    record_id: str
    side: Side
    stage: int | None  # None: in reserve
    rank: int
    category: str
    seriously_wounded: bool
    reason: str


@dataclass(frozen=True, slots=True)
class PlanResult:
    stages: int
    max_per_stage: int | None
    category_parity: bool
    assignments: tuple[Assignment, ...]
    status: str
    mip_gap: float
    exchanged: int
    solve_seconds: float

    def counts(self) -> dict[tuple[int, str, Side], int]:
        """People per (stage, category, side)."""
        out: Counter[tuple[int, str, Side]] = Counter()
        for a in self.assignments:
            if a.stage is not None:
                out[(a.stage, a.category, a.side)] += 1
        return dict(out)


def build_groups(
    ranked: Mapping[Side, Sequence[Candidate]], *, category_parity: bool
) -> list[GroupSpec]:
    """Weights by rank: the i-th of n on a side weighs (n - i + 1) / n, so both sides count
    equally and every earlier place weighs more than any later one on the same side."""
    names = list(CATEGORIES) if category_parity else ["all"]
    weights: dict[str, dict[Side, list[float]]] = {g: {s: [] for s in SIDES} for g in names}
    wounded: dict[str, dict[Side, int]] = {g: {s: 0 for s in SIDES} for g in names}
    for side in SIDES:
        n = len(ranked[side])
        for i, cand in enumerate(ranked[side], start=1):
            g = cand.category if category_parity else "all"
            weights[g][side].append((n - i + 1) / n)
            if cand.seriously_wounded:
                wounded[g][side] += 1
    return [GroupSpec(name=g, weights=weights[g], wounded=wounded[g]) for g in names]


def assign(
    ranked: Mapping[Side, Sequence[Candidate]],
    solution: CountSolution,
    *,
    rules: Sequence[PriorityRule],
    category_parity: bool,
    stages: int,
    max_per_stage: int | None,
) -> PlanResult:
    """Turn counts into named people: within each group, the priority order fills the stages."""
    full = effective_rules(rules)
    out: list[Assignment] = []
    for side in SIDES:
        people = ranked[side]
        position: dict[str, int] = defaultdict(int)
        values = [[c.value(r.field) for r in full] for c in people]
        for i, cand in enumerate(people):
            g = cand.category if category_parity else "all"
            pos = position[g]
            position[g] += 1
            cumulative = solution.cumulative[g]
            stage = next((k + 1 for k, cum in enumerate(cumulative) if pos < cum), None)
            place = explain_place(
                rank=i + 1, total=len(people), side=side, rules=full, mine=values[i],
                ahead=values[i - 1] if i else None,
                ahead_id=people[i - 1].record_id if i else None,
            )
            if stage is None:
                limit = "" if max_per_stage is None else f", {max_per_stage} a side per stage"
                grp = f" {g}" if category_parity else ""
                why = (
                    f"reserve: {solution.exchanged} a side is the most that parity{limit} and "
                    f"{stages} stage(s) allow; #{pos + 1} in the{grp} order of this side"
                )
            else:
                why = f"stage {stage}"
            out.append(Assignment(
                record_id=cand.record_id, side=side, stage=stage, rank=i + 1,
                category=cand.category, seriously_wounded=cand.seriously_wounded,
                reason=f"{place}; {why}",
            ))
    return PlanResult(
        stages=stages, max_per_stage=max_per_stage, category_parity=category_parity,
        assignments=tuple(out), status=solution.status, mip_gap=solution.mip_gap,
        exchanged=solution.exchanged, solve_seconds=solution.seconds,
    )


def check_plan(
    assignments: Sequence[Assignment],
    *,
    stages: int,
    max_per_stage: int | None,
    category_parity: bool,
) -> None:
    """Raise ParityViolation naming the first broken constraint; the planner's own referee."""
    per: Counter[tuple[int, Side]] = Counter()
    per_cat: Counter[tuple[int, str, Side]] = Counter()
    for a in assignments:
        if a.stage is None:
            continue
        if not 1 <= a.stage <= stages:
            raise ParityViolation(
                N_("%(side)s %(record_id)s: stage %(stage)s outside 1..%(stages)s"),
                side=a.side, record_id=a.record_id, stage=a.stage, stages=stages,
            )
        per[(a.stage, a.side)] += 1
        per_cat[(a.stage, a.category, a.side)] += 1
    for k in range(1, stages + 1):
        give, receive = per[(k, "give")], per[(k, "receive")]
        if give != receive:
            raise ParityViolation(
                N_("stage %(k)s: %(give)s handed over but %(receive)s received"),
                k=k, give=give, receive=receive,
            )
        if max_per_stage is not None and give > max_per_stage:
            raise ParityViolation(
                N_("stage %(k)s: %(give)s a side exceeds the limit %(max_per_stage)s"),
                k=k, give=give, max_per_stage=max_per_stage,
            )
        if category_parity:
            for cat in CATEGORIES:
                g, r = per_cat[(k, cat, "give")], per_cat[(k, cat, "receive")]
                if g != r:
                    raise ParityViolation(
                        N_("stage %(k)s: %(given)s %(cat)s handed over but %(taken)s received"),
                        k=k, given=g, cat=cat, taken=r,
                    )
    for side in SIDES:
        mine = [a for a in assignments if a.side == side]
        wounded_late = [a for a in mine if a.seriously_wounded and a.stage is None]
        if wounded_late:
            raise ParityViolation(
                N_("%(side)s: seriously wounded %(record_id)s is not scheduled"),
                side=side, record_id=wounded_late[0].record_id,
            )
        last_wounded = max((a.stage for a in mine if a.seriously_wounded and a.stage), default=0)
        first_other = min(
            (a.stage for a in mine if not a.seriously_wounded and a.stage), default=stages + 1
        )
        if last_wounded > first_other:
            raise ParityViolation(
                N_("%(side)s: a seriously wounded person is in stage %(last_wounded)s, after "
                   "someone not wounded in stage %(first_other)s"),
                side=side, last_wounded=last_wounded, first_other=first_other,
            )


@dataclass(frozen=True, slots=True)
class Substitution:
    """What happened when a scheduled person dropped out (who leaves the plan entirely)."""

    dropped: str
    side: Side
    stage: int
    replacement: str | None  # the reserve moved in, on the same side
    reduced: str | None  # else the person taken off the other side to keep parity
    reason: str
    assignments: tuple[Assignment, ...]


def substitute(
    assignments: Sequence[Assignment],
    *,
    dropped: str,
    side: Side,
    reason: str,
    category_parity: bool,
) -> Substitution:
    """The best reserve (highest priority) that keeps parity and the category rules, else the
    matching reduction on the other side: its lowest-priority non-wounded person in that stage."""
    by_key = {(a.side, a.record_id): a for a in assignments}
    gone = by_key.get((side, dropped))
    if gone is None:
        raise InvalidInput(
            N_("%(dropped)s is not on the %(side)s side of this plan"),
            dropped=dropped, side=side,
        )
    if gone.stage is None:
        raise InvalidInput(
            N_("%(dropped)s is in reserve, not scheduled; nothing to substitute"),
            dropped=dropped,
        )
    stage = gone.stage
    mine = [a for a in assignments if a.side == side and a.record_id != dropped]
    last_wounded = max((a.stage for a in mine if a.seriously_wounded and a.stage), default=0)
    reserves = sorted(
        (a for a in mine if a.stage is None
         and (not category_parity or a.category == gone.category)
         and (a.seriously_wounded or stage >= last_wounded)),
        key=lambda a: a.rank,
    )
    kept = [a for a in assignments if not (a.side == side and a.record_id == dropped)]
    if reserves:
        pick = reserves[0]
        new = [
            _moved(a, stage, f"substitute for {dropped} in stage {stage} ({reason})")
            if a is pick else a
            for a in kept
        ]
        return Substitution(
            dropped=dropped, side=side, stage=stage, replacement=pick.record_id, reduced=None,
            reason=reason, assignments=tuple(new),
        )
    other: Side = "receive" if side == "give" else "give"
    candidates = sorted(
        (a for a in kept if a.side == other and a.stage == stage and not a.seriously_wounded
         and (not category_parity or a.category == gone.category)),
        key=lambda a: -a.rank,
    )
    if not candidates:
        raise ParityViolation(
            N_("no reserve can replace %(dropped)s and no one on the %(other)s side of stage "
               "%(stage)s can be held back without breaking the wounded-first rule"),
            dropped=dropped, other=other, stage=stage,
        )
    cut = candidates[0]
    new = [
        _moved(a, None, f"held back from stage {stage} to keep parity: {dropped} dropped out "
                        f"({reason})")
        if a is cut else a
        for a in kept
    ]
    return Substitution(
        dropped=dropped, side=side, stage=stage, replacement=None, reduced=cut.record_id,
        reason=reason, assignments=tuple(new),
    )


def _moved(a: Assignment, stage: int | None, why: str) -> Assignment:
    return Assignment(
        record_id=a.record_id, side=a.side, stage=stage, rank=a.rank, category=a.category,
        seriously_wounded=a.seriously_wounded, reason=f"{a.reason}; {why}",
    )
