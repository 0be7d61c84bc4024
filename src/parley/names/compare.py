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

A surname typo is one slip between the closest spellings of the two sides; two slips count in a
long surname with a long stem, and (as `TWO_SLIPS`) in a 9-10 letter one only beside the same
given name and patronymic. `NameBatch` scores many pairs by index arrays with the same result as
`compare_names`, computing each distinct pair of parts and each distinct verdict once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

import numpy as np
import numpy.typing as npt
from rapidfuzz.distance import OSA, Indel, JaroWinkler, Levenshtein

from parley.names.keys import family_skeleton, given_skeleton, read_latin
from parley.names.lexicon import lexicon
from parley.names.normalize import surname_sex
from parley.names.parse import NameParts, parse_name
from parley.names.scripts import fold_to_latin, repair_homoglyphs
from parley.names.translit import SYSTEMS, romanize_as

SAME_THRESHOLD: Final = 0.80
"""`compare_names(...).same` is ``score >= SAME_THRESHOLD``."""

TWO_SLIPS: Final = 0.74
"""`family_similarity` of a 9-10 letter surname two slips from the other: another name unless
the given name and patronymic are the same (then `compare_names` does not cap it)."""

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
    ("skyi", "sky"), ("skyy", "sky"), ("skiy", "sky"),
    ("an", "an"), ("ian", "an"), ("yan", "an"), ("yshyn", "shyn"), ("ishin", "shyn"),
    ("yshin", "shyn"), ("skii", "sky"), ("skij", "sky"), ("sky", "sky"),
    ("ski", "sky"), ("skaya", "sky"), ("skaia", "sky"), ("ska", "sky"),
    ("ova", "ov"), ("eva", "ov"), ("yova", "ov"), ("iova", "ov"), ("ov", "ov"), ("ev", "ov"),
    ("ow", "ov"), ("ew", "ov"), ("owa", "ov"), ("ewa", "ov"), ("skaja", "sky"),
    ("iv", "ov"), ("yv", "ov"),
    ("ina", "in"), ("yna", "in"), ("in", "in"), ("yn", "in"),
    ("ko", "ko"), ("ykh", "ykh"), ("ikh", "ykh"), ("yk", "ik"), ("ik", "ik"),
)
_SUFFIX_RE: Final = re.compile(
    "(" + "|".join(sorted({s for s, _ in _SUFFIX_CLASSES}, key=len, reverse=True)) + ")$"
)
_SUFFIX_CLASS: Final = dict(_SUFFIX_CLASSES)


_BARE_CH: Final = re.compile(r"(?<!s)ch")
_GERMAN: Final = re.compile(r"sch|w")
_CYRILLIC: Final = re.compile("[\u0400-\u04ff]")
_POLISH: Final = re.compile(r"cz|sz|rz|[żłśćźń]")
_GERMAN_S: Final = re.compile(r"sch|ss|s")
_IOTATED: Final = re.compile(r"i([uaeo])")


def _one_symbol(match: re.Match[str]) -> str:
    return match.group(1).upper()


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
def _family_profile(text: str) -> tuple[str, frozenset[str], str, frozenset[str]]:
    """(skeleton, spelling forms, suffix class, iotated forms) of a surname.

    The forms are every romanisation of a Cyrillic surname (the folded text for a Latin one),
    as written and as gender-neutral `given_skeleton`s, so a typo is measured against the
    spelling the other side most likely used, whatever the system.
    """
    latin = read_latin(text).replace(" ", "")
    match = _SUFFIX_RE.search(latin) if len(latin) >= 5 else None
    klass = _SUFFIX_CLASS[match.group(1)] if match else ""
    if not _CYRILLIC.search(text):
        raw = {latin}
        if "ch" in latin:  # German/Polish ch for х in a word without other marks (Sacharchenko)
            raw.add(_BARE_CH.sub("kh", latin))
        if latin[:1] == "s" and latin[1:2] in "aeiouy":  # German s for з
            raw |= {"z" + r[1:] for r in raw}
        if _GERMAN.search(latin) and not _POLISH.search(text.lower()):
            # German spelling: z is ц, a single s is з, sch may be ж (Kusnezow, Schurawljow).
            german = _GERMAN_S.sub(lambda m: m.group(0) if len(m.group(0)) > 1 else "z",
                                   latin.replace("z", "ts"))
            raw |= {german, german.replace("sch", "zh", 1)}
    else:
        raw = {
            fold_to_latin(romanize_as(text, system, lang)).replace(" ", "")
            for system in SYSTEMS
            for lang in ("uk", "ru")
        }
    raw |= {r.replace("rn", "m") for r in raw if "rn" in r}  # rn read as m by OCR
    skeletons = {_neutral(given_skeleton(r)) for r in raw}
    # One symbol per iotated vowel (ю = iu/yu/ju), so a slip of one Cyrillic letter is one
    # edit against the Latin spelling too (Поюіщук/Polishchuk, Гнатшк/Gnatiuk).
    forms = skeletons | raw
    iotated = {_IOTATED.sub(_one_symbol, s) for s in skeletons}
    return family_skeleton(text), frozenset(f for f in forms if f), klass, frozenset(iotated)


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


