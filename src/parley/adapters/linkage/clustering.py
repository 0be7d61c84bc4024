"""Clusters from scored pairs: connected components, and one-to-one assignment.

Done in Python (scipy's sparse graph routines) rather than in the engine so DuckDB and Spark give
the same clusters and so the workspace can re-cluster after reviewers' decisions cheaply.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components


def connected_clusters(
    record_ids: Sequence[str], pairs: pd.DataFrame, threshold: float
) -> pd.DataFrame:
    """``record_id, cluster_id``: records joined by any pair at or above ``threshold``.

    The cluster id is the smallest record id in the cluster, so it is stable across runs.
    """
    # Vectorised: on a million-record registry a Python dict of ids and a list per pair cost
    # hundreds of megabytes and many seconds, for a mapping pandas does in C.
    ids = pd.Index(pd.unique(pd.Series(list(record_ids), dtype=object).astype(str)))
    kept = pairs[pairs["match_probability"] >= threshold]
    rows = ids.get_indexer(pd.Index(kept["left_id"].astype(str))).astype(np.int64)
    cols = ids.get_indexer(pd.Index(kept["right_id"].astype(str))).astype(np.int64)
    if (rows < 0).any() or (cols < 0).any():
        missing = kept["left_id"].astype(str)[rows < 0].tolist() + \
            kept["right_id"].astype(str)[cols < 0].tolist()
        raise KeyError(missing[0])
    n = len(ids)
    graph = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    frame = pd.DataFrame({"record_id": ids.to_numpy(dtype=object), "component": labels})
    first = frame.groupby("component")["record_id"].transform("min")
    return pd.DataFrame({"record_id": frame["record_id"], "cluster_id": first})


def one_to_one(pairs: pd.DataFrame) -> pd.DataFrame:
    """Keep each record in at most one pair: greedy by descending probability.

    For lists that must be duplicate-free (an exchange list, the other side's list): a record
    can be the same person as at most one record on the other list. Greedy best-first is the
    usual 'single best link' rule and, unlike a global assignment, never trades a confident link
    for two weaker ones.
    """
    ordered = pairs.sort_values("match_probability", ascending=False, kind="stable")
    used_left: set[str] = set()
    used_right: set[str] = set()
    keep: list[int] = []
    for pos, (a, b) in enumerate(zip(ordered["left_id"], ordered["right_id"], strict=True)):
        if a in used_left or b in used_right:
            continue
        used_left.add(a)
        used_right.add(b)
        keep.append(pos)
    return ordered.iloc[keep].reset_index(drop=True)
