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

from parley.names.keys import given_skeleton
from parley.names.lexicon import lexicon
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


# Korean syllables written in Cyrillic (Kontsevich and the press) read as Latin-written Korean
# names spell them: ч is j (Чен/Jong), чх is ch; ㅓ, written е or о in Cyrillic, is o.
_KOREAN_CYRILLIC: Final = (
    ("чх", "ch"), ("кх", "k"), ("тх", "t"), ("пх", "p"), ("нъ", "n"), ("ль", "l"), ("ч", "j"),
    ("ж", "j"), ("ы", "u"), ("ё", "yo"), ("ю", "yu"), ("я", "ya"), ("э", "e"), ("е", "o"),
    ("й", "i"), ("ь", ""), ("х", "h"), ("ц", "ts"), ("ш", "sh"),
)
_CYRILLIC_LETTERS: Final = dict(zip("абвгдзиклмнопрстуф", "abvgdziklmnoprstuf", strict=True))


def _korean_syllables(words: list[str]) -> list[str]:
    """A Korean given name of two syllables written in Cyrillic ('Чен Су'), in Latin letters
    as Latin lists write it ('Jon Su'), so the two scripts meet; other words as they are."""
    if len(words) != 2 or not all(len(w) <= 5 and _CYR_WORD.match(w) for w in words):
        return words
    out = []
    for word in words:
        latin = word.lower()
        for cyr, lat in _KOREAN_CYRILLIC:
            latin = latin.replace(cyr, lat)
        out.append("".join(_CYRILLIC_LETTERS.get(ch, ch) for ch in latin))
    return out


_CYR_WORD: Final = re.compile(r"^[а-яёА-ЯЁ]+$")


# One Latin spelling of each common Korean surname, from its Latin and Cyrillic spellings.
_KOREAN_FAMILY_CANON: Final = {
    written: canon
    for canon, spellings in {
        "Kim": "kim gim ким", "Lee": "lee yi rhee ri li ли ри", "Park": "park pak bak пак",
        "Choi": "choi choe chwe tsoi tsoy чхве чой цой", "Jung": "jung jeong chung чон",
        "Kang": "kang gang кан", "Cho": "cho jo чо", "Yoon": "yoon yun юн",
        "Jang": "jang chang чан тян", "Lim": "lim im rim им лим", "Han": "han хан",
        "Seo": "seo so со", "Shin": "shin sin шин син", "Kwon": "kwon gwon квон",
        "Hwang": "hwang хван", "Ahn": "ahn an ан", "Song": "song сон", "Ryu": "ryu рю",
        "Hong": "hong хон", "Moon": "moon mun мун",
    }.items()
    for written in spellings.split()
}
# Latin-written Korean syllables spelt one way: RR, McCune-Reischauer and the press differ
# mostly in vowels (eo/o, eu/u, oo/u) and in a final ng that Cyrillic writes н.
_KOREAN_LATIN: Final = (("eo", "o"), ("eu", "u"), ("oo", "u"), ("ee", "i"), ("ae", "e"),
                        ("ng", "n"))


def _korean_order(text: str) -> str:
    """'Ким Чен Ын' / 'Kim Jong Un' / '김정은': a Korean name is written family first, its
    given name in one or two syllables. Written as 'Kim, Jongun' the parser reads it so. A
    given name of two syllables is spelt the one way every script meets (`_KOREAN_LATIN`),
    and its common surname too."""
    words = text.split()
    if not 2 <= len(words) <= 3 or words[0].lower() not in _KOREAN_FAMILY_WRITTEN:
        return text
    rest = words[1:]
    long_word = any(len(w) > 5 for w in rest) and len(rest) > 1
    if long_word or len("".join(rest)) > 9 or not all(w.isalpha() for w in rest):
        return text
    family = words[0]
    syllables = _korean_syllables(rest)
    if len(rest) == 2 and all(w.isascii() for w in syllables):
        given = "".join(syllables).lower()
        for spelt, one in _KOREAN_LATIN:
            given = given.replace(spelt, one)
        family = _KOREAN_FAMILY_CANON.get(family.lower(), family)
    else:
        given = "".join(rest)
    return f"{family}, {given[:1].upper()}{given[1:].lower()}"


def _romanise_word(word: str) -> str:
    if word in _ARABIC_WORDS:
        return _ARABIC_WORDS[word]
    if "\uac00" <= word[:1] <= "\ud7a3" and len(word) >= 2 and word[0] in _KOREAN_FAMILY:
        rest = " ".join(_hangul(ch) for ch in word[1:])  # syllables, as Latin lists write
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


_HYPHENED: Final = re.compile(r"^([^\W\d_]{3,})-([^\W\d_]{3,})$")
_TWO_CAPITALS: Final = re.compile(r"^[A-ZА-ЯЁІЇЄҐ]{2}$")


def _known_given(word: str) -> bool:
    return given_skeleton(word) in lexicon().given_index


def _split_given_hyphen(words: list[str]) -> list[str]:
    """'Oleksandr-Kovalov': a given name hyphened to another word is two words, when it is the
    name's only given name (a double surname, Kovalov-Petrenko, or a double given name,
    Anna-Mariia, has no single known given half, or has a given name elsewhere)."""
    # Most names have no hyphen: nothing to split, so no word is looked up in the lexicon
    # (the look-up was most of the cost of cleaning a name seen for the first time).
    if len(words) > 2 or not any("-" in w for w in words) or any(
            _known_given(w) for w in words):
        return words
    out: list[str] = []
    for word in words:
        match = _HYPHENED.match(word)
        if match and _known_given(match.group(1)) != _known_given(match.group(2)):
            out.extend(match.groups())
        else:
            out.append(word)
    return out


def _split_initials(words: list[str]) -> list[str]:
    """'Kovalov OM', 'Ковальов ОМ': two capitals beside a surname are the initials of the given
    name and patronymic. Not in a Latin name written all in capitals (KIM OK, WANG LI), and not
    when the two letters are a given name."""
    if len(words) != 2:
        return words
    for at, word in enumerate(words):
        other = words[1 - at]
        if (not _TWO_CAPITALS.match(word) or len(other) < 4 or not other.isalpha()
                or other.lower() in _KOREAN_FAMILY_WRITTEN or _known_given(word)):
            continue
        if other.isupper() and word.isascii():
            continue
        initials = [f"{word[0]}.", f"{word[1]}."]
        return [other, *initials] if at else [*initials, other]
    return words


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
    split = _split_initials(_split_given_hyphen(words))
    if split != words:
        text, words = " ".join(split), split
    kept = [w for w in words if not _is_title(w)]
    # "ст. лейтенант" leaves its dot-joined pieces ("ст.лейтенант") as one word: split on dots
    # between letters only when the pieces are titles.
    kept = [w for w in kept if not all(_is_title(p) for p in w.split(".") if p)]
    if not kept or len(kept) == len(words):
        return text
    return " ".join(kept).strip(" ,;")
