"""Caps on a pair's probability where the model's independence assumption overstates it.

Fellegi–Sunter adds up evidence as if the fields were independent. These situations break that
and are capped here, after scoring, so no weight the model learns can undo them:

- **given names contradict** (no personal number vouching): relatives share surname, birth
  date, place and address, so their agreement is not independent evidence — at most
  ``CONTRADICTION_CEILING``, a reviewer decides;
- **birth years decades apart** (again with no number vouching): a father and his son of the
  same name agree on every name part; a name cannot outvote a generation — kept apart;
- **a very common name with no birth date and no personal number** on one side: Попов Сергей
  agrees with hundreds of strangers by name alone, so however well the names agree, the pair
  stays out of the auto-accept band (``COMMON_NAME_CEILING``), and where the other input holds
  *k* namesakes of the undated record (seen, or expected by chance from the name parts'
  frequencies there), the name alone cannot say which of them it is: at most
  ``COMMON_NAME_CEILING / k`` (``namesakes_on_other_side``). A patronymic both records carry
  is part of the name: Руденко Олександр Леонідович is rarer than Руденко Олександр;
- **namesakes** (``hold_namesakes``): a record with several candidates of its own name, one of
  them born on its birth date, is not also the namesake born on another date; and candidates
  that cannot all be the record (their birth dates differ from each other) share its
  probability instead of each claiming it in full.

One guard works the other way, a *floor*:

- **a personal number agrees** (service or document number, exactly after OCR folding): a number
  belongs to one person, so a pair that shares one and contradicts on a given name or birth date
  (a name replaced on entry, a date mistyped) goes to a reviewer instead of being dropped —
  at least ``NUMBER_FLOOR``, in the review band. With the full birth date agreeing as well,
  two identifiers that strangers do not share agree, and the pair is accepted
  (``NUMBER_AND_DATE_FLOOR``) however its names were mangled (run together, another
  romanisation): twins share a date but not a number. The model's own weights decide above that.

A cap is a *ceiling per pair* (``Ceilings``, which also hold the floors; a ceiling wins over a
floor), applied by ``enforce``: to the probability, to
the match weight (which must stay its log2 odds — reviewers see it) and as a ``bf_guard`` bar so
the waterfall's bars still add up. The pipeline enforces the ceilings again after any
calibration, which would otherwise lift a capped pair back above its ceiling.
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
# A namesake born on another date than a candidate born on the record's own date.
NAMESAKE_CEILING = DECADES_CEILING
# A pair sharing a personal number is at least a review item (the lower part of the band).
NUMBER_FLOOR = round(REVIEW_FLOOR + 0.1, 2)
# ... and in the auto-accept band when the full birth date agrees too.
NUMBER_AND_DATE_FLOOR = AUTO_ACCEPT
# A number shorter than this (a unit's roll number, a truncated entry) vouches for nobody.
NUMBER_MIN_LENGTH = 5
GUARD_COLUMN = "bf_guard"
_MAX_WEIGHT = 50.0  # log2 odds; 1 - 2**-50 is about the last float below 1.0 worth telling apart


class Ceilings:
    """Per-pair ceilings on the match probability (1.0: no cap), gathered from every guard, and
    per-pair floors (0.0: none); where both apply, the ceiling wins."""

    def __init__(self, n: int) -> None:
        self.values = np.ones(n, dtype=float)
        self.floors = np.zeros(n, dtype=float)

    def cap(self, where: np.ndarray, ceiling: float | np.ndarray) -> None:
        self.values = np.where(where, np.minimum(self.values, ceiling), self.values)

    def raise_to(self, where: np.ndarray, floor: float) -> None:
        self.floors = np.where(where, np.maximum(self.floors, floor), self.floors)

    def bound(self, p: np.ndarray) -> np.ndarray:
        """``p`` held between each pair's floor and its ceiling."""
        return np.asarray(np.minimum(np.maximum(p, self.floors), self.values), dtype=float)


def _weight(p: np.ndarray) -> np.ndarray:
    clipped = np.clip(p, 2.0**-_MAX_WEIGHT, 1.0 - 2.0**-_MAX_WEIGHT)
    return np.asarray(np.log2(clipped / (1.0 - clipped)), dtype=float)


