"""The damage model: which slips happen, how often, and the primitives that make them.

Every class in ``DamageRates`` is a per-record probability (``apostrophe_variant`` applies only
to names that hold an apostrophe, ``ocr_latin`` only to Latin records…). ``scaled`` multiplies
them all, ``with_overrides`` sets single ones (CLI ``--rate name=value``).
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, fields, replace
from datetime import date

from .rand import below, pick
from .translit import APOSTROPHES


@dataclass(frozen=True, slots=True)
class DamageRates:
    # one language's spelling typed with the other's alphabet (applies to the Slavic
    # records written in the other language's form)
    uk_in_russian_letters: float = 0.2
    ru_in_ukrainian_letters: float = 0.2
    # layout and case
    case_upper: float = 0.10
    case_upper_surname: float = 0.08
    case_lower: float = 0.04
    full_name_one_column: float = 0.05
    surname_comma: float = 0.03
    given_patronymic_one_field: float = 0.05
    initials_dots: float = 0.04
    initials_no_dots: float = 0.025
    run_together: float = 0.02
    hyphenated: float = 0.02
    title_in_name: float = 0.03
    extra_middle_name: float = 0.03
    missing_middle_name: float = 0.08
    diminutive: float = 0.04
    # typing, reading
    typo_surname_start: float = 0.04
    typo: float = 0.06
    ocr_cyrillic: float = 0.05
    ocr_latin: float = 0.06
    digit_for_letter: float = 0.02
    doubled_letter: float = 0.03
    apostrophe_variant: float = 0.6
    homoglyph: float = 0.04  # Latin look-alike letters inside a Cyrillic name (Олiйник)
    whitespace: float = 0.03  # doubled, leading, trailing or no-break spaces
    name_swap: float = 0.04
    name_swap_typo: float = 0.015
    # birth date
    date_partial_month: float = 0.03
    date_partial_year: float = 0.04
    date_missing: float = 0.05
    date_day_month_swap: float = 0.03
    date_year_off: float = 0.03
    date_slip_with_name_slip: float = 0.02
    date_missing_russian_form: float = 0.02
    # numbers
    number_typo: float = 0.04
    number_ocr: float = 0.03
    number_spacing: float = 0.08
    number_missing: float = 0.15
    # coded fields in unusual phrasings (rare words, Latin transliterations)
    coded_unusual: float = 0.10

    def scaled(self, k: float) -> DamageRates:
        return DamageRates(**{f: min(1.0, v * k) for f, v in asdict(self).items()})

    def with_overrides(self, pairs: dict[str, float]) -> DamageRates:
        names = {f.name for f in fields(self)}
        bad = sorted(set(pairs) - names)
        if bad:
            raise ValueError(f"unknown damage class(es): {', '.join(bad)}")
        return replace(self, **pairs)


DAMAGE_CLASSES: tuple[str, ...] = tuple(f.name for f in fields(DamageRates))
# Forms are not damage but are logged the same way (a record's script and convention).
FORM_CLASSES = ("form_uk", "form_ru", "latin_ua_national", "latin_ru_passport", "latin_bgn",
                "latin_en", "latin_de", "latin_fr", "foreign_cyrillic", "foreign_latin",
                "date_two_digit_year", "date_month_word")

_CYR_LOWER = "абвгдежзийклмнопрстуфхцчшщьюяіїє"
_LAT_LOWER = "abcdefghijklmnoprstuvyz"
_KEY_NEIGHBOURS_CYR = {
    "а": "вп", "в": "аы", "о": "рл", "е": "кн", "н": "ег", "к": "уе", "л": "од", "р": "по",
    "п": "ар", "и": "мт", "т": "иь", "с": "чм", "м": "си", "д": "лж", "г": "нш", "ш": "гщ",
    "у": "кц", "з": "хщ", "б": "ью", "я": "чф", "ч": "ся",
}
_KEY_NEIGHBOURS_LAT = {
    "a": "sq", "s": "ad", "d": "sf", "e": "wr", "r": "et", "t": "ry", "o": "ip", "i": "uo",
    "k": "jl", "l": "k", "n": "bm", "m": "n", "v": "cb", "h": "gj", "y": "tu", "u": "yi",
}
_OCR_CYR = {
    "Л": "Д", "Д": "Л", "л": "д", "д": "л", "н": "пг", "п": "нг", "г": "пн", "Н": "П", "П": "НГ",
    "Г": "П", "ш": "щ", "щ": "ш", "Ш": "Щ", "Щ": "Ш", "и": "йі", "й": "и", "і": "и", "И": "Й",
    "е": "єё", "є": "е", "ё": "е", "Е": "Є", "ї": "і", "о": "а", "ц": "щ", "т": "ш",
}
_OCR_LAT = (("rn", "m"), ("m", "rn"), ("cl", "d"), ("d", "cl"), ("vv", "w"), ("w", "vv"),
            ("li", "h"), ("h", "li"), ("nn", "m"), ("I", "l"), ("l", "I"), ("u", "ii"))
_DIGIT_FOR = {"O": "0", "o": "0", "О": "0", "о": "0", "I": "1", "l": "1", "і": "1", "І": "1",
              "З": "3", "з": "3", "б": "6", "В": "8", "B": "8", "S": "5", "s": "5", "Ч": "4"}
_NUM_OCR = {"0": "O", "1": "I", "3": "З", "8": "B", "5": "S", "6": "б", "7": "1", "4": "Ч",
            "O": "0", "I": "1", "З": "3", "B": "8", "М": "M", "А": "A", "В": "B", "Е": "E",
            "К": "K", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T", "Х": "X"}


def is_cyrillic(s: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in s)


def _alphabet(s: str) -> str:
    return _CYR_LOWER if is_cyrillic(s) else _LAT_LOWER


def _neighbour(rng: random.Random, ch: str) -> str:
    low = ch.lower()
    table = _KEY_NEIGHBOURS_CYR if is_cyrillic(ch) else _KEY_NEIGHBOURS_LAT
    pool = table.get(low) or _alphabet(ch)
    new = pick(rng, pool)
    if new == low:
        new = pick(rng, _alphabet(ch))
    return new.upper() if ch.isupper() else new


def typo(rng: random.Random, s: str, start: int = 0, end: int | None = None) -> str:
    """One keyboard slip (substitution, deletion, insertion, transposition) in s[start:end]."""
    if len(s) < 2:
        return s
    end = len(s) if end is None else min(end, len(s))
    i = start + below(rng, max(1, end - start))
    i = min(i, len(s) - 1)
    kind = rng.random()
    if kind < 0.45:
        return s[:i] + _neighbour(rng, s[i]) + s[i + 1:]
    if kind < 0.65 and len(s) > 3:
        return s[:i] + s[i + 1:]
    if kind < 0.8:
        return s[:i] + _neighbour(rng, s[i]).lower() + s[i:]
    if i + 1 < len(s):
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    return s[:i - 1] + s[i] + s[i - 1]


def typo_start(rng: random.Random, s: str) -> str:
    """A slip among the first three letters (the blocking keys' favourite place)."""
    return typo(rng, s, 0, 3)


def ocr_cyrillic(rng: random.Random, s: str) -> str | None:
    """Handwriting/OCR confusions in Cyrillic; ь/ъ dropped. None when nothing applies."""
    spots = [i for i, ch in enumerate(s) if ch in _OCR_CYR or ch in "ьъ"]
    if not spots:
        return None
    i = pick(rng, spots)
    if s[i] in "ьъ":
        return s[:i] + s[i + 1:]
    return s[:i] + pick(rng, _OCR_CYR[s[i]]) + s[i + 1:]


def ocr_latin(rng: random.Random, s: str) -> str | None:
    options = [(a, b) for a, b in _OCR_LAT if a in s]
    if not options:
        return None
    a, b = pick(rng, options)
    at = [i for i in range(len(s)) if s.startswith(a, i)]
    i = pick(rng, at)
    return s[:i] + b + s[i + len(a):]


def digit_for_letter(rng: random.Random, s: str) -> str | None:
    spots = [i for i, ch in enumerate(s) if ch in _DIGIT_FOR]
    if not spots:
        return None
    i = pick(rng, spots)
    return s[:i] + _DIGIT_FOR[s[i]] + s[i + 1:]


def doubled_letter(rng: random.Random, s: str) -> str:
    """Double a consonant, or undouble a doubled one (Ганна → Гана, Kovalenko → Kovallenko)."""
    for i in range(1, len(s)):
        if s[i] == s[i - 1] and s[i].isalpha():
            return s[:i] + s[i + 1:]
    spots = [i for i in range(1, len(s))
             if s[i].isalpha() and s[i].lower() not in "aeiouyаеиоуяюєії"]
    if not spots:
        return s + s[-1:]
    i = pick(rng, spots)
    return s[:i] + s[i] + s[i:]


def apostrophe_variant(rng: random.Random, s: str) -> str | None:
    spots = [i for i, ch in enumerate(s) if ch in APOSTROPHES]
    if not spots:
        return None
    i = spots[0]
    options = ("’", "ʼ", "`", "", "\"", "ь", " ") if is_cyrillic(s) else ("’", "`", "", "\"")
    new = pick(rng, options)
    if new == s[i]:
        new = ""
    return s[:i] + new + s[i + 1:]


_HOMOGLYPHS = {"і": "i", "о": "o", "а": "a", "е": "e", "с": "c", "р": "p", "х": "x",
               "І": "I", "О": "O", "А": "A", "Е": "E", "С": "C", "Р": "P", "Н": "H", "К": "K",
               "М": "M", "Т": "T", "В": "B", "у": "y"}


def homoglyph(rng: random.Random, s: str) -> str | None:
    """Latin look-alikes typed inside a Cyrillic word (a Ukrainian 'i' is the usual one)."""
    spots = [i for i, ch in enumerate(s) if ch in _HOMOGLYPHS]
    if not spots:
        return None
    if "і" in s and rng.random() < 0.7:  # every і of the word, as a keyboard layout does
        return s.replace("і", "i")
    i = pick(rng, spots)
    return s[:i] + _HOMOGLYPHS[s[i]] + s[i + 1:]


def whitespace(rng: random.Random, s: str) -> str:
    k = rng.random()
    if k < 0.3 and " " in s:
        return s.replace(" ", "  ", 1)
    if k < 0.5 and " " in s:
        return s.replace(" ", "\u00a0", 1)
    if k < 0.75:
        return s + " "
    return " " + s


# ---- dates -------------------------------------------------------------------------------

_MONTHS = {
    "uk": ("січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня",
           "вересня", "жовтня", "листопада", "грудня"),
    "ru": ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
           "сентября", "октября", "ноября", "декабря"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}


def fmt_date(d: date, style: str) -> str:
    if style == "iso":
        return d.isoformat()
    if style == "dotted":
        return f"{d.day:02d}.{d.month:02d}.{d.year}"
    if style == "slashed":
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    if style == "short_year":
        return f"{d.day:02d}.{d.month:02d}.{d.year % 100:02d}"
    if style == "unpadded":
        return f"{d.day}.{d.month}.{d.year}"
    if style.startswith("word_"):
        lang = style[5:]
        suffix = " р." if lang == "uk" else (" г." if lang == "ru" else "")
        return f"{d.day} {_MONTHS[lang][d.month - 1]} {d.year}{suffix}"
    if style == "month":
        return f"{d.year}-{d.month:02d}"
    return str(d.year)


def swap_day_month(d: date) -> date | None:
    if d.day > 12 or d.day == d.month:
        return None
    return date(d.year, d.day, d.month)


def year_off(rng: random.Random, d: date) -> date:
    y = d.year + pick(rng, (-1, 1))
    day = min(d.day, 28) if d.month == 2 else d.day
    return date(y, d.month, day)


# ---- numbers -----------------------------------------------------------------------------

def number_typo(rng: random.Random, s: str) -> str:
    digits = [i for i, ch in enumerate(s) if ch.isdigit()]
    if not digits:
        return s
    i = pick(rng, digits)
    if rng.random() < 0.6:
        new = str((int(s[i]) + pick(rng, (1, 9, 3))) % 10)
        return s[:i] + new + s[i + 1:]
    j = i + 1 if i + 1 < len(s) and s[i + 1].isdigit() else i - 1
    if j < 0 or not s[j].isdigit() or s[i] == s[j]:
        return s[:i] + str((int(s[i]) + 1) % 10) + s[i + 1:]
    a, b = min(i, j), max(i, j)
    return s[:a] + s[b] + s[a] + s[b + 1:]


def number_ocr(rng: random.Random, s: str) -> str:
    spots = [i for i, ch in enumerate(s) if ch in _NUM_OCR]
    if not spots:
        return number_typo(rng, s)
    i = pick(rng, spots)
    return s[:i] + _NUM_OCR[s[i]] + s[i + 1:]


def number_spacing(rng: random.Random, s: str) -> str:
    compact = s.replace(" ", "").replace("-", "")
    k = rng.random()
    if k < 0.3:
        return compact
    cut = next((i for i, ch in enumerate(compact) if ch.isdigit()), 0) or 2
    sep = pick(rng, (" ", "-", " - ", "/"))
    if k < 0.7:
        return compact[:cut] + sep + compact[cut:]
    mid = cut + (len(compact) - cut) // 2
    return compact[:cut] + sep + compact[cut:mid] + " " + compact[mid:]
