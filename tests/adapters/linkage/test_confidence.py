"""Honest confidence (issue 11, class 2): agreeing names must not outvote a generation, a
different given name, or the commonness of a name. Synthetic people only."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from parley.adapters.linkage import LinkageResult, link
from parley.adapters.linkage.guards import (
    COMMON_NAME_CEILING,
    GUARD_COLUMN,
    NUMBER_FLOOR,
    Ceilings,
    common_name_ids,
)
from parley.domain.identity import AUTO_ACCEPT, REVIEW_FLOOR
from parley.domain.records import CANONICAL_FIELDS
from parley.synth.linkage import linkage_pair


def _row(record_id: str, **values: str) -> dict[str, str]:
    row = dict.fromkeys(CANONICAL_FIELDS, "")
    row.update(record_id=record_id, **values)
    return row


_FATHER = {"family_name": "Гордійчук", "given_name": "Іван", "patronymic": "Іванович",
           "birth_place": "Суми", "sex": "M"}  # fmt: skip

LEFT = [
    _row("F1", **_FATHER, birth_date="1951-04-12"),
    _row("F2", **_FATHER, birth_date="1951-04-12"),
    _row("M1", family_name="Тимошенко", given_name="Михайло", patronymic="Петрович",
         birth_date="1984-02-19", birth_place="Полтава", sex="M"),
    _row("P1", family_name="Попов", given_name="Сергей", birth_date="1980-06-01", sex="M"),
    _row("R1", family_name="Зарудний", given_name="Остап", birth_date="1987-10-10", sex="M"),
    _row("D1", family_name="Лозинська", given_name="Ганна", birth_date="1979-03-02",
         document_number="КН417305", sex="F"),
    _row("E1", family_name="Комаров", given_name="Борис", patronymic="Андрійович",
         birth_date="2002-12-31", service_number="Б021574", sex="M"),
]  # fmt: skip
RIGHT = [
    # the son: every name part agrees, born 27 years later
    _row("S1", **_FATHER, birth_date="1978-09-30"),
    # the son again, written surname last ("Іван Іванович Гордійчук" order swapped)
    _row("S2", family_name="Іван", given_name="Гордійчук", patronymic="Іванович",
         birth_place="Суми", birth_date="1978-09-30", sex="M"),
    # a brother: same surname, patronymic, birth date and place, a clearly different given name
    _row("N1", family_name="Тимошенко", given_name="Николай", patronymic="Петрович",
         birth_date="1984-02-19", birth_place="Полтава", sex="M"),
    # a very common name with no birth date and no number
    _row("P2", family_name="Попов", given_name="Сергей", sex="M"),
    *[_row(f"PX{i}", family_name="Попов", given_name="Сергей", birth_date=f"19{60 + i}-01-0{i + 1}",
           sex="M") for i in range(4)],
    # a rare name with no birth date: may still be accepted
    _row("R2", family_name="Zarudnyi", given_name="Ostap", sex="M"),
    # her document number, another given name typed in and the birth date of someone else
    _row("D2", family_name="Лозинська", given_name="Олена", birth_date="1983-11-20",
         document_number="КН417305", sex="F"),
    # his service number and birth date, the name run together in capitals in one field
    _row("E2", family_name="БОРИСКОМАРОВ", birth_date="31 Dec 2002", service_number="Б 021574"),
]  # fmt: skip


def _frames() -> tuple[pd.DataFrame, pd.DataFrame, set[tuple[str, str]]]:
    pair = linkage_pair(400, 400, 0.6, seed=1013)
    truth = pair.truth.pairs(pair.left, pair.right)
    return pd.DataFrame(pair.left + LEFT), pd.DataFrame(pair.right + RIGHT), truth


@pytest.fixture(scope="module")
def scored() -> LinkageResult:
    left, right, _ = _frames()
    return link(left, right, threshold=0.0)


@pytest.fixture(scope="module")
def calibrated() -> LinkageResult:
    """Scored with reviewers' labels: every true pair a match, every other pair scored above
    0.2 a non-match. The isotonic map fitted on them lifts whatever scores like the true pairs
    towards 1.0 — the guards must hold all the same."""
    left, right, truth = _frames()
    first = link(left, right, threshold=0.0).pairs
    keys = list(zip(first["left_id"], first["right_id"], strict=True))
    guarded = {("F1", "S1"), ("F2", "S2"), ("M1", "N1"), ("P1", "P2")}
    labels = pd.DataFrame(
        [(a, b, (a, b) in truth) for (a, b), p in zip(keys, first["match_probability"], strict=True)
         if ((a, b) in truth or p > 0.2) and (a, b) not in guarded],
        columns=["left_id", "right_id", "is_match"],
    )
    return link(left, right, threshold=0.0, labels=labels)


def _p(result: LinkageResult, left: str, right: str) -> float:
    got = result.pairs[(result.pairs["left_id"] == left) & (result.pairs["right_id"] == right)]
    return float(got["match_probability"].max()) if len(got) else 0.0


def test_a_generation_apart_defeats_an_agreeing_name(scored: LinkageResult) -> None:
    assert _p(scored, "F1", "S1") < REVIEW_FLOOR


def test_a_generation_apart_defeats_a_swapped_name(scored: LinkageResult) -> None:
    assert _p(scored, "F2", "S2") < REVIEW_FLOOR


def test_a_different_given_name_is_never_auto_accepted(scored: LinkageResult) -> None:
    assert _p(scored, "M1", "N1") < AUTO_ACCEPT


def test_a_common_name_without_date_or_number_stays_in_review(scored: LinkageResult) -> None:
    assert _p(scored, "P1", "P2") <= COMMON_NAME_CEILING < AUTO_ACCEPT


def test_an_agreeing_document_number_sends_a_contradiction_to_review(
    scored: LinkageResult,
) -> None:
    """A number belongs to one person: a replaced given name and a wrong birth date beside it
    are for a reviewer to judge, not a reason to drop the pair."""
    assert REVIEW_FLOOR <= _p(scored, "D1", "D2") < AUTO_ACCEPT


def test_a_shared_number_and_birth_date_accept_a_mangled_name(scored: LinkageResult) -> None:
    """Strangers share neither; twins share the date but not the number."""
    assert _p(scored, "E1", "E2") >= AUTO_ACCEPT


def test_a_ceiling_wins_over_a_floor() -> None:
    ceilings = Ceilings(3)
    ceilings.raise_to(np.array([True, True, False]), NUMBER_FLOOR)
    ceilings.cap(np.array([False, True, True]), 0.3)
    assert list(ceilings.bound(np.array([0.1, 0.1, 0.9]))) == [NUMBER_FLOOR, 0.3, 0.3]


def test_common_names_are_read_from_frequencies() -> None:
    frame = pd.DataFrame({"unique_id": ["a", "b", "c", "d", "e"],
                          "fam_key": ["ppv", "ppv", "ppv", "zrdn", None],
                          "giv_key": ["sergei"] * 3 + ["ostap", "ostap"],
                          "byr": [1980, None, 1970, None, None]})  # fmt: skip
    info = common_name_ids([frame])
    assert list(info["common"]) == [True, True, True, False, False]
    assert list(info["dated"]) == [True, False, True, False, False]


def test_a_capped_pair_keeps_weight_and_bars_consistent(scored: LinkageResult) -> None:
    """The caps reach the match weight too (reviewers see it), and the bars still add up: the
    weight is the log2 odds of the probability and the prior plus every bar is the weight."""
    pairs = scored.pairs
    p = pairs["match_probability"].clip(1e-12, 1 - 1e-12)
    odds_weight = np.log2(p / (1 - p))
    usable = p.between(1e-9, 1 - 1e-9)
    assert np.allclose(pairs["match_weight"][usable], odds_weight[usable], atol=1e-3)
    assert (pairs[GUARD_COLUMN] < -0.01).any()  # some pair was capped, the check bites
    bars = pairs[[c for c in pairs.columns if c.startswith("bf_")]].sum(axis=1)
    prior = (pairs["match_weight"] - bars).round(6)
    assert prior.nunique() == 1


def test_guards_hold_after_calibration(calibrated: LinkageResult) -> None:
    assert calibrated.stats["calibrated_with_labels"]
    assert _p(calibrated, "F1", "S1") < REVIEW_FLOOR
    assert _p(calibrated, "F2", "S2") < REVIEW_FLOOR
    assert _p(calibrated, "M1", "N1") < AUTO_ACCEPT
    assert _p(calibrated, "P1", "P2") <= COMMON_NAME_CEILING


_NAMESAKE = {"family_name": "Ковальчук", "given_name": "Петро", "patronymic": "Іванович",
             "birth_place": "Київ", "sex": "M", "military_unit": "А1234"}  # fmt: skip


@pytest.fixture(scope="module")
def namesakes() -> tuple[LinkageResult, LinkageResult]:
    """One listed man; the registry holds him and a namesake born six years earlier in the same
    town, serving in the same unit. Scored with and without competing candidates."""
    pair = linkage_pair(400, 400, 0.6, seed=1017)
    left = pd.DataFrame([*pair.left, _row("K1", **_NAMESAKE, birth_date="1985-07-14")])
    right = pd.DataFrame([*pair.right, _row("K2", **_NAMESAKE, birth_date="14.07.1985"),
                          _row("K3", **_NAMESAKE, birth_date="1979-02-03")])  # fmt: skip
    return (link(left, right, threshold=0.0),
            link(left, right, threshold=0.0, competing=False))  # fmt: skip


def test_a_namesake_born_on_another_date_is_held_apart(
    namesakes: tuple[LinkageResult, LinkageResult],
) -> None:
    competing, alone = namesakes
    assert _p(competing, "K1", "K2") >= AUTO_ACCEPT
    assert _p(competing, "K1", "K3") < REVIEW_FLOOR
    held = competing.pairs[(competing.pairs["left_id"] == "K1")
                           & (competing.pairs["right_id"] == "K3")]  # fmt: skip
    assert len(held) == 0 or float(held[GUARD_COLUMN].iloc[0]) < 0  # the cap, not the model
    assert _p(alone, "K1", "K3") >= _p(competing, "K1", "K3")


def _feats(rows: list[tuple[str, str, str, str | None, int | None]]) -> pd.DataFrame:
    return pd.DataFrame({"unique_id": [r[0] for r in rows], "fam_key": [r[1] for r in rows],
                         "giv_key": [r[2] for r in rows], "pat_key": [r[3] for r in rows],
                         "byr": pd.array([r[4] for r in rows], dtype="Int64"),
                         "bdate": None, "bdate_dm": None, "sn": None, "dn": None})  # fmt: skip


def _undated_ceilings(right: pd.DataFrame, unit_bits: float = 0.0) -> np.ndarray:
    from parley.adapters.linkage.guards import common_name_ceilings

    left = _feats([("u", "ppv", "serhii", "ivan", None)] + [
        (f"x{i}", f"fam{i}", f"giv{i}", None, 1970 + i) for i in range(40)])
    ids = [str(r) for r in right["unique_id"]]
    pairs = pd.DataFrame({"left_id": ["u"] * len(ids), "right_id": ids,
                          "match_probability": 0.99, "bf_military_unit": unit_bits})  # fmt: skip
    ceilings = Ceilings(len(pairs))
    common_name_ceilings(pairs, [left, right], ceilings)
    return ceilings.values


def test_an_undated_record_shares_its_name_with_its_namesakes() -> None:
    """Three men of one name born in different years: the name alone cannot say which of
    them the undated record is; a patronymic that differs makes no namesake."""
    others = [(f"y{i}", f"fam{i}", f"giv{i}", None, 1970 + i) for i in range(40)]
    three = _feats([("r1", "ppv", "serhii", "ivan", 1971), ("r2", "ppv", "serhii", None, 1985),
                    ("r3", "ppv", "serhii", "ivan", 1990), ("r4", "ppv", "serhii", "petr", 1960),
                    *others])  # fmt: skip
    caps = _undated_ceilings(three)
    assert np.allclose(caps[:3], COMMON_NAME_CEILING / 3)
    # one person's three records (one birth year) are one namesake: no cap beyond the flat one
    one = _feats([("r1", "ppv", "serhii", "ivan", 1971), ("r2", "ppv", "serhii", "ivan", 1971),
                  ("r3", "ppv", "serhii", None, None), *others])  # fmt: skip
    assert (_undated_ceilings(one)[:3] >= COMMON_NAME_CEILING).all()


def test_other_agreeing_fields_tell_a_namesake_apart() -> None:
    """Of three namesakes, those that also share this pair's unit number 3 / 2**bits: a pair
    agreeing on a field worth 4 bits is not held down for its name."""
    others = [(f"y{i}", f"fam{i}", f"giv{i}", None, 1970 + i) for i in range(40)]
    three = _feats([("r1", "ppv", "serhii", None, 1971), ("r2", "ppv", "serhii", None, 1985),
                    ("r3", "ppv", "serhii", None, 1990), *others])  # fmt: skip
    assert (_undated_ceilings(three, unit_bits=4.0)[:3] >= COMMON_NAME_CEILING).all()
