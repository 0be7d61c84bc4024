"""Bulk scoring: the names of one linkage run resolved once, pairs scored by index arrays.

Each distinct pair of parts and each distinct verdict is computed once, in Python (through
`parley.names.cache`, shared with `compare_names`); the million pairs in numpy.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

from parley.names.cache import CACHE, I64, swapped_key, verdict_key
from parley.names.verdict import SAME_THRESHOLD


class NameBatch:
    """The names of one linkage run, resolved once, scored by pairs of indices in bulk.

    `scores(left, right)` equals ``compare_names(names[i], names[j]).score`` for every pair
    (a test holds it to that), but works on arrays. Use it where a linkage engine has
    candidate pairs as index arrays; `compare_names` for one pair.
    """

    def __init__(self, names: Sequence[str]) -> None:
        self.names = list(names)
        order = {name: rank for rank, name in enumerate(sorted(set(self.names)))}
        rows = [CACHE.profile(name) for name in self.names]
        table = np.array([row[:6] for row in rows], dtype=np.int64).reshape(-1, 6)
        self._family, self._skeleton, self._given, self._patronymic = table[:, :4].T
        self._sex, self._key = table[:, 4], table[:, 5]
        self._swappable = np.array([row[6] for row in rows], dtype=bool)
        self._rank = np.array([order[name] for name in self.names], dtype=np.int64)

    def scores(self, left: npt.ArrayLike, right: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """Scores (0..1) of the pairs ``(names[left[k]], names[right[k]])``."""
        li = np.asarray(left, dtype=np.int64)
        ri = np.asarray(right, dtype=np.int64)
        flip = self._rank[li] > self._rank[ri]
        a, b = np.where(flip, ri, li), np.where(flip, li, ri)
        fa, fb = self._family[a], self._family[b]
        ua, ub = self._given[a], self._given[b]
        fc = CACHE.family.many(fa, fb, self._skeleton[a], self._skeleton[b])
        gc = CACHE.given.many(ua, ub)
        pc = CACHE.patronymic.many(self._patronymic[a], self._patronymic[b])
        sa, sb = self._sex[a], self._sex[b]
        other = ((sa != sb) & (sa > 0) & (sb > 0)).astype(np.int64)
        vkey = verdict_key(fc, gc, pc, other)
        score = _verdict_scores(vkey)
        identical = (self._key[a] == self._key[b]) & (self._key[a] >= 0)
        score[identical] = 1.0
        swap = (
            (score < SAME_THRESHOLD) & ~identical & (ub >= 0) & (fb >= 0) & (fa >= 0)
            & (self._swappable[a] | self._swappable[b])
        )
        if swap.any():
            rows = np.flatnonzero(swap)
            swapped = np.array([CACHE.swap(self.names[j]) for j in b[rows].tolist()],
                               dtype=np.int64).reshape(-1, 2)
            sfc = np.array([CACHE.family.code(x, y) for x, y in
                            zip(fa[rows].tolist(), swapped[:, 0].tolist(), strict=True)],
                           dtype=np.int64)
            sgc = CACHE.given.many(ua[rows], swapped[:, 1])
            skey = swapped_key(vkey[rows], sfc, sgc)
            score[rows] = np.maximum(score[rows], _verdict_scores(skey))
        return score


def _verdict_scores(vkey: I64) -> npt.NDArray[np.float64]:
    if not len(vkey):
        return np.zeros(0, dtype=np.float64)
    uniq, inverse = np.unique(vkey, return_inverse=True)
    values = np.array([CACHE.verdict(k).score for k in uniq.tolist()], dtype=np.float64)
    return values[inverse]


def compare_many(pairs: Iterable[tuple[str, str]]) -> npt.NDArray[np.float64]:
    """Scores of many pairs of full names at once (`NameBatch` over their distinct names);
    ``scores >= SAME_THRESHOLD`` is the verdict, `compare_names` gives a pair's reason."""
    ids: dict[str, int] = {}
    left: list[int] = []
    right: list[int] = []
    for a, b in pairs:
        left.append(ids.setdefault(a, len(ids)))
        right.append(ids.setdefault(b, len(ids)))
    return NameBatch(list(ids)).scores(left, right)