def set_probability(pairs: pd.DataFrame, new: np.ndarray) -> None:
    """Replace the probability where it changed, keeping weight = log2 odds and the bars'
    sum = weight (the change is the ``bf_guard`` bar)."""
    old = pairs["match_probability"].to_numpy(dtype=float)
    changed = ~np.isclose(new, old, rtol=0.0, atol=1e-12)
    if GUARD_COLUMN not in pairs.columns:
        pairs[GUARD_COLUMN] = 0.0
    if not changed.any():
        return
    weight = pairs["match_weight"].to_numpy(dtype=float)
    new_weight = np.where(changed, _weight(new), weight)
    pairs[GUARD_COLUMN] = pairs[GUARD_COLUMN].to_numpy(dtype=float) + (new_weight - weight)
    pairs["match_weight"] = new_weight
    pairs["match_probability"] = np.where(changed, new, old)


def enforce(pairs: pd.DataFrame, ceilings: Ceilings) -> None:
    """Hold every pair between its floor and its ceiling (probability, weight and bars
    together)."""
    set_probability(pairs, ceilings.bound(pairs["match_probability"].to_numpy(dtype=float)))


def contradiction_ceilings(raw: pd.DataFrame, ceilings: Ceilings) -> None:
    """Given names contradicting outright → at most ``CONTRADICTION_CEILING``; birth years
    decades apart → below the review floor. ``raw`` is Splink's output, row for row with the
    pairs."""
    given = raw.get("gamma_given_name")
    if given is not None:
        ceilings.cap(given.to_numpy() == 0, CONTRADICTION_CEILING)
    birth = raw.get("gamma_birth_date")
    if birth is not None:
        ceilings.cap(birth.to_numpy() == DECADES_APART_GAMMA, DECADES_CEILING)


_RECORD_COLUMNS = ("unique_id", "fam_key", "giv_key", "pat_key", "byr", "bdate", "bdate_dm", "sn",
                   "dn")


def _record_table(feats: list[pd.DataFrame]) -> pd.DataFrame:
    cols = [c for c in _RECORD_COLUMNS if c in feats[0].columns]
    table = pd.concat([f[cols] for f in feats], ignore_index=True)
    for c in _RECORD_COLUMNS:
        if c not in table.columns:
            table[c] = pd.NA
    return table


def common_name_ids(feats: list[pd.DataFrame]) -> pd.DataFrame:
    """Per record (row order of the inputs, one after the other): whether its name is common,
    whether it has a birth date, how many namesakes it has in the other input (in a dedupe:
    among the other records); ``unique_id`` names it."""
    table = _record_table(feats)
    n = len(table)
    fam, giv, pat = table["fam_key"], table["giv_key"], table["pat_key"]
    combo = fam.fillna("") + "\x1f" + giv.fillna("") + "\x1f" + pat.fillna("")
    combo_count = combo.map(combo.value_counts())
    expected = n * _share(fam, fam) * _share(giv, giv) * _share(pat, pat).where(pat.notna(), 1.0)
    named = fam.notna() & giv.notna()
    common = named & ((combo_count >= COMMON_NAME_COUNT) | (expected >= COMMON_NAME_COUNT))
    if len(feats) == 1:
        namesakes = _namesakes(table, table, itself=True)
    else:
        left, right = _record_table(feats[:1]), _record_table(feats[-1:])
        namesakes = pd.concat([_namesakes(left, right), _namesakes(right, left)],
                              ignore_index=True)  # fmt: skip
    return pd.DataFrame(
        {
            "unique_id": table["unique_id"].astype(str).to_numpy(),
            "common": common.to_numpy(dtype=bool),
            "dated": table["byr"].notna().to_numpy(dtype=bool),
            "namesakes": np.where(named, namesakes.to_numpy(dtype=float), 0.0),
        }
    )


def _share(values: pd.Series, among: pd.Series) -> pd.Series:
    """Each value's share of ``among`` (0 where it does not occur there)."""
    return values.map(among.value_counts(normalize=True)).fillna(0.0).astype(float)


