"""Graded similarity of two names across scripts, languages and spellings.

The similarity of each part is computed from what the lexicon and the keys know, not from raw
letters, so "Oleksandr"/"Александр" is 1.0 while "Oleksandr"/"Oleksii" (different names that
share letters) is low. Typos survive: a misspelt given name is resolved by bounded edit distance,
and a misspelt surname keeps most of its consonant skeleton. Different surname formations from
one stem (Kovalenko/Kovalchuk) are capped as different names.

`compare_names` combines the parts: family 0.45, given 0.35, patronymic 0.20 of the parts both
names have, then caps the score when a present part clearly disagrees (a namesake with another
given name or patronymic, another surname, the other sex), so no strong part can outvote a
contradicting one. Two names are the same at `SAME_THRESHOLD` (0.80) or above.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from rapidfuzz.distance import OSA, Indel, JaroWinkler, Levenshtein

from parley.names.keys import family_skeleton, given_skeleton
from parley.names.lexicon import lexicon
from parley.names.normalize import surname_sex
from parley.names.parse import NameParts, parse_name
from parley.names.scripts import fold_to_latin, repair_homoglyphs
from parley.names.translit import SYSTEMS, romanize_as

SAME_THRESHOLD: Final = 0.80
"""`compare_names(...).same` is ``score >= SAME_THRESHOLD``."""

_W_FAMILY: Final = 0.45
_W_GIVEN: Final = 0.35
_W_PATRONYMIC: Final = 0.20


@dataclass(frozen=True, slots=True)
class NameComparison:
    """Score in 0..1, the verdict at `SAME_THRESHOLD`, and a one-line reason for a reviewer."""

    score: float
    same: bool
    reason: str


# Surname formations: a different formation from one stem is a different family name.
_SUFFIX_CLASSES: Final[tuple[tuple[str, str], ...]] = (
    ("enko", "enko"), ("ienko", "enko"), ("chenko", "enko"),
    ("tschuk", "chuk"), ("chuk", "chuk"), ("czuk", "chuk"), ("tchuk", "chuk"),
    ("yuk", "yuk"), ("iuk", "yuk"), ("juk", "yuk"), ("uk", "uk"),
    ("yak", "ak"), ("iak", "ak"), ("jak", "ak"), ("ak", "ak"),
    ("ets", "ets"), ("ec", "ets"), ("etz", "ets"),
    ("ovych", "ich"), ("ovich", "ich"), ("ych", "ich"), ("ich", "ich"), ("icz", "ich"),
    ("skyi", "sky"), ("skiy", "sky"), ("skii", "sky"), ("skij", "sky"), ("sky", "sky"),
    ("ski", "sky"), ("skaya", "sky"), ("skaia", "sky"), ("ska", "sky"),
    ("ova", "ov"), ("eva", "ov"), ("yova", "ov"), ("iova", "ov"), ("ov", "ov"), ("ev", "ov"),
    ("ow", "ov"), ("ew", "ov"), ("iv", "ov"), ("yv", "ov"),
    ("ina", "in"), ("yna", "in"), ("in", "in"), ("yn", "in"),
    ("ko", "ko"), ("ykh", "ykh"), ("ikh", "ykh"), ("yk", "ik"), ("ik", "ik"),
)
_SUFFIX_RE: Final = re.compile(
    "(" + "|".join(sorted({s for s, _ in _SUFFIX_CLASSES}, key=len, reverse=True)) + ")$"
)
_SUFFIX_CLASS: Final = dict(_SUFFIX_CLASSES)


_GENDER_ENDINGS: Final = (
    ("skaia", "sk"), ("ckaia", "ck"), ("ski", "sk"), ("cki", "ck"), ("ska", "sk"), ("cka", "ck"),
    ("ova", "ov"), ("eva", "ev"), ("ina", "in"), ("iva", "iv"), ("aia", "i"),
)


def _neutral(form: str) -> str:
    """A vowel form with the gendered surname ending made neutral (Kovalova -> Kovalov)."""
    for ending, neutral in _GENDER_ENDINGS:
        if form.endswith(ending) and len(form) > len(ending) + 1:
            return form[: -len(ending)] + neutral
    return form


@lru_cache(maxsize=262144)
def _family_profile(text: str) -> tuple[str, frozenset[str], str]:
    """(skeleton, spelling forms, suffix class) of a surname.

    The forms are every romanisation of a Cyrillic surname (the folded text for a Latin one),
    as written and as gender-neutral `given_skeleton`s, so a typo is measured against the
    spelling the other side most likely used, whatever the system.
    """
    latin = fold_to_latin(text).replace(" ", "").replace("rn", "m")  # rn: the commonest OCR slip
    match = _SUFFIX_RE.search(latin) if len(latin) >= 5 else None
    klass = _SUFFIX_CLASS[match.group(1)] if match else ""
    if text.isascii():
        raw = {latin}
    else:
        raw = {
            fold_to_latin(romanize_as(text, system, lang)).replace(" ", "")
            for system in SYSTEMS
            for lang in ("uk", "ru")
        }
    forms = {_neutral(given_skeleton(r)) for r in raw} | raw
    return family_skeleton(text), frozenset(f for f in forms if f), klass


@lru_cache(maxsize=262144)
def _as_written(text: str) -> str:
    """Lowercase letters as written (Cyrillic kept), to count a slip in the script used."""
    return "".join(ch for ch in repair_homoglyphs(text).lower() if ch.isalpha())


@lru_cache(maxsize=262144)
def _gost_x_skeleton(text: str) -> str:
    """Skeleton reading Latin x as х (GOST 7.79 B: Zaxarchenko) rather than кс (Alexandrov)."""
    return family_skeleton(fold_to_latin(text).replace("x", "kh")) if "x" in text.lower() else ""


@lru_cache(maxsize=262144)
def _far_skeletons(ka: str, kb: str) -> float:
    """The score of two surnames whose skeletons are too far apart for one slip (most pairs of
    different surnames), from the skeletons alone; -1 when a closer look is needed."""
    if not ka or not kb:
        return 0.0
    if OSA.distance(ka, kb, score_cutoff=3) > 2:
        return round(min(0.6, Levenshtein.normalized_similarity(ka, kb)), 4)
    return -1.0


@lru_cache(maxsize=262144)
def _family_pair(a: str, b: str) -> float:
    ka, kb = family_skeleton(a), family_skeleton(b)
    if not ka or not kb:
        return 0.0
    if ka == kb:
        return 1.0
    xa, xb = _gost_x_skeleton(a), _gost_x_skeleton(b)
    if (xa and xa == kb) or (xb and xb == ka):
        return 1.0
    # One slip (swap, drop, double, OCR) between the closest spellings of the two is a typo;
    # more is another name. Different formations from one stem (Kovalenko/Kovalchuk) are
    # always more than one slip apart.
    if OSA.distance(ka, kb, score_cutoff=3) > 2:
        return round(min(0.6, Levenshtein.normalized_similarity(ka, kb)), 4)  # not one slip
    _, fa, _ = _family_profile(a)
    _, fb, _ = _family_profile(b)
    best = min(OSA.distance(x, y, score_cutoff=3) for x in fa for y in fb)
    if best > 1 and a.isascii() == b.isascii():
        best = min(best, OSA.distance(_as_written(a), _as_written(b), score_cutoff=3))
    longest = max(len(x) for x in (*fa, *fb))
    typo = best <= 1 and longest >= 4
    if not typo:
        return round(min(0.6, Levenshtein.normalized_similarity(ka, kb)), 4)
    return round(max(0.86, 0.95 - 0.05 * best), 4)


def family_similarity(a: str, b: str) -> float:
    """Similarity of two surnames in any script: 1.0 when their skeletons agree (language,
    transliteration and gender forms), less for typos, ≤0.55 for another formation."""
    a, b = a.strip(), b.strip()
    if not a or not b:
        return 0.0
    return _family_pair(a, b) if a <= b else _family_pair(b, a)


def _initial_letter(text: str) -> str:
    letters = [ch for ch in text if ch.isalpha()]
    return fold_to_latin(letters[0])[:1] if len(letters) == 1 else ""


@dataclass(frozen=True, slots=True)
class _Part:
    """A given name or patronymic, resolved once per distinct string."""

    initial: str
    ids: frozenset[str]
    exact: bool
    sex: str
    skeleton: str
    letters: frozenset[str]  # initials it may be written with (for "O." against Oleksandr)


@lru_cache(maxsize=262144)
def _given_part(text: str) -> _Part:
    lex = lexicon()
    initial = _initial_letter(text)
    if initial:
        return _Part(initial, frozenset(), False, "", "", frozenset())
    res = lex.resolve_given(text)
    letters = (
        frozenset().union(*(lex.initials[i] for i in res.ids))
        if res.ids
        else frozenset(fold_to_latin(text)[:1])
    )
    return _Part("", frozenset(res.ids), res.exact, res.sex, given_skeleton(text), letters)


@lru_cache(maxsize=262144)
def _patronymic_part(text: str) -> _Part:
    lex = lexicon()
    initial = _initial_letter(text)
    if initial:
        return _Part(initial, frozenset(), False, "", "", frozenset())
    res = lex.resolve_patronymic(text)
    letters = (
        frozenset().union(*(lex.patronymic_initials[i] for i in res.ids))
        if res.ids
        else frozenset(fold_to_latin(text)[:1])
    )
    return _Part("", frozenset(res.ids), res.exact, res.sex, given_skeleton(text), letters)


def _part_score(a: _Part, b: _Part, check_sex: bool) -> float:
    if a.initial or b.initial:
        if a.initial and b.initial:
            return 1.0 if a.initial == b.initial else 0.0
        initial, word = (a.initial, b) if a.initial else (b.initial, a)
        return 0.85 if initial in word.letters else 0.0
    if a.ids and b.ids:
        if not a.ids.isdisjoint(b.ids):
            return 1.0 if a.exact and b.exact else 0.92
        score = 0.25  # two different known names, however alike they look (Oleksandr/Oleksii)
        if not (a.exact and b.exact) and _slip_of(a, b):
            score = 0.88  # a misspelling read as another name (Маар for Макар)
    else:
        score = max(
            max(JaroWinkler.normalized_similarity(x, y) - 0.04, Indel.normalized_similarity(x, y))
            for x in _skeletons(a)
            for y in _skeletons(b)
        )
        if a.ids or b.ids:
            # One side is a known name, the other an unknown string: a typo at best.
            score = min(score, 0.88)
    if check_sex and a.sex and b.sex and a.sex != b.sex:
        score = min(score, 0.3)
    return max(0.0, score)


def _skeletons(part: _Part) -> frozenset[str]:
    """Every spelling skeleton a part stands for: all forms of its known name(s), or its own."""
    if not part.ids:
        return frozenset((part.skeleton,))
    lex = lexicon()
    return frozenset().union(*(lex.skeletons.get(i, frozenset()) for i in part.ids)) or (
        frozenset((part.skeleton,))
    )


# Parts interned to small ints: every exact form of one name (Олександр, Aleksandr, Sasha as
# Alexander) is one canonical part, so a pair of names is scored once however it is spelt, and
# the hot path looks the pair up by two ints.
_PART_IDS: dict[tuple[object, ...], int] = {}
_PARTS: list[_Part] = []
_GIVEN_SCORES: dict[tuple[int, int], float] = {}
_PATRONYMIC_SCORES: dict[tuple[int, int], float] = {}
_MAX_SCORES: Final = 1_000_000


def _intern(part: _Part, key: tuple[object, ...]) -> int:
    uid = _PART_IDS.get(key)
    if uid is None:
        uid = _PART_IDS[key] = len(_PARTS)
        _PARTS.append(part)
    return uid


@lru_cache(maxsize=262144)
def _given_uid(text: str) -> int:
    part = _given_part(text)
    if part.exact and part.ids:
        canon = _Part("", part.ids, True, part.sex, "", part.letters)
        return _intern(canon, ("g", part.ids, part.sex))
    return _intern(part, ("g?", text))


@lru_cache(maxsize=262144)
def _patronymic_uid(text: str) -> int:
    part = _patronymic_part(text)
    if part.exact and part.ids:
        return _intern(_Part("", part.ids, True, "", "", part.letters), ("p", part.ids))
    return _intern(part, ("p?", text))


def _scored(cache: dict[tuple[int, int], float], ua: int, ub: int, check_sex: bool) -> float:
    key = (ua, ub) if ua < ub else (ub, ua)
    score = cache.get(key)
    if score is None:
        if len(cache) > _MAX_SCORES:
            cache.clear()
        score = cache[key] = round(_part_score(_PARTS[ua], _PARTS[ub], check_sex), 4)
    return score


def _slip_of(a: _Part, b: _Part) -> bool:
    """One side, misspelt, is one slip from a form of the other side's name."""
    lex = lexicon()
    for fuzzy, other in ((a, b), (b, a)):
        if fuzzy.exact:
            continue
        for name_id in other.ids:
            if any(OSA.distance(fuzzy.skeleton, k, score_cutoff=2) <= 1
                   for k in lex.skeletons[name_id]):
                return True
    return False


