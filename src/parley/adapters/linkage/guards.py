"""Caps on a pair's probability where the model's independence assumption overstates it.

Fellegi–Sunter adds up evidence as if the fields were independent. Three situations break that
and are capped here, after scoring, so no weight the model learns can undo them:

- **given names contradict** (no personal number vouching): relatives share surname, birth
  date, place and address, so their agreement is not independent evidence — at most
  ``CONTRADICTION_CEILING``, a reviewer decides;
- **birth years decades apart** (again with no number vouching): a father and his son of the
  same name agree on every name part; a name cannot outvote a generation — kept apart;
- **a very common name with no birth date and no personal number** on one side: Попов Сергей
  agrees with hundreds of strangers by name alone, so however well the names agree, the pair
  stays out of the auto-accept band (``COMMON_NAME_CEILING``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from parley.domain.identity import AUTO_ACCEPT, CONTRADICTION_CEILING, REVIEW_FLOOR

# The birth-date level "decades apart" sits right above "else" in the model (see
# ``model.parley_comparisons``), so its gamma is 1.
DECADES_APART_GAMMA = 1
DECADES_CEILING = REVIEW_FLOOR * 0.6
COMMON_NAME_CEILING = round(AUTO_ACCEPT - 0.05, 2)
# A name is common when this many records in the run carry the same surname key and given-name
# id, or when the surname's and given name's frequencies predict that many by chance.
COMMON_NAME_COUNT = 3


def _cap(pairs: pd.DataFrame, where: np.ndarray, ceiling: float) -> None:
    p = pairs["match_probability"].to_numpy()
    pairs["match_probability"] = np.where(where, np.minimum(p, ceiling), p)


def hold_contradictions(pairs: pd.DataFrame, raw: pd.DataFrame) -> None:
    """Given names contradicting outright → at most ``CONTRADICTION_CEILING``; birth years
    decades apart → below the review floor."""
    given = raw.get("gamma_given_name")
    if given is not None:
        _cap(pairs, given.to_numpy() == 0, CONTRADICTION_CEILING)
    birth = raw.get("gamma_birth_date")
    if birth is not None:
        _cap(pairs, birth.to_numpy() == DECADES_APART_GAMMA, DECADES_CEILING)


def _record_table(feats: list[pd.DataFrame]) -> pd.DataFrame:
    cols = [c for c in ("unique_id", "fam_key", "giv_key", "byr", "sn", "dn")
            if c in feats[0].columns]  # fmt: skip
    table = pd.concat([f[cols] for f in feats], ignore_index=True)
    for c in ("sn", "dn"):
        if c not in table.columns:
            table[c] = pd.NA
    return table


def common_name_ids(feats: list[pd.DataFrame]) -> pd.DataFrame:
    """Per record id: whether its name is common, whether it has a birth date, its numbers."""
    table = _record_table(feats)
    n = len(table)
    fam, giv = table["fam_key"], table["giv_key"]
    combo = fam.fillna("") + "\x1f" + giv.fillna("")
    combo_count = combo.map(combo.value_counts())
    fam_share = fam.map(fam.value_counts(normalize=True)).fillna(0.0).astype(float)
    giv_share = giv.map(giv.value_counts(normalize=True)).fillna(0.0).astype(float)
    expected = n * fam_share * giv_share
    named = fam.notna() & giv.notna()
    common = named & ((combo_count >= COMMON_NAME_COUNT) | (expected >= COMMON_NAME_COUNT))
    return pd.DataFrame(
        {
            "common": common.to_numpy(dtype=bool),
            "dated": table["byr"].notna().to_numpy(dtype=bool),
            "sn": table["sn"].astype(object).to_numpy(),
            "dn": table["dn"].astype(object).to_numpy(),
        },
        index=table["unique_id"].astype(str).to_numpy(),
    )


def hold_common_names(pairs: pd.DataFrame, feats: list[pd.DataFrame]) -> None:
    """A common name with no birth date on a side and no personal number agreeing stays out of
    the auto-accept band."""
    if not len(pairs):
        return
    info = common_name_ids(feats)
    info = info[~info.index.duplicated()]
    left = info.reindex(pairs["left_id"].astype(str).to_numpy())
    right = info.reindex(pairs["right_id"].astype(str).to_numpy())
    common = left["common"].fillna(False).to_numpy(bool) | right["common"].fillna(False).to_numpy(
        bool
    )
    undated = ~(left["dated"].fillna(False).to_numpy(bool) & right["dated"].fillna(False).to_numpy(
        bool
    ))
    numbers = np.zeros(len(pairs), dtype=bool)
    for c in ("sn", "dn"):
        a, b = left[c].to_numpy(object), right[c].to_numpy(object)
        numbers |= np.array([isinstance(x, str) and isinstance(y, str) and x == y
                             for x, y in zip(a, b, strict=True)],
                            dtype=bool)  # fmt: skip
    _cap(pairs, common & undated & ~numbers, COMMON_NAME_CEILING)
