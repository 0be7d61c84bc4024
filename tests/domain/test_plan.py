"""Planner input checking, priority rules as data, the reason for a place, and substitution."""

from __future__ import annotations

from datetime import date

import pytest

from parley.domain.plan import (
    Assignment,
    Candidate,
    check_plan,
    parse_candidates,
    rank_candidates,
    substitute,
)
from parley.domain.priority import DEFAULT_RULES, explain_place, rules_from_data, rules_to_data
from parley.errors import InvalidInput, ParityViolation

GOOD = {"record_id": "A1", "category": "military", "seriously_wounded": "false",
        "captivity_start": "2015-02-01", "birth_date": "1990-05", "confirmed": "true"}


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("category", "pirate", "give.csv, line 7, field category: unknown category 'pirate'"),
        ("birth_date", "31.02.1990", "give.csv, line 7, field birth_date:"),
        ("confirmed", "perhaps", "give.csv, line 7, field confirmed: 'perhaps' is not true"),
        ("seriously_wounded", "2", "give.csv, line 7, field seriously_wounded"),
        ("captivity_start", "spring", "give.csv, line 7, field captivity_start"),
    ],
)
def test_bad_values_name_file_line_and_field(field: str, value: str, expected: str) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_candidates([(7, {**GOOD, field: value})], source="give.csv")
    assert str(err.value).startswith(expected)


def test_duplicate_id_names_both_lines() -> None:
    with pytest.raises(InvalidInput, match=r"line 9, field record_id: duplicate id 'A1' "
                                           r"\(first on line 8\)"):
        parse_candidates([(8, GOOD), (9, GOOD)], source="give.csv")


def test_rules_are_data_and_change_the_order() -> None:
    a = Candidate("A", "military", False, date(2014, 6, 1), date(1990, 1, 1), True)
    b = Candidate("B", "civilian", False, date(2020, 6, 1), date(1970, 1, 1), True)
    w = Candidate("W", "military", True, date(2023, 1, 1), date(2000, 1, 1), True)
    assert [c.record_id for c in rank_candidates([a, b, w], DEFAULT_RULES)] == ["W", "B", "A"]
    longest_first = rules_from_data(
        [{"field": "captivity_start", "order": "earliest", "label": "longest first"}]
    )
    # the treaty rule stays in front whatever the staff's rules say
    assert [c.record_id for c in rank_candidates([a, b, w], longest_first)] == ["W", "A", "B"]
    assert rules_from_data(rules_to_data(DEFAULT_RULES)) == DEFAULT_RULES
    with pytest.raises(InvalidInput, match="exactly one"):
        rules_from_data([{"field": "x", "prefer": "y", "order": "earliest"}])


def test_why_is_he_214th() -> None:
    from parley.domain.priority import effective_rules

    rules = effective_rules(DEFAULT_RULES)
    why = explain_place(
        rank=214, total=5000, side="give", rules=rules,
        mine=[False, "military", date(2016, 3, 1), date(1980, 1, 1)],
        ahead=[False, "military", date(2015, 3, 1), date(1990, 1, 1)], ahead_id="G-17",
    )
    assert why == ("214th of 5000 on the give side: after G-17 by rule 2 'longest in captivity "
                   "first' (captivity_start 2016-03-01 vs 2015-03-01)")


def _a(rid: str, side: str, stage: int | None, rank: int, cat: str = "military",
       wounded: bool = False) -> Assignment:
    return Assignment(rid, side, stage, rank, cat, wounded, "")  # type: ignore[arg-type]


def test_substitute_takes_the_best_reserve_of_the_same_category() -> None:
    plan = [_a("G1", "give", 1, 1), _a("G2", "give", None, 2, "civilian"),
            _a("G3", "give", None, 3), _a("G4", "give", None, 4),
            _a("R1", "receive", 1, 1)]
    result = substitute(plan, dropped="G1", side="give", reason="refuses repatriation",
                        category_parity=True)
    assert result.replacement == "G3" and result.reduced is None
    check_plan(result.assignments, stages=1, max_per_stage=None, category_parity=True)
    assert "refuses repatriation" in next(a.reason for a in result.assignments
                                          if a.record_id == "G3")


def test_substitute_without_reserve_reduces_the_other_side() -> None:
    plan = [_a("G1", "give", 1, 1), _a("R1", "receive", 1, 1, wounded=True),
            _a("R2", "receive", 1, 2)]
    plan.insert(1, _a("G0", "give", 1, 2))
    result = substitute(plan, dropped="G1", side="give", reason="not fit to travel",
                        category_parity=False)
    assert result.replacement is None and result.reduced == "R2"  # never the wounded R1
    check_plan(result.assignments, stages=1, max_per_stage=None, category_parity=False)
    with pytest.raises(ParityViolation):
        check_plan([*result.assignments, _a("R9", "receive", 1, 9)], stages=1,
                   max_per_stage=None, category_parity=False)