def _stem_len(form: str) -> int:
    """Letters before the surname suffix: two slips in a short stem (Savchenko/Shevchenko,
    Sydorenko/Fedorenko) make another name, however long the suffix."""
    match = _SUFFIX_RE.search(form)
    return match.start() if match else len(form)


def _same_formation(a: str, b: str) -> bool:
    """One suffix class, or a suffix misspelt beyond recognition on one side (then of about
    the same length: Chornovol/Chornovolan is a suffix added, not a slip)."""
    ca, cb = _family_profile(a)[2], _family_profile(b)[2]
    if ca == cb:
        return True
    return (not ca or not cb) and abs(len(read_latin(a)) - len(read_latin(b))) <= 1


def _chenko_pair(ka: str, kb: str) -> bool:
    """Skeletons of one stem with -енко and -ченко (Kovalenko/Kovalchenko, Hryhorenko/
    Hryhorchenko): the one-symbol difference is another formation, not a slip."""
    for longer, shorter in ((ka, kb), (kb, ka)):
        # After ш/щ (x) a lost or added ч is a slip of шч/щ (Hryshcenko for Грищенко); a
        # doubled ч is a slip too (Захарчецнко).
        if (longer.endswith("cnk") and longer[:-3] + "nk" == shorter
                and longer[-4:-3] != "x" and not shorter.endswith("cnk")):
            return True
    return False


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
        if _one_letter_apart(a, b):
            return 0.9
        return round(min(0.6, Levenshtein.normalized_similarity(ka, kb)), 4)  # not one slip
    _, fa, _, ia = _family_profile(a)
    _, fb, _, ib = _family_profile(b)
    best = min(OSA.distance(x, y, score_cutoff=3) for x in fa for y in fb)
    if best > 1 and _same_formation(a, b):
        best = min(best, min(OSA.distance(x, y, score_cutoff=3) for x in ia for y in ib))
    if best > 1 and a.isascii() == b.isascii():
        best = min(best, OSA.distance(_as_written(a), _as_written(b), score_cutoff=3))
    longest = max(len(x) for x in (*fa, *fb))
    typo = best <= 1 and longest >= 4
    if typo and _chenko_pair(ka, kb):
        typo = False  # Коваленко and Ковальченко are two surnames, not one with a slip
    if (not typo and best == 2 and not _chenko_pair(ka, kb) and ka[:3] == kb[:3]
            and _same_formation(a, b)):
        # Two slips in a long name with a long stem (Miroščenko for Мірошниченко) are still a
        # typo; in a 9-10 letter name they are `TWO_SLIPS` (consonants one slip apart), which
        # holds only beside the same given name and patronymic; in a short stem they make
        # another name (Savchenko/Shevchenko, Sydorenko/Fedorenko).
        long_pairs = [(x, y) for x in fa for y in fb if len(x) >= 9 and len(y) >= 9
                      and _stem_len(x) >= 6 and _stem_len(y) >= 6]
        if any(OSA.distance(x, y, score_cutoff=3) <= 2 for x, y in long_pairs
               if len(x) >= 11 and len(y) >= 11):
            typo = True
        elif OSA.distance(ka, kb, score_cutoff=2) <= 1 and any(
            OSA.distance(x, y, score_cutoff=3) <= 2 for x, y in long_pairs
        ):
            return TWO_SLIPS
    if not typo:
        return round(min(0.6, Levenshtein.normalized_similarity(ka, kb)), 4)
    return round(max(0.86, 0.95 - 0.05 * best), 4)