def _given_pair(a: str, b: str) -> float:
    ua, ub = _given_uid(a), _given_uid(b)
    return 1.0 if ua == ub else _scored(_GIVEN_SCORES, ua, ub, True)


def given_similarity(a: str, b: str) -> float:
    """Similarity of two given names in any script: 1.0 for forms of one name (Олександр,
    Александр, Alexander, Sasha), ≤0.5 for two different known names, 0.85 for a matching
    initial; the other sex's form (Oleksandra) stays ≤0.3."""
    a, b = a.strip(), b.strip()
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    return _given_pair(a, b) if a <= b else _given_pair(b, a)


def _patronymic_pair(a: str, b: str) -> float:
    ua, ub = _patronymic_uid(a), _patronymic_uid(b)
    return 1.0 if ua == ub else _scored(_PATRONYMIC_SCORES, ua, ub, False)


def patronymic_similarity(a: str, b: str) -> float:
    """Similarity of two patronymics by the father's name they are made of, in either language
    and either gender (Миколайович = Николаевич = Mykolaivna)."""
    a, b = a.strip(), b.strip()
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    return _patronymic_pair(a, b) if a <= b else _patronymic_pair(b, a)


def _sex_of(parts: NameParts) -> str:
    lex = lexicon()
    if parts.given and not _initial_letter(parts.given):
        res = lex.resolve_given(parts.given)
        if res.sex:
            return res.sex
    if parts.patronymic and not _initial_letter(parts.patronymic):
        res = lex.resolve_patronymic(parts.patronymic)
        if res.sex:
            return res.sex
    return surname_sex(parts.family) if parts.family else ""


