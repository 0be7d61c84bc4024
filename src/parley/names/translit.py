"""Romanisation of Ukrainian and Russian names by the standards that produce real documents.

- ``ua2010``: Ukrainian national system, Cabinet of Ministers of Ukraine resolution No. 55 of
  27 January 2010 (Ukrainian passports since 2010; adopted by BGN/PCGN in 2019). Applied to
  Russian-only letters it writes ё io, ы y, э e, ъ nothing.
- ``icao``: ICAO Doc 9303 (7th ed., part 3) table, used in Russian passports since 2013;
  for Ukrainian text г is written h and и y, as Ukrainian passports do.
- ``gost_b``: GOST 7.79-2000 System B (ASCII only, with the backtick and apostrophe marks).
- ``bgn``: BGN/PCGN 1947 for Russian (yë/ë, ’ and ”); Ukrainian text follows ua2010.
- ``english``: the common English press spelling (Yevgeny, Sergey, Yuri, Kovalyov); given names
  the lexicon knows use their usual English form (Alexander) — see `parley.names.variants`.

Only the letter tables live here; knowledge of names lives in the lexicon.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

from parley.names.scripts import APOSTROPHES, UA_ONLY, Script, detect_script

SYSTEMS: Final = ("ua2010", "icao", "gost_b", "bgn", "english")

_BASE: Final[dict[str, str]] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
    "и": "i", "і": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ь": "", "ы": "y", "э": "e", "ъ": "",
}

# Per system and language: letter -> (initial form, other form). Missing letters fall to _BASE.
_UA2010: Final[dict[str, tuple[str, str]]] = {
    "г": ("h", "h"), "ґ": ("g", "g"), "е": ("e", "e"), "є": ("ye", "ie"), "и": ("y", "y"),
    "і": ("i", "i"), "ї": ("yi", "i"), "й": ("y", "i"), "ю": ("yu", "iu"), "я": ("ya", "ia"),
    "ё": ("yo", "io"), "ы": ("y", "y"), "э": ("e", "e"), "ъ": ("", ""), "ь": ("", ""),
}
_ICAO_RU: Final[dict[str, tuple[str, str]]] = {
    "е": ("e", "e"), "ё": ("e", "e"), "є": ("ie", "ie"), "ї": ("i", "i"), "й": ("i", "i"),
    "ъ": ("ie", "ie"), "ю": ("iu", "iu"), "я": ("ia", "ia"),
}
_ICAO_UA: Final[dict[str, tuple[str, str]]] = dict(_ICAO_RU, г=("h", "h"), и=("y", "y"))
_GOST_RU: Final[dict[str, tuple[str, str]]] = {
    "ё": ("yo", "yo"), "й": ("j", "j"), "х": ("x", "x"), "щ": ("shh", "shh"), "ъ": ("``", "``"),
    "ы": ("y`", "y`"), "ь": ("`", "`"), "э": ("e`", "e`"), "ю": ("yu", "yu"), "я": ("ya", "ya"),
    "є": ("ye", "ye"), "ї": ("yi", "yi"), "ґ": ("g`", "g`"), "і": ("i", "i"),
}
_GOST_UA: Final[dict[str, tuple[str, str]]] = dict(_GOST_RU, и=("y`", "y`"))
_BGN_RU: Final[dict[str, tuple[str, str]]] = {
    "е": ("ye", "e"), "ё": ("yë", "ë"), "й": ("y", "y"), "ъ": ("”", "”"), "ь": ("’", "’"),
    "ю": ("yu", "yu"), "я": ("ya", "ya"), "є": ("ye", "ye"), "ї": ("yi", "yi"),
}
_ENGLISH_RU: Final[dict[str, tuple[str, str]]] = {
    "е": ("ye", "e"), "ё": ("yo", "yo"), "й": ("y", "y"), "ю": ("yu", "yu"), "я": ("ya", "ya"),
    "є": ("ye", "ye"), "ї": ("yi", "yi"),
}
_ENGLISH_UA: Final[dict[str, tuple[str, str]]] = dict(
    _ENGLISH_RU, г=("h", "h"), и=("y", "y"), е=("e", "e"), й=("y", "i")
)

_VOWELS: Final = frozenset("аеёиоуыэюяіїє")
_SOFT_CONTEXT: Final = _VOWELS | frozenset("йъь")  # BGN writes ye/yë after these
_WORD_RE: Final = re.compile(r"[^\W\d_]+(?:['’ʼ`][^\W\d_]+)*", re.UNICODE)


def _table(system: str, lang: str) -> dict[str, tuple[str, str]]:
    if system == "ua2010" or (system == "bgn" and lang == "uk"):
        return _UA2010
    if system == "icao":
        return _ICAO_UA if lang == "uk" else _ICAO_RU
    if system == "gost_b":
        return _GOST_UA if lang == "uk" else _GOST_RU
    if system == "bgn":
        return _BGN_RU
    if system == "english":
        return _ENGLISH_UA if lang == "uk" else _ENGLISH_RU
    raise ValueError(f"unknown romanisation system {system!r}; known: {', '.join(SYSTEMS)}")


def _romanize_word(word: str, system: str, lang: str) -> str:
    table = _table(system, lang)
    lower = word.lower()
    pieces: list[str] = []
    prev = ""
    n = len(lower)
    for i, ch in enumerate(lower):
        if ch in APOSTROPHES:
            pieces.append("''" if system == "gost_b" else "")
            prev = "ъ"  # an apostrophe separates like the hard sign: BGN writes 'ye' after it
            continue
        initial = i == 0 or (system == "bgn" and prev in _SOFT_CONTEXT)
        if ch in table:
            out = table[ch][0 if initial else 1]
        elif ch in _BASE:
            out = _BASE[ch]
        else:
            out = ch
        if system == "ua2010" and ch == "г" and prev == "з":
            out = "gh"  # зг -> zgh, so it is not read back as ж
        elif system == "gost_b" and ch == "ц":
            nxt = lower[i + 1] if i + 1 < n else ""
            out = "c" if nxt in ("и", "е", "ы", "й", "і", "є", "ї") else "cz"
        elif system == "english" and lang == "ru" and i >= n - 2 and lower[i - 1 : i + 1] in (
            "ий", "ый"
        ) and i == n - 1:
            # Common English writes final -ий/-ый as a single y: Yuri(y) -> Yuri, Dmitry.
            out = ""
            if pieces and pieces[-1] in ("i", "y"):
                pieces[-1] = "y"
        pieces.append(out)
        prev = ch
    text = "".join(pieces)
    if word.isupper() and len(word) > 1:
        return text.upper()
    if word[:1].isupper():
        return text[:1].upper() + text[1:]
    return text


@lru_cache(maxsize=65536)
def romanize(text: str, system: str = "ua2010") -> str:
    """Romanise Cyrillic in ``text`` by ``system``; Latin text passes through unchanged.

    The language decides a few letters (г is h in Ukrainian, g in Russian): Ukrainian when the
    system is ua2010 or the text has a letter only Ukrainian uses, otherwise Russian.
    """
    if system not in SYSTEMS:
        raise ValueError(f"unknown romanisation system {system!r}; known: {', '.join(SYSTEMS)}")
    script = detect_script(text)
    lang = "uk" if system == "ua2010" or script is Script.UKRAINIAN else "ru"

    def one(match: re.Match[str]) -> str:
        word = match.group(0)
        word_lang = "uk" if any(ch in UA_ONLY for ch in word) else lang
        return _romanize_word(word, system, word_lang)

    return _WORD_RE.sub(one, text)


def romanize_as(text: str, system: str, lang: str) -> str:
    """Romanise with the language given (``"uk"`` or ``"ru"``), for callers that know it from
    the lexicon (Микола is Ukrainian though it has no Ukrainian-only letter)."""
    return _WORD_RE.sub(lambda m: _romanize_word(m.group(0), system, lang), text)