@lru_cache(maxsize=262144)
def _plain_forms(text: str) -> tuple[bool, tuple[str, ...]]:
    """(is Cyrillic, letters as a Latin writer would type them): the folded Latin, or the
    passport (UA 2010) and ICAO romanisations of a Cyrillic surname."""
    if _CYRILLIC.search(text):
        return True, tuple({
            fold_to_latin(romanize_as(text, "ua2010", "uk")).replace(" ", ""),
            fold_to_latin(romanize_as(text, "icao", "ru")).replace(" ", ""),
        })
    return False, (fold_to_latin(text).replace(" ", ""),)


def _one_letter_apart(a: str, b: str) -> bool:
    """A Latin spelling one typed letter from a romanisation of the Cyrillic one, where the
    slip broke a digraph and so moved the skeletons far apart (Hrysbchenko for Грищенко)."""
    cyr_a, xs = _plain_forms(a)
    cyr_b, ys = _plain_forms(b)
    if cyr_a == cyr_b:
        return False
    return any(
        abs(len(x) - len(y)) <= 1 and len(x) >= 6 and OSA.distance(x, y, score_cutoff=1) <= 1
        for x in xs for y in ys
    )


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
            # A misspelling read as another name (Маар for Макар); its sex came from the
            # misspelt ending (Karian for Karina), so it does not count against the other.
            return 0.88
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
# the hot path looks the pair up by one int. Pair scores are stored as int codes
# (round(score, 4) * 10000 + 1; 0 means "absent"), so a verdict is found by one int key too.
_PART_IDS: dict[tuple[object, ...], int] = {}
_PARTS: list[_Part] = []
_M: Final = 1 << 32  # pair key = lo * _M + hi
_FULL: Final = 10001  # the code of 1.0
_SCORE_OF: Final = [-1.0] + [k / 10000 for k in range(10001)]
_GIVEN_CODES: dict[int, int] = {}
_PATRONYMIC_CODES: dict[int, int] = {}
_FAMILY_CODES: dict[int, int] = {}
_MAX_SCORES: Final = 2_000_000


def _code(score: float) -> int:
    return round(round(score, 4) * 10000) + 1


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


def _given_code(key: int) -> int:
    """Code of the given-name pair ``key`` (lo * _M + hi of two part ids)."""
    code = _GIVEN_CODES.get(key)
    if code is None:
        if len(_GIVEN_CODES) > _MAX_SCORES:
            _GIVEN_CODES.clear()
        ua, ub = divmod(key, _M)
        code = _GIVEN_CODES[key] = _code(_part_score(_PARTS[ua], _PARTS[ub], True))
    return code


def _patronymic_code(key: int) -> int:
    code = _PATRONYMIC_CODES.get(key)
    if code is None:
        if len(_PATRONYMIC_CODES) > _MAX_SCORES:
            _PATRONYMIC_CODES.clear()
        va, vb = divmod(key, _M)
        code = _PATRONYMIC_CODES[key] = _code(_part_score(_PARTS[va], _PARTS[vb], False))
    return code


# Surnames interned the same way: one id per distinct string, one per distinct skeleton.
_FAMILY_IDS: dict[str, int] = {}
_FAMILIES: list[str] = []
_SKELETON_IDS: dict[str, int] = {}
_FAMILY_SKELETON: list[int] = []  # skeleton id per family id, -1 for an empty skeleton


def _family_id(text: str) -> int:
    fid = _FAMILY_IDS.get(text)
    if fid is None:
        fid = _FAMILY_IDS[text] = len(_FAMILIES)
        _FAMILIES.append(text)
        skeleton = family_skeleton(text)
        _FAMILY_SKELETON.append(
            _SKELETON_IDS.setdefault(skeleton, len(_SKELETON_IDS)) if skeleton else -1
        )
    return fid