def _namesakes(records: pd.DataFrame, other: pd.DataFrame, *, itself: bool = False) -> pd.Series:
    """Per record: the people in ``other`` who carry its name — same surname key and given-name
    id, and no other patronymic — told apart by birth year (a registry holds several records of
    one person), or, where more, as many as the name parts' frequencies in ``other`` predict by
    chance. ``itself``: ``other`` holds the record too (a dedupe)."""
    def key(frame: pd.DataFrame, with_pat: bool) -> pd.Series:
        k = frame["fam_key"].fillna("") + "\x1f" + frame["giv_key"].fillna("")
        return k + "\x1f" + frame["pat_key"].fillna("") if with_pat else k

    def groups(among: pd.Series, years: pd.Series) -> dict[str, tuple[int, frozenset[int]]]:
        """name key → (records, their distinct birth years)."""
        table = pd.DataFrame({"k": among.to_numpy(), "y": years.to_numpy()})
        return {str(k): (len(g), frozenset(int(y) for y in g["y"].dropna()))
                for k, g in table.groupby("k")}  # fmt: skip

    # Only an undated record's namesakes cap anything: the others' are not counted (a
    # million-record registry has hundreds of thousands of names).
    undated = records["byr"].isna().to_numpy(bool)
    everyone, other = other, other[key(other, False).isin(set(key(records[undated], False)))]
    no_pat = other["pat_key"].isna()
    by_name = groups(key(other, False), other["byr"])
    by_pat = groups(key(other, True), other["byr"])
    unnamed = groups(key(other, False)[no_pat], other["byr"][no_pat])
    empty: tuple[int, frozenset[int]] = (0, frozenset())

    def people(name: str, full: str, has_pat: bool) -> float:
        # A patronymic the record has: namesakes are those with the same or none.
        size, years = by_name.get(name, empty)
        if has_pat:
            (n1, y1), (n2, y2) = unnamed.get(name, empty), by_pat.get(full, empty)
            size, years = n1 + n2, y1 | y2
        size -= 1 if itself else 0  # a dedupe: the record is among them (undated: no year)
        return float(max(len(years), 1 if size > 0 else 0))

    pat, other_pat = records["pat_key"], everyone["pat_key"]
    seen = pd.Series([people(n, f, h) if u else 0.0 for n, f, h, u in zip(
        key(records, False), key(records, True), pat.notna(), undated, strict=True)], dtype=float)
    size = len(everyone) - (1 if itself else 0)
    expected = (size * _share(records["fam_key"], everyone["fam_key"])
                * _share(records["giv_key"], everyone["giv_key"])
                * _share(pat, other_pat).where(pat.notna(), 1.0))  # fmt: skip
    return pd.Series(np.maximum(seen.to_numpy(float), expected.to_numpy(float)))


def _side(feats: list[pd.DataFrame], extra: pd.DataFrame | None, index: int,
          ids: pd.Series) -> pd.DataFrame:
    """Each pair's record on one side (left: the first input, right: the last), looked up
    by id in that input only — a list and a registry may both use "17" as an id."""
    frame = feats[index if len(feats) > 1 else 0]
    table = frame[[c for c in _RECORD_COLUMNS if c in frame.columns]].copy()
    table["unique_id"] = table["unique_id"].astype(str)
    if extra is not None:
        part = extra.iloc[:len(feats[0])] if index == 0 else extra.iloc[len(extra) - len(frame):]
        for col in part.columns:
            if col != "unique_id":
                table[col] = part[col].to_numpy()
    table = table.drop_duplicates("unique_id").set_index("unique_id")
    return table.reindex(ids.astype(str).to_numpy())


def _text(frame: pd.DataFrame, col: str) -> np.ndarray:
    if col not in frame.columns:
        return np.full(len(frame), None, dtype=object)
    values = frame[col].astype(object).to_numpy()
    return np.array([v if isinstance(v, str) and v else None for v in values], dtype=object)


