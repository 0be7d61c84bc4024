"""Planning use cases: read candidates, solve the stage plan, substitute a drop-out, write CSV."""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from parley.adapters.files.csv_export import export_writer, restore
from parley.adapters.files.small_csv import small_csv
from parley.adapters.solver.highs import solve_stage_counts
from parley.domain.agreement import (
    StageAgreement,
    check_agreement,
    check_agreement_shape,
    precheck_agreement,
)
from parley.domain.plan import (
    SIDES,
    Assignment,
    Candidate,
    CountSolution,
    GroupSpec,
    PlanResult,
    Side,
    Substitution,
    assign,
    build_groups,
    check_header,
    check_plan,
    parse_candidates,
    rank_candidates,
    substitute,
)
from parley.domain.priority import DEFAULT_RULES, PriorityRule, rules_from_data
from parley.errors import N_, Infeasible, InvalidInput, UnreadableFile

Solver = Callable[..., CountSolution]


def read_candidates(path: Path) -> list[Candidate]:
    """Candidates from a CSV file; a bad value is reported with file, line and field."""
    with small_csv(path) as reader:
        check_header(reader.fieldnames or [], source=path.name)
        return parse_candidates(
            ((i, row) for i, row in enumerate(reader, start=2)), source=path.name
        )


def read_rules(path: Path | None) -> tuple[PriorityRule, ...]:
    """An ordered rule set from a JSON file, or the default rules."""
    if path is None:
        return DEFAULT_RULES
    import json

    try:
        return rules_from_data(json.loads(path.read_text(encoding="utf-8")))
    except OSError as err:
        raise UnreadableFile(
            N_("%(path)s: %(strerror)s"),
            path=path, strerror=err.strerror or err,
        ) from None
    except json.JSONDecodeError as err:
        raise InvalidInput(
            N_("%(path_name)s, line %(lineno)s: not JSON (%(msg)s)"),
            path_name=path.name, lineno=err.lineno, msg=err.msg,
        ) from None


def plan_exchange(
    candidates: Mapping[Side, Sequence[Candidate]],
    *,
    stages: int,
    max_per_stage: int | None = None,
    category_parity: bool = False,
    total: int | None = None,
    rules: Sequence[PriorityRule] = DEFAULT_RULES,
    solver: Solver = solve_stage_counts,
    agreement: StageAgreement | None = None,
) -> PlanResult:
    """The optimal stage plan; ``total`` is the agreed formula (at most N a side in all).

    Without a per-stage limit the stages are kept as even as possible: the limit becomes
    ceil(N / K), N being the most people a side the constraints allow. An ``agreement`` fixes
    stage sizes and category counts exactly (categories imply category parity); when it cannot
    be met, Infeasible names the first stage and category that cannot be filled."""
    agreed = agreement or StageAgreement()
    if agreed.sizes is not None and len(agreed.sizes) != stages:
        raise InvalidInput(
            N_("--stage-sizes names %(count)s stage(s) but --stages is %(stages)s"),
            count=len(agreed.sizes), stages=stages,
        )
    if agreed.categories:
        category_parity = True
    if stages < 1:
        raise InvalidInput(N_("--stages must be at least 1"))
    if max_per_stage is not None and max_per_stage < 1:
        raise InvalidInput(N_("--max-per-stage must be at least 1"))
    if total is not None and total < 0:
        raise InvalidInput(N_("--total must not be negative"))
    ranked = {side: rank_candidates(candidates[side], rules) for side in SIDES}
    groups: list[GroupSpec] = build_groups(ranked, category_parity=category_parity)
    extra: dict[str, object] = {}
    if not agreed.empty:
        check_agreement_shape(agreed, stages=stages)
        precheck_agreement(ranked, agreed, stages=stages, total=total)
        extra = {"stage_sizes": agreed.sizes, "stage_categories": agreed.categories}
    try:
        if max_per_stage is not None or agreed.sizes is not None:
            limit = max_per_stage if max_per_stage is not None else max(agreed.sizes or (1,))
            solution = solver(groups, stages=stages, max_per_stage=max_per_stage,
                              link_wounded=category_parity, total=total, **extra)
        else:
            limit, solution = _even_stages(groups, stages=stages,
                                           category_parity=category_parity, total=total,
                                           solver=solver, extra=extra)
    except Infeasible:
        if agreed.empty:
            raise
        raise Infeasible(_diagnose(groups, agreed, stages=stages, max_per_stage=max_per_stage,
                                   link_wounded=category_parity, total=total,
                                   solver=solver)) from None
    result = assign(ranked, solution, rules=rules, category_parity=category_parity,
                    stages=stages, max_per_stage=limit)
    check_plan(result.assignments, stages=stages, max_per_stage=limit,
               category_parity=category_parity)
    check_agreement(result.assignments, agreed)
    return result