def _family_code(key: int) -> int:
    """Code of the surname pair ``key`` (lo * _M + hi of two family ids)."""
    code = _FAMILY_CODES.get(key)
    if code is None:
        if len(_FAMILY_CODES) > _MAX_SCORES:
            _FAMILY_CODES.clear()
        fa, fb = divmod(key, _M)
        sa, sb = _FAMILIES[fa], _FAMILIES[fb]
        if sa > sb:
            sa, sb = sb, sa
        ka, kb = family_skeleton(sa), family_skeleton(sb)
        if ka and ka == kb:
            score = 1.0
        else:
            far = _far_skeletons(ka, kb) if ka < kb else _far_skeletons(kb, ka)
            score = far if far >= 0 else _family_pair(sa, sb)
            if far >= 0 and _one_letter_apart(sa, sb):
                score = 0.9
        code = _FAMILY_CODES[key] = _code(score)
    return code


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
    if ua == ub:
        return 1.0
    return _SCORE_OF[_given_code(ua * _M + ub if ua < ub else ub * _M + ua)]


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
    if ua == ub:
        return 1.0
    return _SCORE_OF[_patronymic_code(ua * _M + ub if ua < ub else ub * _M + ua)]


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
    """Sex of a name: an exactly known given name, else the patronymic's ending, else the
    surname's ending, else a misspelt given name (whose sex may come from the slip)."""
    lex = lexicon()
    fuzzy = ""
    if parts.given and not _initial_letter(parts.given):
        res = lex.resolve_given(parts.given)
        if res.sex and res.exact:
            return res.sex
        fuzzy = res.sex
    if parts.patronymic and not _initial_letter(parts.patronymic):
        res = lex.resolve_patronymic(parts.patronymic)
        if res.sex:
            return res.sex
    return (surname_sex(parts.family) if parts.family else "") or fuzzy


_SEX_CODE: Final = {"": 0, "M": 1, "F": 2}

# A name's profile: (family id, skeleton id, given part id, patronymic part id, sex code,
# identity key id, family may be a given name); -1 for an absent part.
_Profile = tuple[int, int, int, int, int, int, bool]

_PROFILES: dict[str, _Profile] = {}
_MAX_PROFILES: Final = 500_000
_KEY_IDS: dict[str, int] = {}  # identity keys as ints: the hot path compares two ints
_NEXT_KEY: list[int] = [0]  # never reused, so an id from before a cache clear stays unique
_SWAPS: dict[str, tuple[int, int]] = {}  # name -> (its given name as a family id, family as given)


def _profile_of(text: str) -> _Profile:
    """`_profile` through a plain dict: the hot path hits it twice per pair, and a dict hit is
    cheaper than an LRU hit (no recency bookkeeping)."""
    got = _PROFILES.get(text)
    if got is None:
        if len(_PROFILES) > _MAX_PROFILES:
            _PROFILES.clear()
            _KEY_IDS.clear()
            _SWAPS.clear()
        got = _PROFILES[text] = _profile(text)
    return got


def _profile(text: str) -> _Profile:
    parts = parse_name(text)
    key = " ".join(fold_to_latin(unicodedata.normalize("NFC", text)).split())
    key_id = -1
    if key:
        key_id = _KEY_IDS.get(key, -1)
        if key_id < 0:
            key_id = _KEY_IDS[key] = _NEXT_KEY[0]
            _NEXT_KEY[0] += 1
    fid = _family_id(parts.family) if parts.family else -1
    return (
        fid, _FAMILY_SKELETON[fid] if fid >= 0 else -1,
        _given_uid(parts.given) if parts.given else -1,
        _patronymic_uid(parts.patronymic) if parts.patronymic else -1,
        _SEX_CODE[_sex_of(parts)], key_id,
        bool(parts.family) and bool(_given_part(parts.family).ids),
    )


