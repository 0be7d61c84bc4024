"""How alike two surnames are, in any script: the rules for family names.

A surname typo is one slip between the closest spellings of the two sides; two slips count in a
long surname with a long stem, and (as `TWO_SLIPS`) in a 9-10 letter one only beside the same
given name and patronymic (the verdict table in `parley.names.verdict` holds that exception).
Different surname formations from one stem (Kovalenko/Kovalchuk) are capped as different names:
they are different families, however many letters they share.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

from rapidfuzz.distance import OSA, Levenshtein

from parley.names.keys import family_skeleton, given_skeleton, read_latin
from parley.names.scripts import fold_to_latin, repair_homoglyphs
from parley.names.translit import SYSTEMS, romanize_as

TWO_SLIPS: Final = 0.74
"""`family_similarity` of a 9-10 letter surname two slips from the other: another name unless
the given name and patronymic are the same (then `compare_names` does not cap it)."""

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



def family_score(a: str, b: str) -> float:
    """The surname score `compare_names` uses: the skeletons alone decide most pairs (equal, or
    too far apart for one slip) before the closer look of `family_similarity`."""
    if a > b:
        a, b = b, a
    ka, kb = family_skeleton(a), family_skeleton(b)
    if ka and ka == kb:
        return 1.0
    far = _far_skeletons(ka, kb) if ka < kb else _far_skeletons(kb, ka)
    if far < 0:
        return _family_pair(a, b)
    return 0.9 if _one_letter_apart(a, b) else far
