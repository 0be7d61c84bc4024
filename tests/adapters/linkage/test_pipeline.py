"""The memory-saving paths of the pipeline score exactly what the plain paths scored."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from parley.adapters.linkage import pipeline
from parley.adapters.linkage.engines import close, db_api
from parley.synth.linkage import linkage_pair


def _old_recall(blocked: pd.DataFrame, truth: pd.DataFrame) -> float:
    """The definition the pipeline used before counting in the engine: Python sets."""
    found = set(zip(blocked["join_key_l"].str.split("-__-", n=1).str[1],
                    blocked["join_key_r"].str.split("-__-", n=1).str[1], strict=True))
    found |= {(b, a) for a, b in found}
    want = set(zip(truth["left_id"].astype(str), truth["right_id"].astype(str), strict=True))
    return len(want & found) / len(want)


def test_recall_ceiling_counts_each_true_pair_once_in_either_order() -> None:
    blocked = pd.DataFrame({
        "join_key_l": ["parley_list_a-__-L1", "parley_list_b-__-R2", "parley_list_a-__-L3",
                       "parley_list_a-__-L1", "parley_list_a-__-x-__-y"],
        "join_key_r": ["parley_list_b-__-R1", "parley_list_a-__-L2", "parley_list_b-__-R9",
                       "parley_list_b-__-R1", "parley_list_b-__-R5"],
    })
    # L2/R2 blocked in the other order, L1/R1 twice and listed twice, L4/R4 never blocked,
    # an id that itself contains the separator.
    truth = pd.DataFrame({"left_id": ["L1", "L1", "L2", "L3", "L4", "x-__-y"],
                          "right_id": ["R1", "R1", "R2", "R3", "R4", "R5"]})
    api = db_api("duckdb")
    try:
        table = api.register(blocked, dataset_display_name="parley_blocked")
        got = pipeline.recall_ceiling_of(api, table.physical_name, truth,
                                         query=lambda sql: api.duckdb_con.sql(sql).df())
    finally:
        close(api)
    assert got == pytest.approx(_old_recall(blocked, truth), abs=0.0)
    assert got == pytest.approx(3 / 5)


def _full_fetch(linker: Any, table: str) -> pd.DataFrame:
    """The old path: every column Splink returns, materialised."""
    frame: pd.DataFrame = linker.misc.query_sql(f"SELECT * FROM {table}", output_type="pandas")
    return frame


@pytest.mark.parametrize("dedupe", [False, True], ids=["link", "dedupe"])
def test_lean_scoring_gives_the_same_pairs_and_probabilities(
    monkeypatch: pytest.MonkeyPatch, dedupe: bool
) -> None:
    pair = linkage_pair(300, 300, 0.6, seed=5)
    left, right = pd.DataFrame(pair.left), pd.DataFrame(pair.right)
    frames = [pd.concat([left, right], ignore_index=True)] if dedupe else [left, right]
    truth = pd.DataFrame(sorted(pair.truth.pairs(pair.left, pair.right)),
                         columns=["left_id", "right_id"])
    lean = pipeline.run(frames, threshold=0.5, truth=truth)
    with monkeypatch.context() as patched:
        patched.setattr(pipeline, "_fetch", _full_fetch)
        patched.setattr(pipeline, "for_scoring", lambda api: None)
        patched.setattr(pipeline, "close", lambda api: None)
        full = pipeline.run(frames, threshold=0.5, truth=truth)
    assert len(lean.pairs) > 100
    assert lean.stats["pairs_compared"] == full.stats["pairs_compared"]
    assert lean.stats["blocking_recall_ceiling"] == full.stats["blocking_recall_ceiling"]
    a = lean.pairs.sort_values(["left_id", "right_id"]).reset_index(drop=True)
    b = full.pairs.sort_values(["left_id", "right_id"]).reset_index(drop=True)
    assert a[["left_id", "right_id"]].equals(b[["left_id", "right_id"]])
    assert list(a.columns) == list(b.columns)
    for col in a.columns.drop(["left_id", "right_id"]):
        np.testing.assert_allclose(a[col].to_numpy(float), b[col].to_numpy(float),
                                   rtol=0.0, atol=1e-9, err_msg=col)
    if dedupe:
        assert lean.clusters is not None and full.clusters is not None
        assert lean.clusters.equals(full.clusters)