def _equal(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.array([x is not None and x == y for x, y in zip(a, b, strict=True)], dtype=bool)


def numbers_agree(left: pd.DataFrame, right: pd.DataFrame, min_length: int = 1) -> np.ndarray:
    """A service or document number agrees (after OCR folding), ``min_length`` long or more."""
    out = np.zeros(len(left), dtype=bool)
    for c in ("sn", "dn"):
        a = _text(left, c)
        long_enough = np.array([v is not None and len(v) >= min_length for v in a], dtype=bool)
        out |= _equal(a, _text(right, c)) & long_enough
    return out


def number_floors(pairs: pd.DataFrame, feats: list[pd.DataFrame], ceilings: Ceilings) -> None:
    """A pair sharing a service or document number is at least a review item; sharing the full
    birth date too, it is accepted."""
    if not len(pairs):
        return
    left = _side(feats, None, 0, pairs["left_id"])
    right = _side(feats, None, -1, pairs["right_id"])
    shared = numbers_agree(left, right, NUMBER_MIN_LENGTH)
    ceilings.raise_to(shared, NUMBER_FLOOR)
    ceilings.raise_to(shared & _equal(_text(left, "bdate"), _text(right, "bdate")),
                      NUMBER_AND_DATE_FLOOR)


def common_name_ceilings(pairs: pd.DataFrame, feats: list[pd.DataFrame],
                         ceilings: Ceilings) -> None:
    """A pair with no birth date on a side and no personal number agreeing: a common name
    stays out of the auto-accept band, and an undated record with *k* namesakes on the other
    side is at most ``COMMON_NAME_CEILING / k`` to any of them."""
    if not len(pairs):
        return
    info = common_name_ids(feats)
    left = _side(feats, info, 0, pairs["left_id"])
    right = _side(feats, info, -1, pairs["right_id"])

    def flag(side: pd.DataFrame, col: str) -> np.ndarray:
        return np.asarray(side[col].fillna(False).to_numpy(bool), dtype=bool)

    left_dated, right_dated = flag(left, "dated"), flag(right, "dated")
    undated = ~(left_dated & right_dated) & ~numbers_agree(left, right)
    ceilings.cap(undated & (flag(left, "common") | flag(right, "common")), COMMON_NAME_CEILING)
    # The namesakes that count are the undated record's: a dated one is told apart by its date.
    sakes = np.maximum(
        np.where(left_dated, 0.0, left["namesakes"].fillna(0.0).to_numpy(float)),
        np.where(right_dated, 0.0, right["namesakes"].fillna(0.0).to_numpy(float)),
    )
    # Of k namesakes, those that would also agree on what else this pair agrees on (unit,
    # place, capture...) are k / 2**bits, the bits being those fields' Bayes factors: a pair
    # told apart by them is not capped for its name's sake.
    sakes = sakes / 2.0 ** np.maximum(_other_evidence(pairs), 0.0)
    ceilings.cap(undated & (sakes > 1.0), COMMON_NAME_CEILING / np.maximum(sakes, 1.0))


# Comparisons that are the name or the birth date (what namesakes share or an undated record
# lacks), and sex, which the name mostly implies.
_NAME_BARS = frozenset(("bf_family_name", "bf_given_name", "bf_patronymic", "bf_birth_date",
                        "bf_sex", GUARD_COLUMN))


def _other_evidence(pairs: pd.DataFrame) -> np.ndarray:
    """Per pair: the log2 Bayes factors of every comparison besides name, birth date and sex."""
    cols = [c for c in pairs.columns if c.startswith("bf_") and c not in _NAME_BARS]
    if not cols:
        return np.zeros(len(pairs), dtype=float)
    return np.asarray(pairs[cols].fillna(0.0).to_numpy(float).sum(axis=1), dtype=float)


def _per_anchor_any(anchor: np.ndarray, flag: np.ndarray) -> np.ndarray:
    """For each pair: whether any pair of the same anchor record has ``flag``."""
    frame = pd.DataFrame({"a": anchor, "f": flag})
    return np.asarray(frame.groupby("a")["f"].transform("any").to_numpy(), dtype=bool)


def _per_anchor_count(anchor: np.ndarray, flag: np.ndarray) -> np.ndarray:
    frame = pd.DataFrame({"a": anchor, "f": flag.astype(int)})
    return np.asarray(frame.groupby("a")["f"].transform("sum").to_numpy(), dtype=int)


def _competitors(anchor: np.ndarray, date: np.ndarray, name: np.ndarray,
                 odds: np.ndarray) -> np.ndarray:
    """For each pair: the summed odds of the anchor's other candidates that cannot be the same
    person as this pair's candidate. Two candidates are alike when born on the same date, or
    when either has no birth date and they carry the same name (a registry may hold several
    records of one person); any other two are rivals."""
    known = np.array([d is not None for d in date], dtype=bool)
    frame = pd.DataFrame({"a": anchor, "d": np.where(known, date, ""), "n": name, "o": odds,
                          "u": np.where(known, 0.0, odds)})  # fmt: skip
    total = frame.groupby("a")["o"].transform("sum").to_numpy(dtype=float)
    same_date = frame.groupby(["a", "d"])["o"].transform("sum").to_numpy(dtype=float)
    same_name = frame.groupby(["a", "n"])["o"].transform("sum").to_numpy(dtype=float)
    undated_name = frame.groupby(["a", "n"])["u"].transform("sum").to_numpy(dtype=float)
    alike = np.where(known, same_date + undated_name, same_name)
    return np.asarray(np.maximum(total - alike, 0.0), dtype=float)


def _name_keys(frame: pd.DataFrame) -> np.ndarray:
    """Surname key and given-name id together; a record without both is alike only itself."""
    fam, giv = _text(frame, "fam_key"), _text(frame, "giv_key")
    return np.array([f"{f}\x1f{g}" if f and g else f"\x1e{i}"
                     for i, (f, g) in enumerate(zip(fam, giv, strict=True))], dtype=object)


def namesake_ceilings(pairs: pd.DataFrame, raw: pd.DataFrame, feats: list[pd.DataFrame],
                      ceilings: Ceilings, *, competing: bool) -> None:
    """Hold namesakes apart, seen from each record's side in turn (the anchor).

    An anchor with several candidates of its own name, one of them born on a compatible date,
    is not also the one born on a contradicting date (no number vouching): such a namesake is
    capped below the review floor. Then, with ``competing``, candidates that cannot be one person
    are rivals, of whom at most one is the anchor: each pair's odds are shared with
    those of its rivals, p = o / (1 + o + Σ rivals' o), as a posterior over "one of them or
    none". Candidates alike enough to be one person do not compete (``_competitors``).
    """
    if not len(pairs):
        return
    left = _side(feats, None, 0, pairs["left_id"])
    right = _side(feats, None, -1, pairs["right_id"])
    vouched = numbers_agree(left, right)
    same_name = (_equal(_text(left, "fam_key"), _text(right, "fam_key"))
                 & _equal(_text(left, "giv_key"), _text(right, "giv_key")))  # fmt: skip
    birth = raw.get("gamma_birth_date")
    if birth is None:
        return
    gamma = birth.to_numpy()
    contradicts = (gamma >= 0) & (gamma <= DECADES_APART_GAMMA) & ~vouched
    p = ceilings.bound(pairs["match_probability"].to_numpy(dtype=float))
    odds = 2.0 ** np.clip(_weight(p), -_MAX_WEIGHT, _MAX_WEIGHT)
    # Both ends of every pair as an anchor, in one long table: in a dedupe an anchor's
    # candidates stand on either side; in a link the two inputs' ids are separate namespaces.
    tags = ("", "") if len(feats) == 1 else ("L\x1f", "R\x1f")
    anchor = np.concatenate([(tags[0] + pairs["left_id"].astype(str)).to_numpy(dtype=object),
                             (tags[1] + pairs["right_id"].astype(str)).to_numpy(dtype=object)])
    date = np.concatenate([_text(right, "bdate_dm"), _text(left, "bdate_dm")])
    name = np.concatenate([_name_keys(right), _name_keys(left)])
    name2, contra2 = np.tile(same_name, 2), np.tile(contradicts, 2)
    namesakes = _per_anchor_count(anchor, name2) >= 2
    agreeing = _per_anchor_any(anchor, name2 & ~contra2)
    held = namesakes & agreeing & name2 & contra2
    n = len(pairs)
    ceilings.cap(held[:n] | held[n:], NAMESAKE_CEILING)
    if not competing:
        return
    odds2 = np.tile(odds, 2)
    rivals = _competitors(anchor, date, name, odds2)
    shared = np.where(rivals > 0, odds2 / (1.0 + odds2 + rivals), 1.0)
    ceilings.cap(np.ones(n, dtype=bool), np.minimum(shared[:n], shared[n:]))


def apply_guards(pairs: pd.DataFrame, raw: pd.DataFrame, feats: list[pd.DataFrame], *,
                 competing: bool = True) -> Ceilings:
    """Every cap and floor for these pairs, enforced now; returned to be enforced again after
    anything that rescales probabilities (calibration)."""
    ceilings = Ceilings(len(pairs))
    number_floors(pairs, feats, ceilings)
    contradiction_ceilings(raw, ceilings)
    common_name_ceilings(pairs, feats, ceilings)
    namesake_ceilings(pairs, raw, feats, ceilings, competing=competing)
    enforce(pairs, ceilings)
    return ceilings
