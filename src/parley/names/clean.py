"""A name field as typed by many hands, cleaned before it is parsed or keyed.

Lists are typed by clerks, OCR and the other side's staff: a rank or an honorific lands in the
name field ("ст. лейтенант Ковальов", "Mr. Kovalov"), two words lose their space
("OleksandrKovalov"), a digit stands for the letter it looks like ("K0valov", "3інченко"), and
foreign nationals' names arrive in their own scripts (Georgian, Armenian, Greek, Korean Hangul,
Arabic). `clean_name` undoes each of these, so every later step (parsing, keys, comparison)
sees one name in Latin or Cyrillic letters. Pure and cached: it runs once per distinct value.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Final

from parley.names.scripts import _ocr_digits


def _words(text: str) -> list[str]:
    return text.split()


# Ranks, titles and honorifics (lower case, without the dot), in Ukrainian, Russian and English.
# Only removed when something else remains, so a surname that is also a rank word survives alone.
_TITLES: Final = frozenset(
    _words("""
    рядовий рядовой солдат старший ст молодший мол младший мл сержант серж лейтенант лейт л-т
    ст-т капітан капитан кап майор підполковник подполковник п-к полковник генерал матрос
    старшина прапорщик прап єфрейтор ефрейтор єфр ефр головний главный штаб-сержант
    майстер-сержант курсант мічман мичман підп п-ник полк ген рядов ряд сол солд кпт
    пан пані пан гр громадянин громадянка гражданин гражданка тов товариш товарищ
    mr mrs ms miss mx dr prof sir sgt lt capt cpt pvt maj col gen cpl pfc lieut sergeant
    lieutenant captain private corporal colonel
    starshyi starshii starshiy molodshyi mladshiy serzhant leitenant leytenant kapitan
    riadovyi ryadovoy soldat в/сл в/с вс військовослужбовець военнослужащий
    """)
)
_CAMEL: Final = re.compile(
    r"(?<=[a-zа-яёіїєґ]{3})(?=[A-ZА-ЯЁІЇЄҐ][a-zа-яёіїєґ]{2}|[A-ZА-ЯЁІЇЄҐ]{3,}\b)"
)
_WORD: Final = re.compile(r"\S+")
# 5 for S and 8 for B inside a Latin word ("Tara5ov"); 0, 1, 3 and 6 are read by ``_ocr_digits``.
_LATIN_MORE: Final = re.compile(r"\b(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]*[58][A-Za-z0-9]*\b")
_FIVE_EIGHT: Final = str.maketrans("58", "sb")
# "Левченко-О. Н.": initials hyphened to the surname.
_HYPHEN_INITIALS: Final = re.compile(r"(?<=[^\W\d_]{2})-(?=[^\W\d_]\.)")

# Foreign scripts to Latin: the common romanisation of each (Georgian national system, Armenian
# Hübschmann-Meillet without marks, Greek ELOT 743); Hangul by Revised Romanisation; Arabic by
# its consonants and long vowels (short vowels are not written), which is what the engine's
# consonant keys compare anyway.
_GEORGIAN: Final = dict(zip(
    "აბგდევზთიკლმნოპჟრსტუფქღყშჩცძწჭხჯჰ",
    _words("a b g d e v z t i k l m n o p zh r s t u p k gh q sh ch ts dz ts ch kh j h"),
    strict=True,
))  # fmt: skip
_ARMENIAN: Final = dict(zip(
    "աբգդեզէըթժիլխծկհձղճմյնշոչպջռսվտրցւփքօֆ",
    _words("a b g d e z e y t zh i l kh ts k h dz gh ch m y n sh o ch p j r s v t r ts v p k o f"),
    strict=True,
))  # fmt: skip
_GREEK: Final = dict(zip(
    "αβγδεζηθικλμνξοπρσςτυφχψω",
    _words("a v g d e z i th i k l m n x o p r s s t y f ch ps o"),
    strict=True,
))  # fmt: skip
_ARABIC: Final = dict(zip(
    "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإةىئؤ",
    _words("a b t th j h kh d dh r z s sh s d t z _ gh f q k l m n h w y _ a a i a a y w"),
    strict=True,
))  # fmt: skip
_TABLES: Final = {**_GEORGIAN, **_ARMENIAN, **_GREEK, **_ARABIC}
_TABLES["_"] = ""
_FOREIGN: Final = re.compile(r"[\u0370-\u03ff\u0530-\u058f\u0600-\u06ff\u10a0-\u10ff\uac00-\ud7a3]")

# Hangul syllables: initial, medial and final jamo in Revised Romanisation.
_H_INITIAL: Final = _words("g kk n d tt r m b pp s ss _ j jj ch k t p h")
_H_MEDIAL: Final = _words("a ae ya yae eo e yeo ye o wa wae oe yo u wo we wi yu eu ui i")
_H_FINAL: Final = _words("_ k k k n n n t l k m l l l p l m p p t t ng t t k t p t")


def _hangul(ch: str) -> str:
    code = ord(ch) - 0xAC00
    initial, rest = divmod(code, 588)
    medial, final = divmod(rest, 28)
    out = _H_INITIAL[initial] + _H_MEDIAL[medial] + _H_FINAL[final]
    return out.replace("_", "")


# Whole Arabic words with one settled Latin spelling (the short vowels are not written).
_ARABIC_WORDS: Final = {
    "محمد": "Muhammad", "احمد": "Ahmad", "أحمد": "Ahmad", "علي": "Ali", "حسن": "Hasan",
    "حسين": "Husayn", "عمر": "Umar", "خالد": "Khalid", "يوسف": "Yusuf", "ابراهيم": "Ibrahim",
    "إبراهيم": "Ibrahim", "مصطفى": "Mustafa", "محمود": "Mahmud", "كريم": "Karim",
    "عبد": "Abd", "سعيد": "Said", "عثمان": "Uthman", "فاطمة": "Fatima", "مريم": "Maryam",
}
# Korean surnames as they are written in Latin and Cyrillic (one syllable, family first).
_KOREAN_FAMILY: Final = {
    "김": "Kim", "이": "Lee", "박": "Park", "최": "Choi", "정": "Jung", "강": "Kang",
    "조": "Cho", "윤": "Yoon", "장": "Jang", "임": "Lim", "한": "Han", "오": "Oh", "서": "Seo",
    "신": "Shin", "권": "Kwon", "황": "Hwang", "안": "Ahn", "송": "Song", "류": "Ryu",
    "홍": "Hong", "전": "Jeon", "고": "Ko", "문": "Moon", "손": "Son", "양": "Yang",
}
_KOREAN_FAMILY_WRITTEN: Final = frozenset(
    {v.lower() for v in _KOREAN_FAMILY.values()}
    | {"ким", "ли", "пак", "чхве", "чой", "цой", "чон", "кан", "чо", "юн", "чан", "им", "хан",
       "о", "со", "шин", "син", "квон", "хван", "ан", "сон", "рю", "хон", "тен", "тян", "ню",
       "gim", "yi", "rhee", "bak", "pak", "choe", "jeong", "chung", "gang", "jo", "yun",
       "tsoi", "tsoy", "tskhve", "ten", "tian", "tyan", "khan", "hon"}
)


def _korean_order(text: str) -> str:
    """'Ким Чен Ын' / 'Kim Jong Un' / '김정은': a Korean name is written family first, its
    given name in one or two syllables. Written as 'Kim, Jongun' the parser reads it so."""
    words = text.split()
    if not 2 <= len(words) <= 3 or words[0].lower() not in _KOREAN_FAMILY_WRITTEN:
        return text
    rest = words[1:]
    long_word = any(len(w) > 5 for w in rest) and len(rest) > 1
    if long_word or len("".join(rest)) > 9 or not all(w.isalpha() for w in rest):
        return text
    given = "".join(rest)
    return f"{words[0]}, {given[:1].upper()}{given[1:].lower()}"


def _romanise_word(word: str) -> str:
    if word in _ARABIC_WORDS:
        return _ARABIC_WORDS[word]
    if "\uac00" <= word[:1] <= "\ud7a3" and len(word) >= 2 and word[0] in _KOREAN_FAMILY:
        rest = "".join(_hangul(ch) for ch in word[1:])
        return f"{_KOREAN_FAMILY[word[0]]} {rest[:1].upper()}{rest[1:]}"
    letters = []
    for ch in unicodedata.normalize("NFD", word.lower()):
        if unicodedata.combining(ch):
            continue
        if "\uac00" <= ch <= "\ud7a3":
            letters.append(_hangul(ch))
        else:
            letters.append(_TABLES.get(ch, ch))
    romanised = "".join(letters)
    return romanised[:1].upper() + romanised[1:]


def _romanise_foreign(text: str) -> str:
    out: list[str] = []
    for word in text.split():
        if not _FOREIGN.search(word):
            out.append(word)
            continue
        out.append(_romanise_word(word))
    return " ".join(out)


def _is_title(word: str) -> bool:
    return word.lower().strip(".,:;") in _TITLES


@lru_cache(maxsize=262144)
def clean_name(text: str) -> str:
    """The name in ``text`` without what is not the name: ranks and honorifics removed, words
    run together split, digits read as the letters they stand for, foreign scripts romanised."""
    if not text:
        return text
    text = unicodedata.normalize("NFC", text)
    if _FOREIGN.search(text):
        text = _romanise_foreign(text)
    if any(ch.isdigit() for ch in text):
        text = _ocr_digits(_LATIN_MORE.sub(lambda m: m.group(0).translate(_FIVE_EIGHT), text))
    text = _korean_order(_HYPHEN_INITIALS.sub(" ", _CAMEL.sub(" ", text)))
    words = _WORD.findall(text)
    kept = [w for w in words if not _is_title(w)]
    # "ст. лейтенант" leaves its dot-joined pieces ("ст.лейтенант") as one word: split on dots
    # between letters only when the pieces are titles.
    kept = [w for w in kept if not all(_is_title(p) for p in w.split(".") if p)]
    if not kept or len(kept) == len(words):
        return text
    return " ".join(kept).strip(" ,;")
