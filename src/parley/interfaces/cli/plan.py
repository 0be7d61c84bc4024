"""``parley plan``: the stage planner on CSV files, and ``parley plan substitute``."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from parley.domain.agreement import agreement_from_options
from parley.domain.plan import CATEGORIES, SIDES, Candidate, PlanResult, Side
from parley.errors import InvalidInput
from parley.interfaces.cli.common import console, err_console, safe
from parley.services.planning import (
    plan_exchange,
    read_candidates,
    read_plan,
    read_rules,
    substitute_in_plan,
    write_plan,
)

plan_app = typer.Typer(
    help="Plan a staged exchange that keeps parity, and substitute drop-outs.",
    no_args_is_help=False,
    invoke_without_command=True,
)

GiveOpt = Annotated[Path, typer.Option("--give", help="CSV of the people we hand over.")]
ReceiveOpt = Annotated[Path, typer.Option("--receive", help="CSV of the people we receive.")]
StageSizesOpt = Annotated[str | None, typer.Option(
    "--stage-sizes", help="The plan as agreed: exact people a side per stage, e.g. 390,307,303.")]
StageCategoriesOpt = Annotated[list[str] | None, typer.Option(
    "--stage-categories", help="Exact people a side per category in a stage, e.g. "
    "'1:military=270,civilian=120' (repeat for more stages; implies category parity).")]
RulesOpt = Annotated[
    Path | None, typer.Option("--rules", help="JSON priority rules (default: built-in rules).")
]


def _summary(result: PlanResult) -> None:
    counts = result.counts()
    table = Table(title=f"Stage plan: {result.exchanged} a side, {result.status}, "
                        f"gap {result.mip_gap:.2g}, solved in {result.solve_seconds:.2f} s")
    table.add_column("stage")
    for cat in CATEGORIES:
        table.add_column(cat, justify="right")
    table.add_column("a side", justify="right")
    for k in range(1, result.stages + 1):
        per = [counts.get((k, cat, "give"), 0) for cat in CATEGORIES]
        table.add_row(str(k), *(f"{n}/{counts.get((k, c, 'receive'), 0)}"
                                for n, c in zip(per, CATEGORIES, strict=True)), str(sum(per)))
    reserve = Counter(a.side for a in result.assignments if a.stage is None)
    console.print(table)
    console.print(f"reserve: give {reserve['give']}, receive {reserve['receive']} "
                  f"(category cells are give/receive)")


@plan_app.callback()
def plan(
    ctx: typer.Context,
    give: Annotated[Path | None, typer.Option("--give", help="CSV of the people we hand over.")]
    = None,
    receive: Annotated[Path | None, typer.Option("--receive", help="CSV of the people we "
                                                  "receive.")] = None,
    stages: Annotated[int | None, typer.Option(
        "--stages", help="Number of stages K (default: as many as --stage-sizes, else 1).")]
    = None,
    stage_sizes: StageSizesOpt = None,
    stage_categories: StageCategoriesOpt = None,
    max_per_stage: Annotated[int | None, typer.Option(
        "--max-per-stage", help="At most M people a side per stage (default: even stages).")]
    = None,
    category_parity: Annotated[bool, typer.Option(
        "--category-parity", help="Parity per category (military/civilian) in every stage.")]
    = False,
    total: Annotated[int | None, typer.Option(
        "--total", help="The agreed formula: at most N a side in all (e.g. 1000 for 1,000).")]
    = None,
    rules: RulesOpt = None,
    out: Annotated[Path | None, typer.Option("-o", "--out", help="Plan CSV to write.")] = None,
    reasons: Annotated[bool, typer.Option(
        "--reasons", help="Add a 'reason' column: why each person has their place.")] = False,
    give_list: Annotated[str | None, typer.Option(
        "--give-list", help="Plan the workspace's lists instead of files: the 'give' list.")]
    = None,
    receive_list: Annotated[str | None, typer.Option(
        "--receive-list", help="… and the 'receive' list (the plan is stored).")] = None,
) -> None:
    """Plan the stages: parity in each stage, the seriously wounded first, the most people
    exchanged, then the highest priorities earliest (HiGHS, solved to optimality)."""
    if ctx.invoked_subcommand is not None:
        return
    stages, agreement = agreement_from_options(stage_sizes, stage_categories, stages=stages)
    if give_list is not None or receive_list is not None:
        if give_list is None or receive_list is None:
            raise InvalidInput("planning the workspace's lists needs --give-list and "
                               "--receive-list")
        from parley.interfaces.cli.common import acting
        from parley.services.lists import plan_lists

        ws, me = acting()
        plan_id, stored = plan_lists(
            ws, actor=me, give=give_list, receive=receive_list,
            stages=stages, max_per_stage=max_per_stage, category_parity=category_parity,
            total=total, agreement=agreement)
        _summary(stored)
        console.print(f"stored as plan {plan_id}")
        if out is not None:
            write_plan(out, stored.assignments, reasons=reasons)
            console.print(f"wrote {out}")
        return
    if give is None or receive is None or out is None:
        raise InvalidInput("parley plan needs --give, --receive and -o PLAN.csv "
                           "(or --give-list and --receive-list)")
    candidates: dict[Side, list[Candidate]] = {
        "give": read_candidates(give), "receive": read_candidates(receive),
    }
    result = plan_exchange(
        candidates, stages=stages, max_per_stage=max_per_stage,
        category_parity=category_parity, total=total, rules=read_rules(rules),
        agreement=agreement,
    )
    write_plan(out, result.assignments, reasons=reasons)
    _summary(result)
    console.print(f"wrote {out}")


@plan_app.command("substitute")
def substitute_command(
    plan_csv: Annotated[Path, typer.Argument(help="The plan CSV to change.")],
    give: GiveOpt,
    receive: ReceiveOpt,
    record_id: Annotated[str, typer.Option("--drop", help="Record id of the person who drops "
                                           "out.")],
    side: Annotated[str, typer.Option("--side", help="give or receive.")],
    reason: Annotated[str, typer.Option("--reason", help="Why: refuses repatriation, not fit "
                                        "to travel, not delivered, …")],
    category_parity: Annotated[bool, typer.Option("--category-parity")] = False,
    max_per_stage: Annotated[int | None, typer.Option("--max-per-stage")] = None,
    rules: RulesOpt = None,
    out: Annotated[Path | None, typer.Option("-o", "--out", help="New plan CSV (default: "
                                             "overwrite).")] = None,
) -> None:
    """Replace a drop-out with the best reserve that keeps parity and the category rules, or
    take the matching person off the other side; the decision goes to PLAN.substitutions.jsonl."""
    if side not in SIDES:
        raise InvalidInput(f"--side: '{side}' is not give or receive")
    the_side: Side = "give" if side == "give" else "receive"
    candidates: dict[Side, list[Candidate]] = {
        "give": read_candidates(give), "receive": read_candidates(receive),
    }
    assignments = read_plan(plan_csv, candidates, read_rules(rules))
    stages = max((a.stage or 0 for a in assignments), default=1)
    result = substitute_in_plan(
        assignments, dropped=record_id, side=the_side, reason=reason,
        category_parity=category_parity, stages=stages, max_per_stage=max_per_stage,
    )
    target = out or plan_csv
    write_plan(target, result.assignments)
    log = target.with_name(target.name + ".substitutions.jsonl")
    with log.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({
            "dropped": result.dropped, "side": result.side, "stage": result.stage,
            "replacement": result.replacement, "reduced_other_side": result.reduced,
            "reason": result.reason,
        }, ensure_ascii=False) + "\n")
    if result.replacement:
        console.print(f"stage {result.stage}: {safe(result.replacement)} replaces "
                      f"{safe(record_id)} on the {safe(side)} side ({safe(reason)})")
    else:
        err_console.print(f"no reserve fits: {safe(result.reduced)} is held back from stage "
                          f"{result.stage} on the other side to keep parity")
    console.print(f"wrote {target}; reason recorded in {log}")


def register(app: typer.Typer) -> None:
    app.add_typer(plan_app, name="plan")
