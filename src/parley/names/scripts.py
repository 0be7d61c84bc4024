"""Which script and language a name is written in, and a plain ASCII fold of any script.

Ukrainian and Russian share most Cyrillic letters; the letters only one of them uses
(і ї є ґ vs ы э ъ ё) decide where present, and the caller may consult the name lexicon for the
rest. OCR and keyboard slips often mix look-alike Latin and Cyrillic letters in one word
("Koвальов" with a Latin K); `repair_homoglyphs` puts such a word back into one script.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum
from functools import lru_cache
from typing import Final


class Script(StrEnum):
    UKRAINIAN = "ukrainian"
    RUSSIAN = "russian"
    CYRILLIC = "cyrillic"  # Cyrillic without a letter that tells Ukrainian from Russian
    LATIN = "latin"
    MIXED = "mixed"
    EMPTY = "empty"


UA_ONLY = frozenset("іїєґІЇЄҐ")
RU_ONLY = frozenset("ыэъёЫЭЪЁ")
APOSTROPHES = "'’ʼ`´ʹ‘\u02bb"

# Latin letters that look like Cyrillic ones (both cases), used to repair OCR/keyboard slips.
_LAT_TO_CYR = str.maketrans(
    "aeopcxyiABEKMHOPCTXIkmt", "аеорсхуіАВЕКМНОРСТХІкмт"
)
_CYR_TO_LAT = str.maketrans(
    "аеорсхуіАВЕКМНОРСТХІкмтј", "aeopcxyiABEKMHOPCTXIkmtj"
)


def _is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


_CYR_RE: Final = re.compile(r"[\u0400-\u04ff]")
_LAT_RE: Final = re.compile(r"[A-Za-z\u00c0-\u024f]")
_WORD_SPLIT: Final = re.compile(r"(\s+)")


def repair_homoglyphs(text: str) -> str:
    """Put each word wholly into the script most of its letters are in.

    Why: a Latin 'o' inside a Cyrillic surname (or the reverse) makes an otherwise identical
    name look different to every key; real files contain such slips from OCR and keyboards.
    """
    if text.isascii() or not _LAT_RE.search(text) or not _CYR_RE.search(text):
        return text
    return "".join(_repair_word(word) for word in _WORD_SPLIT.split(text))


@lru_cache(maxsize=65536)
def _repair_word(word: str) -> str:
    if not _LAT_RE.search(word) or not _CYR_RE.search(word):
        return word
    cyr = len(_CYR_RE.findall(word))
    lat = len(_LAT_RE.findall(word))
    return word.translate(_LAT_TO_CYR) if cyr >= lat else word.translate(_CYR_TO_LAT)


@lru_cache(maxsize=262144)
def detect_script(text: str) -> Script:
    """The script of a name; Cyrillic is split into Ukrainian/Russian by the letters only one
    language uses. Words known only in one language are decided by `parley.names.lexicon`
    (see `language_of`), which this pure letter test cannot know."""
    text = repair_homoglyphs(text)
    cyr = _CYR_RE.search(text) is not None
    lat = _LAT_RE.search(text) is not None
    if not cyr and not lat:
        return Script.EMPTY
    if cyr and lat:
        return Script.MIXED
    if lat:
        return Script.LATIN
    ua = not UA_ONLY.isdisjoint(text)
    ru = not RU_ONLY.isdisjoint(text)
    if ua and ru:
        return Script.MIXED
    if ua:
        return Script.UKRAINIAN
    if ru:
        return Script.RUSSIAN
    return Script.CYRILLIC


# Latin letters with diacritics that carry a Slavic sound: keep the sound, not just the base.
_LATIN_SPECIAL = {
    "ž": "zh", "š": "sh", "č": "ch", "ć": "c", "ś": "s", "ź": "z", "ż": "zh", "ł": "l",
    "ß": "ss", "ĭ": "i", "ŭ": "u", "ë": "e", "ё": "e", "œ": "oe", "æ": "ae", "ø": "o",
    "đ": "d", "ħ": "h", "ı": "i",
}

# A simple, deterministic fold of Cyrillic (Ukrainian and Russian letters) to ASCII.
_CYR_FOLD = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "e", "є": "ye",
    "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "yi", "й": "y", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh",
    "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e",
    "ю": "yu", "я": "ya", "ў": "u", "ј": "j",
}
_CYR_FOLD_UA = dict(_CYR_FOLD, г="h", и="y")


_DIGIT_RE: Final = re.compile(r"\d")
_OCR_LATIN: Final = str.maketrans("0136", "olzb")
_OCR_CYRILLIC: Final = str.maketrans("0136", "оізб")


def _ocr_digits(text: str) -> str:
    """Digits inside a word of letters are OCR slips for the letters they look like."""
    if not _DIGIT_RE.search(text):
        return text

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        if not any(ch.isalpha() for ch in word):
            return word
        cyr = any(_is_cyrillic(ch) for ch in word)
        return word.translate(_OCR_CYRILLIC if cyr else _OCR_LATIN)

    return re.sub(r"\w+", fix, text)


def _fold_table(cyr: dict[str, str]) -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for ch, out in {**cyr, **_LATIN_SPECIAL}.items():
        table[ord(ch)] = out
    for ch in APOSTROPHES:
        table[ord(ch)] = None
    for ch in ",.;/_\t\n\r\u00a0":
        table[ord(ch)] = " "
    return table


_FOLD: Final = _fold_table(_CYR_FOLD)
_FOLD_UA: Final = _fold_table(_CYR_FOLD_UA)
# Ukrainian passport letters (ua2010) in their position-free form: є ї й ю я as ie i i iu ia
# wherever they stand, so one letter always folds one way (no word-initial forms).
_PLAIN: Final = _fold_table(dict(_CYR_FOLD_UA, є="ie", ї="i", й="i", ю="iu", я="ia"))
_NOT_KEPT: Final = re.compile(r"[^a-z0-9\- ]+")


@lru_cache(maxsize=262144)
def fold_to_latin(text: str) -> str:
    """Lowercase ASCII letters, digits, spaces and hyphens for text in any script.

    Why: a generic key for search boxes and file headers; name matching uses the richer keys in
    `parley.names.keys`, which also merge transliteration systems.
    """
    text = _ocr_digits(repair_homoglyphs(unicodedata.normalize("NFC", text))).lower()
    out = text.translate(_FOLD if UA_ONLY.isdisjoint(text) else _FOLD_UA)
    if not out.isascii():
        out = "".join(
            ch if ch.isascii() else "".join(
                c for c in unicodedata.normalize("NFKD", ch) if c.isascii() and c.isalnum()
            )
            for ch in out
        )
    return " ".join(_NOT_KEPT.sub("", out.replace("\t", " ")).split())


_NOT_LETTER: Final = re.compile(r"[^a-z ]+")
_NOT_LETTER_OR_DIGIT: Final = re.compile(r"[^a-z0-9 ]+")


@lru_cache(maxsize=500_000)
def fold_plain(text: str, keep_digits: bool = False) -> str:
    """Lowercase ASCII words of text in any script, by one fixed letter table.

    Why: the linkage model's "generic" columns (the folded name a plain model would use, places,
    addresses) need a fold that does not guess: no language detection, no repair of look-alike
    letters or of digits (a house number is not an OCR slip). Everything but letters (and, with
    ``keep_digits``, digits) becomes a space; apostrophes in any of their forms vanish.
    """
    if not text:
        return ""
    out = unicodedata.normalize("NFC", text).lower().translate(_PLAIN)
    if not out.isascii():
        out = unicodedata.normalize("NFKD", out).encode("ascii", "ignore").decode("ascii")
    pattern = _NOT_LETTER_OR_DIGIT if keep_digits else _NOT_LETTER
    return " ".join(pattern.sub(" ", out).split())
