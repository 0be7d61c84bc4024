"""Romanisation of Cyrillic names in the conventions clerks actually use.

Systems: ``ua_national`` (Ukraine's official 2010 table, from Ukrainian forms),
``ru_passport`` (Russian passports since 2014, ICAO-like), ``bgn`` (BGN/PCGN-like, both
languages), ``en`` (ad-hoc English), ``de`` (German habits), ``fr`` (French habits).
"""

from __future__ import annotations

from functools import lru_cache

APOSTROPHES = "'’ʼ`"
_VOWELS = set("аеєиіїоуюяыэё")

_BASE = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ё": "e",
    "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh",
    "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e",
    "ю": "iu", "я": "ia",
}

_SYSTEMS: dict[str, dict[str, str]] = {
    "ua_national": {**_BASE, "г": "h", "и": "y", "й": "i"},
    "ru_passport": {**_BASE, "ъ": "ie"},
    "bgn": {**_BASE, "е": "e", "ё": "ë", "й": "y", "ю": "yu", "я": "ya", "є": "ye", "ї": "yi",
            "ь": "'", "ъ": "\""},
    "en": {**_BASE, "й": "y", "ю": "yu", "я": "ya", "є": "ye", "ї": "yi", "щ": "sch",
           "ё": "yo"},
    "de": {**_BASE, "в": "w", "ж": "sch", "з": "s", "ш": "sch", "ч": "tsch", "щ": "schtsch",
           "х": "ch", "ц": "z", "й": "j", "ю": "ju", "я": "ja", "є": "je", "ї": "ji", "ё": "jo",
           "е": "e", "ы": "y"},
    "fr": {**_BASE, "ж": "j", "ш": "ch", "ч": "tch", "щ": "chtch", "х": "kh", "й": "ï",
           "ю": "iou", "я": "ia", "у": "ou", "є": "ie", "ё": "io", "ы": "y"},
}
# Initial (word-start) forms where a system writes them differently.
_INITIAL: dict[str, dict[str, str]] = {
    "ua_national": {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"},
    "bgn": {"е": "ye", "ё": "yë"},
    "en": {"е": "ye"},
    "de": {"е": "je"},
    "fr": {},
    "ru_passport": {},
}
# Word endings rewritten as a whole (applied to the romanised lower-case word).
_ENDINGS: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (("yy", "y"),),
    "de": (("ij", "i"),),
    "fr": (("ov", "ov"), ("ïï", "i"), ("iï", "i"), ("yï", "y")),
    "bgn": (),
    "ua_national": (),
    "ru_passport": (),
}

SYSTEMS = tuple(_SYSTEMS)


def _word(word: str, system: str) -> str:
    table = _SYSTEMS[system]
    initial = _INITIAL[system]
    low = word.lower()
    out: list[str] = []
    prev = ""
    for i, ch in enumerate(low):
        if ch in APOSTROPHES:
            out.append("'" if system == "bgn" else "")
            prev = ch
            continue
        if system == "ua_national" and ch == "г" and prev == "з":
            out.append("gh")
        elif (i == 0 or (system in ("bgn", "en", "de") and prev in _VOWELS | {"ь", "ъ"})) and (
            ch in initial
        ):
            out.append(initial[ch])
        elif system in ("de", "fr") and ch == "с" and prev in _VOWELS and i + 1 < len(low) and (
            low[i + 1] in _VOWELS
        ):
            out.append("ss")
        else:
            out.append(table.get(ch, ch))
        prev = ch
    res = "".join(out)
    for end, repl in _ENDINGS[system]:
        if res.endswith(end):
            res = res[: -len(end)] + repl
            break
    if word.isupper() and len(word) > 1:
        return res.upper()
    if word[:1].isupper():
        return res[:1].upper() + res[1:]
    return res


@lru_cache(maxsize=200_000)
def romanise(text: str, system: str) -> str:
    """Romanise every Cyrillic word of ``text``; separators (space, hyphen) are kept."""
    out: list[str] = []
    word: list[str] = []
    for ch in text:
        if ch.isalpha() or ch in APOSTROPHES:
            word.append(ch)
        else:
            if word:
                out.append(_word("".join(word), system))
                word = []
            out.append(ch)
    if word:
        out.append(_word("".join(word), system))
    return "".join(out)


_UK_TO_RU_LETTERS = str.maketrans({
    "и": "ы", "і": "и", "ї": "йи", "є": "е", "ґ": "г", "'": "ь", "’": "ь", "ʼ": "ь",
    "И": "Ы", "І": "И", "Ї": "Йи", "Є": "Е", "Ґ": "Г",
})
_RU_TO_UK_LETTERS = str.maketrans({
    "и": "і", "ы": "и", "э": "е", "ё": "ьо", "ъ": "'", "И": "І", "Ы": "И", "Э": "Е",
    "Ё": "Йо",
})


@lru_cache(maxsize=50_000)
def uk_in_russian_letters(text: str) -> str:
    """A Ukrainian spelling typed letter by letter with the Russian alphabet (Олійник →
    Олыйнык → a clerk writes "Олийнык"): і → и, и → ы, ї → йи, є → е, apostrophe → ь."""
    s = text.translate(_UK_TO_RU_LETTERS)
    # a Russian clerk hears Ukrainian и as ы only after some consonants; elsewhere и
    for a, b in (("ыя", "ия"), ("ый", "ий"), ("ыо", "ио")):
        s = s.replace(a, b)
    return s


@lru_cache(maxsize=50_000)
def ru_in_ukrainian_letters(text: str) -> str:
    """A Russian spelling typed with the Ukrainian alphabet (Дмитрий → Дмітрій,
    Юрьевич → Юрьєвіч…): и → і, ы → и, э → е, ё → ьо, ъ → apostrophe; е after a vowel or
    ь → є."""
    s = text.replace("ьё", "ьо").replace("ъё", "'йо").translate(_RU_TO_UK_LETTERS)
    out = []
    prev = ""
    for ch in s:
        if ch == "е" and (prev in "аоуеіиюяь" or prev == ""):
            out.append("є")
        elif ch == "Е" and prev == "":
            out.append("Є")
        else:
            out.append(ch)
        prev = ch.lower()
    return "".join(out)
