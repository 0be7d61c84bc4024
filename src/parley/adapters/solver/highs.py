"""The stage-count MILP, solved exactly by HiGHS through ``scipy.optimize.milp``.

Variables are counts, not people (see ``parley.domain.plan`` for why that loses nothing):
``C[g,k]``, how many of group g one side sends in stages 1..k (the same number on both sides, which
is parity, per category under category parity); ``d[s,k]``, the stage where side s switches from
the seriously wounded to everyone else; ``t[g,k]``, the priority value of that prefix.

Two solves, both to a zero gap: first the largest number a side that every constraint allows, then,
with that number fixed, the placement that maximises the priority value. The value of a prefix of
length C is F_g(C), the summed weights of the first C people of group g on both sides; weights do
not increase along the order, so F_g is concave and ``t <= F_g(b) + slope_b (C - b)`` for every
integer b describes it exactly at integer C. That keeps the model at a few dozen integer variables
however many candidates there are; only the number of linear pieces grows with them.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

from parley.domain.plan import SIDES, CountSolution, GroupSpec
from parley.errors import N_, Infeasible, Term, Text

_GAP = 1e-9


class _Model:
    """Index bookkeeping and sparse rows for one solve."""

    def __init__(self) -> None:
        self.n = 0
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.integer: list[int] = []
        self.rows: list[tuple[dict[int, float], float, float]] = []

    def var(self, lower: float, upper: float, integer: bool) -> int:
        self.lower.append(lower)
        self.upper.append(upper)
        self.integer.append(1 if integer else 0)
        self.n += 1
        return self.n - 1

    def row(self, coefs: dict[int, float], lower: float, upper: float) -> None:
        self.rows.append((coefs, lower, upper))

    def solve(self, objective: dict[int, float], time_limit: float) -> tuple[np.ndarray, float]:
        c = np.zeros(self.n)
        for i, v in objective.items():
            c[i] = -v  # milp minimises; we maximise
        r, cidx, vals = [], [], []
        lo = np.empty(len(self.rows))
        hi = np.empty(len(self.rows))
        for i, (coefs, lower, upper) in enumerate(self.rows):
            for j, v in coefs.items():
                r.append(i)
                cidx.append(j)
                vals.append(v)
            lo[i] = lower
            hi[i] = upper
        matrix = coo_matrix((vals, (r, cidx)), shape=(len(self.rows), self.n)).tocsr()
        result = milp(
            c,
            integrality=np.array(self.integer),
            bounds=Bounds(np.array(self.lower), np.array(self.upper)),
            constraints=LinearConstraint(matrix, lo, hi),
            options={"mip_rel_gap": _GAP, "time_limit": time_limit, "presolve": True},
        )
        if result.status == 2:
            raise Infeasible(N_("no plan satisfies the constraints"))
        if result.x is None:
            raise Infeasible(
                N_("the solver stopped without a plan: %(message)s"),
                message=result.message,
            )
        gap = float(getattr(result, "mip_gap", 0.0) or 0.0)
        if result.status != 0 and gap == 0.0:
            gap = float("inf")  # stopped early without a bound to report
        return np.asarray(result.x), gap


def solve_stage_counts(
    groups: Sequence[GroupSpec],
    *,
    stages: int,
    max_per_stage: int | None,
    link_wounded: bool,
    total: int | None = None,
    stage_sizes: Sequence[int] | None = None,
    stage_categories: Mapping[int, Mapping[str, int]] | None = None,
    time_limit: float = 60.0,
) -> CountSolution:
    """Cumulative counts per group and stage; raises Infeasible with the reason when the
    seriously wounded cannot all be scheduled.

    ``stage_sizes`` (people a side in each stage) and ``stage_categories`` (stage -> category ->
    people a side; the groups must then be the categories) are exact: the plan as agreed."""
    started = time.perf_counter()
    if stages < 1:
        raise Infeasible(N_("the number of stages must be at least 1"))
    caps = {g.name: min(len(g.weights[s]) for s in SIDES) for g in groups}
    need = {g.name: max(g.wounded[s] for s in SIDES) for g in groups}
    for g in groups:
        if need[g.name] > caps[g.name]:
            short = next(s for s in SIDES if g.wounded[s] > caps[g.name])
            label: Text | str = "" if g.name == "all" else Text(" %(group)s", group=Term(g.name))
            raise Infeasible(
                N_("%(wounded)s seriously wounded%(label)s on the %(short)s side, but the "
                   "other side has only %(caps)s%(label)s confirmed to match them"),
                wounded=g.wounded[short], label=label, short=short, caps=caps[g.name],
            )
    total_need = sum(need.values())
    if total is not None and total_need > total:
        raise Infeasible(
            N_("%(total_need)s seriously wounded must be scheduled but the agreed total is "
               "%(total)s"),
            total_need=total_need, total=total,
        )
    if max_per_stage is not None and total_need > stages * max_per_stage:
        raise Infeasible(
            N_("%(total_need)s seriously wounded must be scheduled but %(stages)s stages of "
               "at most %(max_per_stage)s hold only %(capacity)s"),
            total_need=total_need, stages=stages, max_per_stage=max_per_stage,
            capacity=stages * max_per_stage,
        )

    prefixes = {}
    for g in groups:
        cap = caps[g.name]
        weights = np.asarray(g.weights["give"][:cap]) + np.asarray(g.weights["receive"][:cap])
        prefixes[g.name] = np.concatenate([[0.0], np.cumsum(weights)])

    def build(cuts: dict[str, set[int]] | None, fixed_total: int | None) -> tuple[
        _Model, dict[str, list[int]], dict[int, float], dict[str, list[int]]
    ]:
        m = _Model()
        cum = {
            g.name: [m.var(0, caps[g.name], True) for _ in range(stages)] for g in groups
        }
        for g in groups:
            cg = cum[g.name]
            m.lower[cg[-1]] = need[g.name]
            for k in range(1, stages):
                m.row({cg[k]: 1.0, cg[k - 1]: -1.0}, 0.0, np.inf)
        if max_per_stage is not None:
            for k in range(stages):
                coefs: dict[int, float] = {}
                for g in groups:
                    coefs[cum[g.name][k]] = coefs.get(cum[g.name][k], 0.0) + 1.0
                    if k:
                        coefs[cum[g.name][k - 1]] = coefs.get(cum[g.name][k - 1], 0.0) - 1.0
                m.row(coefs, -np.inf, float(max_per_stage))
        if link_wounded and len(groups) > 1:
            for side in SIDES:
                if sum(g.wounded[side] for g in groups) == 0:
                    continue
                switch = [m.var(0, 1, True) for _ in range(stages)]
                m.row(dict.fromkeys(switch, 1.0), 1.0, 1.0)
                for g in groups:
                    w = g.wounded[side]
                    for k in range(stages):
                        upto = {switch[j]: 1.0 for j in range(k + 1)}
                        # from the switch stage on, every wounded of this group is scheduled
                        m.row({cum[g.name][k]: 1.0, **{i: -w for i in upto}}, 0.0, np.inf)
                        # before it, only wounded are
                        m.row({cum[g.name][k]: 1.0, **{i: -caps[g.name] for i in upto}},
                              -np.inf, float(w))
        for k, size in enumerate(stage_sizes or ()):
            if k >= stages:
                break
            coefs = {}
            for g in groups:
                coefs[cum[g.name][k]] = coefs.get(cum[g.name][k], 0.0) + 1.0
                if k:
                    coefs[cum[g.name][k - 1]] = coefs.get(cum[g.name][k - 1], 0.0) - 1.0
            m.row(coefs, float(size), float(size))
        for stage, counts in (stage_categories or {}).items():
            k = stage - 1
            for cat, n in counts.items():
                if cat not in cum or k >= stages:
                    raise Infeasible(
                        N_("stage %(stage)s: no %(cat)s group to fill (category counts need "
                           "category parity)"),
                        stage=stage, cat=cat,
                    )
                prev = {cum[cat][k - 1]: -1.0} if k else {}
                m.row({cum[cat][k]: 1.0, **prev}, float(n), float(n))
        if fixed_total is not None:
            m.row({cum[g.name][-1]: 1.0 for g in groups}, fixed_total, fixed_total)
        elif total is not None:
            m.row({cum[g.name][-1]: 1.0 for g in groups}, -np.inf, float(total))
        objective: dict[int, float] = {}
        value_vars: dict[str, list[int]] = {}
        if cuts is None:
            for g in groups:
                objective[cum[g.name][-1]] = 1.0
            return m, cum, objective, value_vars
        for g in groups:
            prefix = prefixes[g.name]
            cap = caps[g.name]
            value_vars[g.name] = []
            for k in range(stages):
                t = m.var(0.0, float(prefix[cap]), False)
                value_vars[g.name].append(t)
                objective[t] = 1.0
                for b in sorted(cuts[g.name]):
                    slope = float(prefix[b + 1] - prefix[b])
                    m.row({t: 1.0, cum[g.name][k]: -slope}, -np.inf,
                          float(prefix[b]) - slope * b)
        return m, cum, objective, value_vars

    model, cum, objective, _ = build(None, None)
    x, gap1 = model.solve(objective, time_limit)
    exchanged = round(sum(x[cum[g.name][-1]] for g in groups))
    # Kelley's cutting planes on the concave value: start from a few tangents, solve, add the
    # tangents at the chosen counts wherever the model's value overstates F, until none does.
    # Every tangent is valid, so each solve bounds the optimum from above; when the solution's
    # modelled value equals its true value, it is optimal for the full problem.
    cuts = {
        g.name: {min(caps[g.name] - 1, round(i * caps[g.name] / 16)) for i in range(17)}
        if caps[g.name] else set()
        for g in groups
    }
    while True:
        model, cum, objective, value_vars = build(cuts, exchanged)
        x, gap2 = model.solve(objective, time_limit)
        added = False
        for g in groups:
            prefix = prefixes[g.name]
            for k in range(stages):
                chosen = round(x[cum[g.name][k]])
                modelled = x[value_vars[g.name][k]]
                if modelled > prefix[chosen] + 1e-9 * max(1.0, prefix[-1]):
                    for b in (chosen - 1, chosen):
                        if 0 <= b < caps[g.name] and b not in cuts[g.name]:
                            cuts[g.name].add(b)
                            added = True
        if not added:
            break
    cumulative = {g.name: [round(x[i]) for i in cum[g.name]] for g in groups}
    value = float(sum(prefixes[g][c] for g, counts in cumulative.items() for c in counts))
    gap = max(gap1, gap2)
    return CountSolution(
        cumulative=cumulative,
        status="optimal" if gap <= 1e-6 else "feasible",
        mip_gap=gap,
        exchanged=exchanged,
        objective=value,
        seconds=time.perf_counter() - started,
    )