_Profile = tuple[str, str, str, int, str, int, str, int, bool]


_PROFILES: dict[str, _Profile] = {}
_MAX_PROFILES: Final = 500_000


def _profile_of(text: str) -> _Profile:
    """`_profile` through a plain dict: the hot path hits it twice per pair, and a dict hit is
    cheaper than an LRU hit (no recency bookkeeping)."""
    got = _PROFILES.get(text)
    if got is None:
        if len(_PROFILES) > _MAX_PROFILES:
            _PROFILES.clear()
            _KEY_IDS.clear()  # ids are only compared between live profiles
        got = _PROFILES[text] = _profile(text)
    return got


def _profile(text: str) -> _Profile:
    """(family, family skeleton, given, given part id, patronymic, patronymic part id, sex,
    identity key, family may be a given name) of a full name."""
    parts = parse_name(text)
    key = " ".join(fold_to_latin(unicodedata.normalize("NFC", text)).split())
    swappable = bool(parts.family) and bool(_given_part(parts.family).ids)
    return (
        parts.family, family_skeleton(parts.family) if parts.family else "",
        parts.given, _given_uid(parts.given) if parts.given else -1,
        parts.patronymic, _patronymic_uid(parts.patronymic) if parts.patronymic else -1,
        _sex_of(parts), _KEY_IDS.setdefault(key, len(_KEY_IDS)) if key else -1, swappable,
    )