def _diagnose(
    groups: list[GroupSpec], agreed: StageAgreement, *, stages: int, max_per_stage: int | None,
    link_wounded: bool, total: int | None, solver: Solver,
) -> str:
    """The first stage whose agreed numbers, added to those of the stages before it, leave no
    plan; then the category (or the size) of that stage that is to blame."""
    def feasible(sizes: Sequence[int] | None, cats: Mapping[int, Mapping[str, int]]) -> bool:
        try:
            solver(groups, stages=stages, max_per_stage=max_per_stage, link_wounded=link_wounded,
                   total=total, stage_sizes=sizes, stage_categories=cats)
        except Infeasible:
            return False
        return True

    for k in range(1, stages + 1):
        sizes = agreed.sizes[:k] if agreed.sizes is not None else None
        cats = {s: c for s, c in agreed.categories.items() if s <= k}
        if feasible(sizes, cats):
            continue
        for cat, n in sorted(cats.get(k, {}).items()):
            rest = {s: ({x: m for x, m in c.items() if x != cat} if s == k else c)
                    for s, c in cats.items()}
            if feasible(sizes, rest):
                return (f"stage {k}: {cat} cannot be filled: {n} {cat} a side do not fit with "
                        f"the stages before it, parity and the seriously wounded first")
        if sizes is not None and feasible(sizes[:k - 1], cats):
            return (f"stage {k}: its agreed size {sizes[k - 1]} a side cannot be filled with "
                    f"the stages before it, parity and the seriously wounded first")
        return (f"stage {k} cannot be filled as agreed together with the stages before it, "
                f"parity and the seriously wounded first")
    return "the agreement cannot be met together with --total or --max-per-stage"


def _even_stages(
    groups: list[GroupSpec], *, stages: int, category_parity: bool, total: int | None,
    solver: Solver, extra: Mapping[str, object] | None = None,
) -> tuple[int, CountSolution]:
    """The smallest per-stage limit from ceil(N / K) up that admits a plan.

    The even limit can be too tight when the wounded-first rule and category parity pin people
    of both categories to the same stage; the user asked for no limit, so it is relaxed (by a
    tenth at a time) rather than reported as infeasible. At N a side one stage holds everyone,
    which the widest solve has shown to be feasible.
    """
    widest = solver(groups, stages=1, max_per_stage=None, link_wounded=True, total=total)
    limit = max(1, math.ceil(widest.exchanged / stages))
    while True:
        try:
            return limit, solver(groups, stages=stages, max_per_stage=limit,
                                 link_wounded=category_parity, total=total, **(extra or {}))
        except Infeasible:
            if limit >= widest.exchanged:
                raise
            limit = min(widest.exchanged, limit + max(1, limit // 10))


def write_plan(path: Path, assignments: Sequence[Assignment], *, reasons: bool = False) -> None:
    """``record_id, side, stage`` (stage 1..K or ``reserve``), scheduled by stage then rank,
    reserves in priority order; ``reasons`` adds a ``reason`` column."""
    rows = sorted(
        assignments,
        key=lambda a: (SIDES.index(a.side), a.stage is None, a.stage or 0, a.rank),
    )
    try:
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = export_writer(handle)
            writer.writerow(["record_id", "side", "stage", *(["reason"] if reasons else [])])
            for a in rows:
                stage = "reserve" if a.stage is None else str(a.stage)
                writer.writerow([a.record_id, a.side, stage, *([a.reason] if reasons else [])])
    except OSError as err:
        raise UnreadableFile(
            N_("%(path)s: %(strerror)s"),
            path=path, strerror=err.strerror or err,
        ) from None


def read_plan(path: Path, candidates: Mapping[Side, Sequence[Candidate]],
              rules: Sequence[PriorityRule] = DEFAULT_RULES) -> list[Assignment]:
    """A plan CSV back into assignments, joined to the candidates for category and rank."""
    ranked = {side: rank_candidates(candidates[side], rules) for side in SIDES}
    index = {(side, c.record_id): (i + 1, c) for side in SIDES
             for i, c in enumerate(ranked[side])}
    out: list[Assignment] = []
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            for line, row in enumerate(reader, start=2):
                row = {k: restore(v or "") for k, v in row.items() if k is not None}
                side = row.get("side", "")
                if side not in SIDES:
                    raise InvalidInput(
                        N_("%(path_name)s, line %(line)s, field side: '%(side)s' is not give "
                           "or receive"),
                        path_name=path.name, line=line, side=side,
                    )
                key = (side, row.get("record_id", ""))
                if key not in index:
                    raise InvalidInput(
                        N_("%(path_name)s, line %(line)s, field record_id: '%(key)s' is not a "
                           "confirmed %(side)s candidate"),
                        path_name=path.name, line=line, key=key[1], side=side,
                    )
                raw_stage = row.get("stage", "")
                if raw_stage == "reserve":
                    stage: int | None = None
                elif raw_stage.isdigit():
                    stage = int(raw_stage)
                else:
                    raise InvalidInput(
                        N_("%(path_name)s, line %(line)s, field stage: '%(raw_stage)s' is "
                           "neither a stage number nor 'reserve'"),
                        path_name=path.name, line=line, raw_stage=raw_stage,
                    )
                rank, cand = index[key]
                out.append(Assignment(
                    record_id=cand.record_id, side=side, stage=stage, rank=rank,
                    category=cand.category, seriously_wounded=cand.seriously_wounded,
                    reason=row.get("reason", ""),
                ))
    except OSError as err:
        raise UnreadableFile(
            N_("%(path)s: %(strerror)s"),
            path=path, strerror=err.strerror or err,
        ) from None
    return out


def substitute_in_plan(
    assignments: Sequence[Assignment], *, dropped: str, side: Side, reason: str,
    category_parity: bool, stages: int, max_per_stage: int | None,
) -> Substitution:
    """Apply ``substitute`` and re-check every constraint of the changed plan."""
    if not reason.strip():
        raise InvalidInput(N_("a substitution needs a reason (e.g. 'refuses repatriation')"))
    result = substitute(assignments, dropped=dropped, side=side, reason=reason,
                        category_parity=category_parity)
    check_plan(result.assignments, stages=stages, max_per_stage=max_per_stage,
               category_parity=category_parity)
    return result