def _swap_of(text: str) -> tuple[int, int]:
    """The name read in the other order: (its given name as a family id, its family name as a
    given-name part id), for "Kovalov Oleksandr" written without a telling order."""
    got = _SWAPS.get(text)
    if got is None:
        parts = parse_name(text)
        got = _SWAPS[text] = (
            _family_id(parts.given) if parts.given else -1,
            _given_uid(parts.family) if parts.family else -1,
        )
    return got


_ABSENT: Final = -1.0


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
        if fs == TWO_SLIPS and gs == 1.0 and ps == 1.0:
            notes.append("two slips in the family name")
        elif fs < 0.75:
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
_VERDICTS: dict[int, NameComparison] = {}
_SWAPPED_BIT: Final = 1 << 46


def _verdict_of(vkey: int) -> NameComparison:
    """The verdict of a verdict key (family code << 31 | given << 16 | patronymic << 1 | other
    sex, plus `_SWAPPED_BIT`); few distinct keys occur, so they are cached."""
    got = _VERDICTS.get(vkey)
    if got is None:
        fc, gc, pc = (vkey >> 31) & 0x7FFF, (vkey >> 16) & 0x7FFF, (vkey >> 1) & 0x7FFF
        got = _VERDICTS[vkey] = _verdict(
            _SCORE_OF[fc], _SCORE_OF[gc], _SCORE_OF[pc], bool(vkey & 1),
            bool(vkey & _SWAPPED_BIT),
        )
    return got


def _pair_code(codes: dict[int, int], compute: Callable[[int], int], x: int, y: int) -> int:
    if x < 0 or y < 0:
        return 0
    if x == y:
        return _FULL
    return codes.get(x * _M + y if x < y else y * _M + x) or compute(
        x * _M + y if x < y else y * _M + x
    )


def _family_pair_code(fa: int, fb: int) -> int:
    if fa < 0 or fb < 0:
        return 0
    sa, sb = _FAMILY_SKELETON[fa], _FAMILY_SKELETON[fb]
    if sa == sb and sa >= 0:
        return _FULL
    key = fa * _M + fb if fa < fb else fb * _M + fa
    return _FAMILY_CODES.get(key) or _family_code(key)


def compare_names(a: str, b: str) -> NameComparison:
    """Compare two full names (any order, script, case, with or without patronymic)."""
    # The hot path of linkage review and `--pairs`: once the distinct strings have been seen,
    # this is a handful of dict lookups by int and int comparisons.
    if a > b:
        a, b = b, a
    get = _PROFILES.get
    fa, ka, ua, va, sex_a, key_a, swap_a = get(a) or _profile_of(a)
    fb, kb, ub, vb, sex_b, key_b, swap_b = get(b) or _profile_of(b)
    if key_a == key_b and key_a >= 0:
        return _IDENTICAL
    if fa < 0 or fb < 0:
        fc = 0
    elif fa == fb or (ka == kb and ka >= 0):  # as `NameBatch.scores` decides it
        fc = _FULL
    else:
        k = fa * _M + fb if fa < fb else fb * _M + fa
        fc = _FAMILY_CODES.get(k) or _family_code(k)
    if ua < 0 or ub < 0:
        gc = 0
    elif ua == ub:
        gc = _FULL
    else:
        k = ua * _M + ub if ua < ub else ub * _M + ua
        gc = _GIVEN_CODES.get(k) or _given_code(k)
    if va < 0 or vb < 0:
        pc = 0
    elif va == vb:
        pc = _FULL
    else:
        k = va * _M + vb if va < vb else vb * _M + va
        pc = _PATRONYMIC_CODES.get(k) or _patronymic_code(k)
    vkey = fc << 31 | gc << 16 | pc << 1 | (sex_a != sex_b and sex_a > 0 and sex_b > 0)
    result = _VERDICTS.get(vkey) or _verdict_of(vkey)
    if not result.same and ub >= 0 and fb >= 0 and fa >= 0 and (swap_a or swap_b):
        # "Kovalov Oleksandr" against "Oleksandr Kovalov" written without a telling order.
        given_as_family, family_as_given = _swap_of(b)
        other = _verdict_of(
            _family_pair_code(fa, given_as_family) << 31
            | _pair_code(_GIVEN_CODES, _given_code, ua, family_as_given) << 16
            | (vkey & 0xFFFF) | _SWAPPED_BIT
        )
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


