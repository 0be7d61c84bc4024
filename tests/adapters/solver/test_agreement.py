"""The plan as agreed: exact stage sizes and category counts on top of the planner's rules."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parley.domain.agreement import (
    StageAgreement,
    agreement_from_options,
    check_agreement,
    parse_stage_categories,
    parse_stage_sizes,
)
from parley.domain.plan import SIDES, Candidate, PlanResult, Side, check_plan
from parley.errors import Infeasible, InvalidInput
from parley.services.planning import plan_exchange
from parley.synth.exchange import candidates as generate


def _per_stage(result: PlanResult, side: Side = "give") -> Counter[tuple[int, str]]:
    return Counter((a.stage, a.category) for a in result.assignments
                   if a.side == side and a.stage is not None)


def _may_2025() -> dict[Side, list[Candidate]]:
    return {"give": generate(2500, seed=21, prefix="G", civilian_share=0.3),
            "receive": generate(2500, seed=22, prefix="R", civilian_share=0.25)}


def test_may_2025_agreement_is_planned_exactly() -> None:
    agreement = StageAgreement(sizes=(390, 307, 303),
                               categories={1: {"military": 270, "civilian": 120}})
    result = plan_exchange(_may_2025(), stages=3, agreement=agreement)
    assert result.status == "optimal"
    assert result.exchanged == 1000
    assert result.category_parity
    check_plan(result.assignments, stages=3, max_per_stage=None, category_parity=True)
    check_agreement(result.assignments, agreement)
    for side in SIDES:
        per = _per_stage(result, side)
        assert per[(1, "military")] == 270 and per[(1, "civilian")] == 120
        assert [sum(v for (k, _), v in per.items() if k == s) for s in (1, 2, 3)] == \
            [390, 307, 303]


def test_sizes_only_keep_the_wounded_first_and_priorities() -> None:
    cands = _may_2025()
    result = plan_exchange(cands, stages=3, agreement=StageAgreement(sizes=(100, 300, 50)))
    check_agreement(result.assignments, StageAgreement(sizes=(100, 300, 50)))
    for side in SIDES:
        mine = sorted((a for a in result.assignments if a.side == side), key=lambda a: a.rank)
        stages = [a.stage for a in mine if a.stage is not None]
        assert stages == sorted(stages)  # highest priorities earliest


def test_a_category_shortfall_names_stage_and_category() -> None:
    cands = {"give": generate(400, seed=1, prefix="G", civilian_share=0.1),
             "receive": generate(400, seed=2, prefix="R", civilian_share=0.5)}
    civilians = min(sum(1 for c in cands[s] if c.confirmed and c.category == "civilian")
                    for s in SIDES)
    agreement = StageAgreement(sizes=(100, 100),
                               categories={2: {"civilian": civilians + 1}})
    with pytest.raises(Infeasible, match=r"^stage 2: civilian cannot be filled"):
        plan_exchange(cands, stages=2, agreement=agreement)


def test_stage_size_beyond_the_confirmed_people_names_the_stage() -> None:
    cands = {"give": generate(200, seed=3, prefix="G"), "receive": generate(200, seed=4,
                                                                            prefix="R")}
    with pytest.raises(Infeasible, match=r"^stage 2 cannot be filled"):
        plan_exchange(cands, stages=2, agreement=StageAgreement(sizes=(100, 150)))


def test_categories_that_do_not_add_up_to_the_stage_size() -> None:
    with pytest.raises(Infeasible, match=r"stage 1: the categories add up to 400"):
        plan_exchange(_may_2025(), stages=3, agreement=StageAgreement(
            sizes=(390, 307, 303), categories={1: {"military": 280, "civilian": 120}}))


def test_wounded_first_conflict_found_by_the_solver_is_named() -> None:
    # every give person wounded in stage 1 must come first; stage 1 asks for civilians only,
    # but the wounded of the give side are military: no plan, and stage 1 is named.
    give = [Candidate(f"G{i}", "military", True, None, None, True) for i in range(5)] + \
        [Candidate(f"GC{i}", "civilian", False, None, None, True) for i in range(10)]
    receive = [Candidate(f"R{i}", "military", False, None, None, True) for i in range(10)] + \
        [Candidate(f"RC{i}", "civilian", False, None, None, True) for i in range(10)]
    agreement = StageAgreement(sizes=(5, 5), categories={1: {"civilian": 5}})
    with pytest.raises(Infeasible, match=r"^stage 1: civilian cannot be filled"):
        plan_exchange({"give": give, "receive": receive}, stages=2, agreement=agreement)


def test_parsing_the_options() -> None:
    assert parse_stage_sizes("390, 307,303") == (390, 307, 303)
    assert parse_stage_categories(["1:military=270,civilian=120", "2:military=307"]) == {
        1: {"military": 270, "civilian": 120}, 2: {"military": 307}}
    assert agreement_from_options("390,307,303", None, stages=None)[0] == 3
    for bad in ("390,,303", "0", "x"):
        with pytest.raises(InvalidInput, match="--stage-sizes"):
            parse_stage_sizes(bad)
    for bad_cat in ("military=2", "1:pirate=3", "1:military=x", "1:military=1,military=2"):
        with pytest.raises(InvalidInput, match="--stage-categories"):
            parse_stage_categories([bad_cat])
    with pytest.raises(InvalidInput, match="names 3 stage"):
        plan_exchange(_may_2025(), stages=2, agreement=StageAgreement(sizes=(1, 2, 3)))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), sizes=st.lists(st.integers(1, 30), min_size=1, max_size=3),
       military=st.integers(0, 30))
def test_any_agreed_plan_meets_the_agreement_or_is_refused_with_a_stage(
    seed: int, sizes: list[int], military: int,
) -> None:
    cands = {"give": generate(60, seed=seed, prefix="G", civilian_share=0.4),
             "receive": generate(60, seed=seed + 1, prefix="R", civilian_share=0.4)}
    agreement = StageAgreement(sizes=tuple(sizes),
                               categories={1: {"military": min(military, sizes[0])}})
    try:
        result = plan_exchange(cands, stages=len(sizes), agreement=agreement)
    except Infeasible as err:
        assert str(err).startswith("stage ")
        return
    check_plan(result.assignments, stages=len(sizes), max_per_stage=None, category_parity=True)
    check_agreement(result.assignments, agreement)