_KEY_IDS: dict[str, int] = {}  # identity keys as ints: the hot path compares two ints


_ABSENT: Final = -1.0


def _part_scores(pa: NameParts, pb: NameParts) -> tuple[float, float, float]:
    """(family, given, patronymic) similarities; `_ABSENT` where either side lacks the part.
    Parts from `parse_name` are stripped already, so the pair caches are called directly."""
    fa, fb = pa.family, pb.family
    if fa and fb:
        fs = 1.0 if fa == fb else (_family_pair(fa, fb) if fa < fb else _family_pair(fb, fa))
    else:
        fs = _ABSENT
    ga, gb = pa.given, pb.given
    if ga and gb:
        gs = 1.0 if ga == gb else (_given_pair(ga, gb) if ga < gb else _given_pair(gb, ga))
    else:
        gs = _ABSENT
    qa, qb = pa.patronymic, pb.patronymic
    if qa and qb:
        ps = 1.0 if qa == qb else (
            _patronymic_pair(qa, qb) if qa < qb else _patronymic_pair(qb, qa)
        )
    else:
        ps = _ABSENT
    return fs, gs, ps


@lru_cache(maxsize=65536)
def _verdict(fs: float, gs: float, ps: float, other_sex: bool, swapped: bool) -> NameComparison:
    """Combine part scores into the verdict; cached, since few distinct combinations occur."""
    weights = 0.0
    total = 0.0
    caps: list[tuple[float, str]] = []
    notes: list[str] = []
    if fs != _ABSENT:
        total += _W_FAMILY * fs
        weights += _W_FAMILY
        notes.append(f"family {fs:.2f}")
        if fs < 0.75:
            caps.append((0.5, "different family names"))
    if gs != _ABSENT:
        total += _W_GIVEN * gs
        weights += _W_GIVEN
        notes.append(f"given {gs:.2f}")
        if gs < 0.7:
            caps.append((0.5, "different given names"))
    if ps != _ABSENT:
        total += _W_PATRONYMIC * ps
        weights += _W_PATRONYMIC
        notes.append(f"patronymic {ps:.2f}")
        if ps < 0.7:
            caps.append((0.55, "different patronymics"))
    if not weights:
        return NameComparison(0.0, False, "nothing to compare")
    score = total / weights
    if fs == _ABSENT:
        caps.append((0.6, "no family name on one side"))
    elif gs == _ABSENT:
        caps.append((SAME_THRESHOLD, "family name only"))
    if other_sex:
        caps.append((0.4, "different sex"))
    for cap, why in caps:
        if score > cap:
            score = cap
            notes.append(why)
    if swapped:
        notes.append("read in swapped order")
    score = round(min(1.0, max(0.0, score)), 4)
    return NameComparison(score, score >= SAME_THRESHOLD, "; ".join(notes))


