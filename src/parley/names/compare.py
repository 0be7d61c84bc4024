"""Graded similarity of two names across scripts, languages and spellings: the public surface.

The rules live by concern: `parley.names.surname` (family names), `parley.names.parts` (given
names and patronymics), `parley.names.verdict` (the weights and caps, as one table); the ints
that make the hot path cheap in `parley.names.cache`, and bulk scoring in `parley.names.batch`.
`compare_names` scores one pair and says why; `NameBatch` and `compare_many` score many pairs
with the same result.
"""

from __future__ import annotations

from collections.abc import Iterable

from parley.names.batch import NameBatch, compare_many
from parley.names.cache import CACHE, FULL, SCORE_OF, pair_key, swapped_key, verdict_key
from parley.names.surname import TWO_SLIPS, family_similarity
from parley.names.verdict import IDENTICAL, SAME_THRESHOLD, NameComparison

__all__ = [
    "SAME_THRESHOLD",
    "TWO_SLIPS",
    "NameBatch",
    "NameComparison",
    "compare_many",
    "compare_names",
    "family_similarity",
    "given_similarity",
    "patronymic_similarity",
    "prepare_names",
]

_profiles = CACHE.profiles.get
_family, _given, _patronymic = CACHE.family, CACHE.given, CACHE.patronymic
_family_codes, _given_codes, _patronymic_codes = (
    CACHE.family.codes.get, CACHE.given.codes.get, CACHE.patronymic.codes.get,
)
_verdicts = CACHE.verdicts.get


def compare_names(a: str, b: str) -> NameComparison:
    """Compare two full names (any order, script, case, with or without patronymic)."""
    # The hot path of linkage review and `--pairs`: once the distinct strings have been seen,
    # this is a handful of dict lookups by int and int comparisons (so the checks of
    # `PairCodes.code` are written out here, and its dicts are read directly).
    if a > b:
        a, b = b, a
    fa, ka, ua, va, sex_a, key_a, swap_a = _profiles(a) or CACHE.profile(a)
    fb, kb, ub, vb, sex_b, key_b, swap_b = _profiles(b) or CACHE.profile(b)
    if key_a == key_b and key_a >= 0:
        return IDENTICAL
    if fa < 0 or fb < 0:
        fc = 0
    elif fa == fb or (ka == kb and ka >= 0):  # as `NameBatch.scores` decides it
        fc = FULL
    else:
        k = pair_key(fa, fb)
        fc = _family_codes(k) or _family.compute(k)
    if ua < 0 or ub < 0:
        gc = 0
    elif ua == ub:
        gc = FULL
    else:
        k = pair_key(ua, ub)
        gc = _given_codes(k) or _given.compute(k)
    if va < 0 or vb < 0:
        pc = 0
    elif va == vb:
        pc = FULL
    else:
        k = pair_key(va, vb)
        pc = _patronymic_codes(k) or _patronymic.compute(k)
    vkey = verdict_key(fc, gc, pc, sex_a != sex_b and sex_a > 0 and sex_b > 0)
    result = _verdicts(vkey) or CACHE.verdict(vkey)
    if not result.same and ub >= 0 and fb >= 0 and fa >= 0 and (swap_a or swap_b):
        # "Kovalov Oleksandr" against "Oleksandr Kovalov" written without a telling order.
        given_as_family, family_as_given = CACHE.swap(b)
        other = CACHE.verdict(swapped_key(
            vkey, _family.code(fa, given_as_family), _given.code(ua, family_as_given)
        ))
        if other.score > result.score:
            result = other
    return result


def prepare_names(names: Iterable[str]) -> int:
    """Parse and resolve each distinct full name once, as a linkage run does when it loads its
    records, so the comparisons that follow are lookups. Returns how many were distinct."""
    distinct = set(names)
    for name in distinct:
        CACHE.profile(name)
    return len(distinct)


def given_similarity(a: str, b: str) -> float:
    """Similarity of two given names in any script: 1.0 for forms of one name (Олександр,
    Александр, Alexander, Sasha), ≤0.5 for two different known names, 0.85 for a matching
    initial; the other sex's form (Oleksandra) stays ≤0.3."""
    a, b = a.strip(), b.strip()
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    return SCORE_OF[_given.code(CACHE.given_uid(a), CACHE.given_uid(b))]


def patronymic_similarity(a: str, b: str) -> float:
    """Similarity of two patronymics by the father's name they are made of, in either language
    and either gender (Миколайович = Николаевич = Mykolaivna)."""
    a, b = a.strip(), b.strip()
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    return SCORE_OF[_patronymic.code(CACHE.patronymic_uid(a), CACHE.patronymic_uid(b))]