_I64 = npt.NDArray[np.int64]


def _codes_of(keys: _I64, codes: dict[int, int], compute: Callable[[int], int]) -> _I64:
    """Codes of many pair keys: each distinct key looked up (or scored) once."""
    if not len(keys):
        return np.zeros(0, dtype=np.int64)
    uniq, inverse = np.unique(keys, return_inverse=True)
    get = codes.get
    values = np.fromiter(
        (get(k) or compute(k) for k in uniq.tolist()), dtype=np.int64, count=len(uniq)
    )
    return values[inverse]


def _pair_codes(
    x: _I64, y: _I64, codes: dict[int, int], compute: Callable[[int], int],
    same_x: _I64 | None = None, same_y: _I64 | None = None,
) -> _I64:
    """Codes of part pairs: 0 where a side is absent (-1), `_FULL` where the ids (or the
    ``same_*`` ids, e.g. skeletons) agree, else the cached pair score."""
    out = np.zeros(len(x), dtype=np.int64)
    present = (x >= 0) & (y >= 0)
    full = present & (x == y)
    if same_x is not None and same_y is not None:
        full |= present & (same_x == same_y) & (same_x >= 0)
    out[full] = _FULL
    need = present & ~full
    lo, hi = np.minimum(x[need], y[need]), np.maximum(x[need], y[need])
    out[need] = _codes_of(lo * _M + hi, codes, compute)
    return out


class NameBatch:
    """The names of one linkage run, resolved once, scored by pairs of indices in bulk.

    `scores(left, right)` equals ``compare_names(names[i], names[j]).score`` for every pair
    (a test holds it to that), but works on arrays: each distinct pair of parts and each
    distinct verdict is computed once, in Python, and the million pairs in numpy. Use it where
    a linkage engine has candidate pairs as index arrays; `compare_names` for one pair.
    """

    def __init__(self, names: Sequence[str]) -> None:
        self.names = list(names)
        order = {name: rank for rank, name in enumerate(sorted(set(self.names)))}
        rows = [_profile_of(name) for name in self.names]
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
        fc = _pair_codes(fa, fb, _FAMILY_CODES, _family_code, self._skeleton[a],
                         self._skeleton[b])
        gc = _pair_codes(ua, ub, _GIVEN_CODES, _given_code)
        pc = _pair_codes(self._patronymic[a], self._patronymic[b], _PATRONYMIC_CODES,
                         _patronymic_code)
        sa, sb = self._sex[a], self._sex[b]
        other = ((sa != sb) & (sa > 0) & (sb > 0)).astype(np.int64)
        vkey = fc << 31 | gc << 16 | pc << 1 | other
        score = self._verdict_scores(vkey)
        identical = (self._key[a] == self._key[b]) & (self._key[a] >= 0)
        score[identical] = 1.0
        swap = (
            (score < SAME_THRESHOLD) & ~identical & (ub >= 0) & (fb >= 0) & (fa >= 0)
            & (self._swappable[a] | self._swappable[b])
        )
        if swap.any():
            rows = np.flatnonzero(swap)
            swapped = np.array([_swap_of(self.names[j]) for j in b[rows].tolist()],
                               dtype=np.int64).reshape(-1, 2)
            sfc = np.array([_family_pair_code(x, y) for x, y in
                            zip(fa[rows].tolist(), swapped[:, 0].tolist(), strict=True)],
                           dtype=np.int64)
            sgc = _pair_codes(ua[rows], swapped[:, 1], _GIVEN_CODES, _given_code)
            skey = sfc << 31 | sgc << 16 | (vkey[rows] & 0xFFFF) | _SWAPPED_BIT
            score[rows] = np.maximum(score[rows], self._verdict_scores(skey))
        return score

    @staticmethod
    def _verdict_scores(vkey: _I64) -> npt.NDArray[np.float64]:
        if not len(vkey):
            return np.zeros(0, dtype=np.float64)
        uniq, inverse = np.unique(vkey, return_inverse=True)
        values = np.array([_verdict_of(k).score for k in uniq.tolist()], dtype=np.float64)
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
