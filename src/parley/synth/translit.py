"""Romanisation systems the generator writes names in, so matching meets the spellings real
lists carry: Ukrainian national 2010, ICAO 9303, GOST R 52535.1-2006, BGN/PCGN, the English
conventional spelling, and ad-hoc spellings a clerk improvises.

Independent of ``parley.names`` on purpose (the matcher must not grade its own homework).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from functools import lru_cache

SYSTEMS: tuple[str, ...] = ("ua_2010", "icao", "gost", "bgn", "english", "adhoc")

_BASE = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "e", "є": "ie",
    "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh",
    "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e",
    "ю": "iu", "я": "ia", "'": "", "ʼ": "", "’": "",
}
# (letter → (at the start of a word, elsewhere)) for the position-dependent systems.
_UA_2010 = {
    **_BASE, "г": "h", "и": "y", "ї": "i", "ъ": "", "ы": "y",
    "є": ("ye", "ie"), "ї_": ("yi", "i"), "й": ("y", "i"), "ю": ("yu", "iu"), "я": ("ya", "ia"),
}
_GOST = {**_BASE, "ц": "tc", "ъ": "", "ё": "e"}
_BGN = {
    **_BASE, "е": ("ye", "e"), "ё": "yo", "й": "y", "ю": "yu", "я": "ya", "ъ": "",
    "є": "ye", "ї": "yi", "и": "i",
}
_VOWELS = set("аеёєиіїоуыэюяьъ'ʼ’")
_ADHOC = {
    "г": ("h", "g"), "и": ("y", "i"), "й": ("i", "y", "j"), "х": ("kh", "h", "ch"),
    "ж": ("zh", "j", "zh"), "ц": ("ts", "c", "tz"), "ч": ("ch", "tch"), "щ": ("shch", "sch"),
    "ш": ("sh",), "є": ("ye", "e", "je"), "ю": ("yu", "iu", "ju"), "я": ("ya", "ia", "ja"),
    "ї": ("yi", "i", "ji"), "ь": ("", "'"), "е": ("e",),
}


def _cap(text: str) -> str:
    return " ".join("-".join(p[:1].upper() + p[1:] for p in w.split("-")) for w in text.split())


def _table_romanize(text: str, table: Mapping[str, object], *, bgn_vowel_rule: bool) -> str:
    out: list[str] = []
    low = text.lower()
    for i, ch in enumerate(low):
        initial = i == 0 or not low[i - 1].isalpha()
        key = "ї_" if ch == "ї" and "ї_" in table else ch
        value = table.get(key, ch)
        if isinstance(value, tuple):
            after_vowel = bgn_vowel_rule and i > 0 and low[i - 1] in _VOWELS
            value = value[0] if (initial or after_vowel) else value[1]
        out.append(str(value))
    return "".join(out)


@lru_cache(maxsize=200_000)
def romanize(text: str, system: str) -> str:
    """``text`` (Cyrillic) in the Latin spelling of ``system`` (not ``adhoc``, see ``ad_hoc``)."""
    if system == "ua_2010":
        low = text.lower().replace("зг", "zgh")
        return _cap(_table_romanize(low, _UA_2010, bgn_vowel_rule=False))
    if system == "icao":
        return _cap(_table_romanize(text, _BASE, bgn_vowel_rule=False))
    if system == "gost":
        return _cap(_table_romanize(text, _GOST, bgn_vowel_rule=False))
    if system == "bgn":
        return _cap(_table_romanize(text, _BGN, bgn_vowel_rule=True))
    if system == "english":
        low = text.lower()
        for ending, latin in (("ий", "y"), ("ый", "y"), ("ей", "ey"), ("ой", "oy")):
            if low.endswith(ending):
                low = low[: -len(ending)] + "\x00" + latin
        low = low.replace("кс", "x")
        done = _table_romanize(low, _BGN, bgn_vowel_rule=True)
        return _cap(done.replace("\x00", ""))
    raise ValueError(f"unknown romanisation system '{system}'")


def ad_hoc(text: str, rng: random.Random) -> str:
    """An improvised spelling: each ambiguous letter spelled one of the ways clerks use."""
    out: list[str] = []
    for ch in text.lower():
        choices = _ADHOC.get(ch)
        if choices is not None:
            out.append(rng.choice(choices))
        else:
            out.append(_BASE.get(ch, ch))
    return _cap("".join(out))


def in_system(text: str, system: str, rng: random.Random) -> str:
    return ad_hoc(text, rng) if system == "adhoc" else romanize(text, system)
