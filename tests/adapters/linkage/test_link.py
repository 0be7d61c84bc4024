"""The domain model on synthetic cross-script data with hand-made hard cases."""

from __future__ import annotations

import pandas as pd
import pytest

from parley.adapters.linkage import LinkageResult, dedupe
from tests.adapters.linkage.conftest import HARD_CASES


def _pairs(result: LinkageResult) -> set[tuple[str, str]]:
    return set(zip(result.pairs["left_id"], result.pairs["right_id"], strict=True))


def test_finds_cross_script_pairs_with_high_f1(
    linked: LinkageResult, frames: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]
) -> None:
    truth = set(zip(frames[2]["left_id"], frames[2]["right_id"], strict=True))
    got = _pairs(linked)
    precision = len(got & truth) / len(got)
    recall = len(got & truth) / len(truth)
    assert precision >= 0.97, precision
    assert recall >= 0.93, recall
    assert linked.stats["blocking_recall_ceiling"] >= recall
    assert linked.stats["pairs_compared"] < 20 * len(frames[0])


@pytest.mark.parametrize(
    "case",
    HARD_CASES,
    ids=[f"{c[0]['record_id']}-{'same' if c[2] else 'apart'}" for c in HARD_CASES],
)
def test_hard_case(
    linked: LinkageResult, case: tuple[dict[str, str], dict[str, str], bool]
) -> None:
    left, right, same = case
    assert ((left["record_id"], right["record_id"]) in _pairs(linked)) is same


def test_pairs_carry_a_waterfall(linked: LinkageResult) -> None:
    row = linked.pairs.set_index(["left_id", "right_id"]).loc[("HL1", "HR1")]
    bfs = {c: row[c] for c in linked.pairs.columns if c.startswith("bf_")}
    assert {"bf_family_name", "bf_given_name", "bf_patronymic", "bf_birth_date"} <= set(bfs)
    assert bfs["bf_family_name"] > 0 and bfs["bf_given_name"] > 0
    assert row["match_probability"] >= 0.9


def test_calibration_error_is_small(linked: LinkageResult) -> None:
    assert linked.stats["calibration_error"] < 0.05
    probabilities = linked.pairs["match_probability"]
    assert probabilities.between(0.5, 1.0).all()
    assert probabilities.is_monotonic_decreasing


def test_threshold_filters_pairs(linked: LinkageResult) -> None:
    strong = linked.pairs[linked.pairs["match_probability"] >= 0.99]
    assert 0 < len(strong) <= len(linked.pairs)


def test_dedupe_clusters_duplicates(
    frames: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame],
) -> None:
    left, right, truth = frames
    # One list holding both sides' records of 200 persons: each true pair must share a cluster.
    sample = truth.head(200)
    records = pd.concat(
        [
            left[left["record_id"].isin(sample["left_id"])],
            right[right["record_id"].isin(sample["right_id"])],
        ]
    )
    result = dedupe(records)
    assert result.clusters is not None
    cluster = dict(zip(result.clusters["record_id"], result.clusters["cluster_id"], strict=True))
    together = sum(
        cluster[a] == cluster[b] for a, b in zip(sample["left_id"], sample["right_id"], strict=True)
    )
    assert together / len(sample) >= 0.9
    assert result.clusters["cluster_id"].nunique() <= 220


def test_one_to_one_keeps_each_record_once(
    frames: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame],
) -> None:
    from parley.adapters.linkage import link

    left, right, _ = frames
    result = link(left, right, one_to_one=True)
    assert result.pairs["left_id"].is_unique and result.pairs["right_id"].is_unique


def test_reviewers_labels_re_estimate_and_calibrate(
    linked: LinkageResult, frames: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]
) -> None:
    from parley.adapters.linkage import link

    left, right, truth = frames
    truth_set = set(zip(truth["left_id"], truth["right_id"], strict=True))
    # Reviewers' decisions on the pairs the model scored: right and wrong ones.
    decided = linked.pairs.head(150)[["left_id", "right_id"]].copy()
    decided["is_match"] = [
        (a, b) in truth_set for a, b in zip(decided["left_id"], decided["right_id"], strict=True)
    ]
    wrong = pd.DataFrame({"left_id": ["HL2", "HL4"], "right_id": ["HR2", "HR4"], "is_match": False})
    labels = pd.concat([decided, wrong], ignore_index=True)
    result = link(left, right, labels=labels, truth=truth)
    assert result.stats["calibrated_with_labels"] is True
    assert "raw_probability" in result.pairs.columns
    got = set(zip(result.pairs["left_id"], result.pairs["right_id"], strict=True))
    assert len(got & truth_set) / len(got) >= 0.97
