"""The name rule as one table (`parley.names.verdict.RULE`) and the int layouts of the cache."""

from __future__ import annotations

import numpy as np
import pytest

import parley.names
from parley.names import compare
from parley.names.cache import (
    CACHE,
    FULL,
    SCORE_OF,
    pair_key,
    pair_keys,
    split_key,
    swapped_key,
    to_code,
    verdict_key,
)
from parley.names.surname import TWO_SLIPS
from parley.names.verdict import ABSENT, RULE, SAME_THRESHOLD, verdict


def test_the_part_weights_are_declared_once_and_sum_to_one() -> None:
    weights = {rule.part: rule.weight for rule in RULE if rule.part is not None}
    assert set(weights) == {"family", "given", "patronymic"}
    assert sum(weights.values()) == pytest.approx(1.0)
    assert weights["family"] > weights["given"] > weights["patronymic"]


@pytest.mark.parametrize(
    ("scores", "why"),
    [((0.3, 1.0, 1.0, False), "different family names"),
     ((1.0, 0.3, 1.0, False), "different given names"),
     ((1.0, 1.0, 0.3, False), "different patronymics"),
     ((ABSENT, 1.0, 1.0, False), "no family name on one side"),
     ((1.0, ABSENT, ABSENT, False), "family name only"),
     ((1.0, 1.0, 1.0, True), "different sex")],
)  # fmt: skip
def test_every_cap_of_the_table_caps_and_is_named(
    scores: tuple[float, float, float, bool], why: str
) -> None:
    rule = next(r for r in RULE if r.why == why)
    result = verdict(*scores, False)
    assert result.score == pytest.approx(rule.cap)
    assert result.reason.endswith(why)


def test_two_slips_in_a_surname_hold_only_beside_the_same_given_name_and_patronymic() -> None:
    excused = verdict(TWO_SLIPS, 1.0, 1.0, False, False)
    assert excused.same and "two slips in the family name" in excused.reason
    assert not verdict(TWO_SLIPS, 1.0, ABSENT, False, False).same
    assert not verdict(TWO_SLIPS, 0.92, 1.0, False, False).same


def test_a_cap_never_raises_a_score_and_a_reason_lists_the_parts() -> None:
    low = verdict(0.2, 0.2, 0.2, True, True)
    assert low.score == pytest.approx(0.2)  # below every cap: none applies
    assert low.reason == "family 0.20; given 0.20; patronymic 0.20; read in swapped order"
    assert verdict(ABSENT, ABSENT, ABSENT, False, False).reason == "nothing to compare"
    assert verdict(1.0, 1.0, 1.0, False, False).score >= SAME_THRESHOLD


def test_pair_key_is_one_layout_for_ints_and_arrays() -> None:
    rng = np.random.default_rng(5)
    x = rng.integers(0, 1 << 31, 500, dtype=np.int64)
    y = rng.integers(0, 1 << 31, 500, dtype=np.int64)
    keys = pair_keys(x, y)
    assert keys.tolist() == [pair_key(a, b) for a, b in zip(x.tolist(), y.tolist(), strict=True)]
    assert all(pair_key(a, b) == pair_key(b, a)
               for a, b in zip(x.tolist(), y.tolist(), strict=True))
    assert split_key(pair_key(7, 3)) == (3, 7)


def test_a_verdict_key_reads_back_as_the_verdict_of_its_scores() -> None:
    codes = [0, to_code(0.25), to_code(0.88), FULL]
    for fc in codes:
        for gc in codes:
            for pc in codes:
                for other in (0, 1):
                    key = verdict_key(fc, gc, pc, other)
                    want = verdict(SCORE_OF[fc], SCORE_OF[gc], SCORE_OF[pc], bool(other), False)
                    assert CACHE.verdict(key) == want
                    # Read in swapped order: other family and given codes, same patronymic.
                    assert CACHE.verdict(swapped_key(key, gc, fc)) == verdict(
                        SCORE_OF[gc], SCORE_OF[fc], SCORE_OF[pc], bool(other), True
                    )


def test_public_surface_is_unchanged() -> None:
    assert parley.names.__all__ == [
        "SAME_THRESHOLD", "NameBatch", "NameComparison", "NameParts", "NormalizedName",
        "Script", "compare_many", "compare_names", "detect_script", "family_similarity",
        "fold_to_latin", "given_similarity", "latin_to_cyrillic", "name_keys", "normalize_name",
        "parse_name", "patronymic_similarity", "prepare_names", "romanize", "variants",
    ]  # fmt: skip
    for name in compare.__all__:
        assert hasattr(compare, name)
    assert compare.TWO_SLIPS == TWO_SLIPS