_IDENTICAL: Final = NameComparison(1.0, True, "identical")
_VERDICTS: dict[tuple[float, float, float, bool], NameComparison] = {}


def compare_names(a: str, b: str) -> NameComparison:
    """Compare two full names (any order, script, case, with or without patronymic)."""
    # The hot path of linkage review and `--pairs`: once the distinct strings have been seen,
    # this is a handful of dict lookups and int comparisons.
    if a > b:
        a, b = b, a
    get = _PROFILES.get
    fa, ka, ga, ua, qa, va, sex_a, key_a, swap_a = get(a) or _profile_of(a)
    fb, kb, gb, ub, qb, vb, sex_b, key_b, swap_b = get(b) or _profile_of(b)
    if key_a == key_b and key_a >= 0:
        return _IDENTICAL
    other_sex = sex_a != sex_b and sex_a != "" and sex_b != ""
    fs = gs = ps = _ABSENT
    if fa and fb:
        if ka and ka == kb:
            fs = 1.0
        else:
            far = _far_skeletons(ka, kb) if ka < kb else _far_skeletons(kb, ka)
            fs = far if far >= 0 else (_family_pair(fa, fb) if fa < fb else _family_pair(fb, fa))
    if ga and gb:
        if ua == ub:
            gs = 1.0
        else:
            got = _GIVEN_SCORES.get((ua, ub) if ua < ub else (ub, ua))
            gs = got if got is not None else _scored(_GIVEN_SCORES, ua, ub, True)
    if qa and qb:
        if va == vb:
            ps = 1.0
        else:
            got = _PATRONYMIC_SCORES.get((va, vb) if va < vb else (vb, va))
            ps = got if got is not None else _scored(_PATRONYMIC_SCORES, va, vb, False)
    result = _VERDICTS.get((fs, gs, ps, other_sex))
    if result is None:
        result = _VERDICTS[(fs, gs, ps, other_sex)] = _verdict(fs, gs, ps, other_sex, False)
    if not result.same and gb and fb and fa and (swap_a or swap_b):
        # "Kovalov Oleksandr" against "Oleksandr Kovalov" written without a telling order.
        swapped = _part_scores(NameParts(fa, ga, qa), NameParts(gb, fb, qb))
        other = _verdict(*swapped, other_sex, True)
        if other.score > result.score:
            result = other
    return result


def prepare_names(names: Iterable[str]) -> int:
    """Parse and resolve each distinct full name once, as a linkage run does when it loads its
    records, so the comparisons that follow are lookups. Returns how many were distinct."""
    distinct = set(names)
    for name in distinct:
        _profile_of(name)
    return len(distinct)


