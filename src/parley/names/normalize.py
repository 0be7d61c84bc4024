"""The keys of one person's name, for exact match levels and blocking in the linkage engine.

Every field is lowercase ASCII and "" when absent, so the record store and Splink can compare
them with plain equality. Each part is computed once per distinct string (caches), which is what
makes normalising millions of records cheap: real registries repeat surnames and given names.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from parley.names.clean import clean_name
from parley.names.keys import family_skeleton, given_skeleton, phonetic_code
from parley.names.lexicon import lexicon
from parley.names.scripts import Script, fold_to_latin
from parley.names.scripts import detect_script as letter_script
from parley.names.translit import SYSTEMS, romanize_as
from parley.names.translit import romanize as _romanize_letters


@dataclass(frozen=True, slots=True)
class NormalizedName:
    """Keys of one name (see the module doc). ``script`` is a `Script` value."""

    family_translit: str
    family_key: str
    family_phonetic: str
    given_translit: str
    given_key: str
    given_phonetic: str
    patronymic_translit: str
    patronymic_key: str
    sex_hint: str
    script: str


_F_ENDINGS: Final = ("ova", "eva", "yova", "ina", "yna", "ska", "cka", "skaya", "tskaya", "aya")
_M_ENDINGS: Final = ("ov", "ev", "yov", "iov", "in", "yn", "skyi", "skiy", "skii", "sky", "ski",
                     "skij", "tskyi", "oi", "oy")


@lru_cache(maxsize=262144)
def surname_sex(family: str) -> str:
    """"F"/"M" from a surname's gendered ending (-ова, -ська, -ина …), "" when it has none."""
    latin = fold_to_latin(family).replace(" ", "")
    if len(latin) < 4:
        return ""
    if latin.endswith(_F_ENDINGS):
        return "F"
    if latin.endswith(_M_ENDINGS):
        return "M"
    return ""


@lru_cache(maxsize=262144)
def language_of(text: str) -> Script:
    """Script of a name, using the lexicon for Cyrillic without a telling letter (Микола is
    Ukrainian, Николай Russian)."""
    script = letter_script(text)
    if script is not Script.CYRILLIC:
        return script
    lex = lexicon()
    langs = {lex.language.get(w.lower(), "") for w in text.replace("-", " ").split()}
    langs.discard("")
    langs.discard("both")
    if langs == {"uk"}:
        return Script.UKRAINIAN
    if langs == {"ru"}:
        return Script.RUSSIAN
    return Script.CYRILLIC


@lru_cache(maxsize=262144)
def translit(text: str, context: Script = Script.CYRILLIC) -> str:
    """Romanised as written: Ukrainian by the 2010 national system, Russian by ICAO Doc 9303,
    Latin folded to ASCII; lowercase. ``context`` (the whole name's script) decides Cyrillic
    that by itself could be either language."""
    if not text:
        return ""
    script = language_of(text)
    if script is Script.CYRILLIC and context in (Script.UKRAINIAN, Script.RUSSIAN):
        script = context
    if script is Script.RUSSIAN:
        return fold_to_latin(romanize_as(text, "icao", "ru"))
    if script in (Script.UKRAINIAN, Script.CYRILLIC):
        return fold_to_latin(romanize_as(text, "ua2010", "uk"))
    return fold_to_latin(text)


@lru_cache(maxsize=262144)
def _family(family: str, context: Script) -> tuple[str, str, str, str]:
    key = family_skeleton(family)
    return translit(family, context), key, phonetic_code(key), surname_sex(family)


@lru_cache(maxsize=131072)
def _given(given: str, sex_hint: str, context: Script) -> tuple[str, str, str, str]:
    if not given:
        return "", "", "", ""
    key, skeleton, sex = _given_ident(given, sex_hint)
    return translit(given, context), key, phonetic_code(skeleton), sex


@lru_cache(maxsize=131072)
def _given_ident(given: str, sex_hint: str) -> tuple[str, str, str]:
    """A given name's key, the skeleton its phonetic code is made from, and the sex it tells
    (all "" for no name or an initial); the script plays no part, so keys alone skip it."""
    letters = [ch for ch in given if ch.isalpha()]
    if len(letters) <= 1:
        return "", "", ""  # an initial is no key
    res = lexicon().resolve_given(given)
    if res.ids:
        ids = res.ids
        if len(ids) > 1 and sex_hint:
            same_sex = [i for i in ids if lexicon().sex_of(i) == sex_hint]
            ids = tuple(same_sex) or ids
        key = ids[0]
        return key, given_skeleton(lexicon().names[key].english), (
            lexicon().sex_of(key) if len(ids) == 1 or not res.sex else res.sex
        )
    sk = given_skeleton(given)
    return sk, sk, ""


@lru_cache(maxsize=131072)
def _patronymic(patronymic: str, context: Script) -> tuple[str, str, str]:
    if not patronymic:
        return "", "", ""
    return translit(patronymic, context), *_patronymic_ident(patronymic)


@lru_cache(maxsize=131072)
def _patronymic_ident(patronymic: str) -> tuple[str, str]:
    """A patronymic's key and the sex it tells."""
    letters = [ch for ch in patronymic if ch.isalpha()]
    if len(letters) <= 1:
        return "", ""
    res = lexicon().resolve_patronymic(patronymic)
    if res.ids:
        return res.ids[0], res.sex
    return given_skeleton(patronymic), res.sex


@lru_cache(maxsize=4096)
def _combine(*scripts: Script) -> Script:
    """The script of a whole name from its parts' scripts (EMPTY parts do not count)."""
    found = {s for s in scripts if s is not Script.EMPTY}
    if not found:
        return Script.EMPTY
    if len(found) == 1:
        return found.pop()
    if Script.MIXED in found or Script.LATIN in found:
        return Script.MIXED
    if Script.UKRAINIAN in found and Script.RUSSIAN in found:
        return Script.MIXED
    found.discard(Script.CYRILLIC)
    return found.pop()


@lru_cache(maxsize=262144)
def normalize_name(family: str = "", given: str = "", patronymic: str = "") -> NormalizedName:
    """Keys of a name given as its three parts (any script, any case; "" when absent)."""
    family, given, patronymic = (clean_name(p).strip() for p in (family, given, patronymic))
    script = _combine(language_of(family), language_of(given), language_of(patronymic))
    f_tr, f_key, f_ph, f_sex = _family(family, script)
    p_tr, p_key, p_sex = _patronymic(patronymic, script)
    g_tr, g_key, g_ph, g_sex = _given(given, p_sex or f_sex, script)
    # Positional, and the Script member itself (a str equal to its value): this runs once per
    # distinct name in a registry, so it is kept lean.
    return NormalizedName(
        f_tr, f_key, f_ph, g_tr, g_key, g_ph, p_tr, p_key, g_sex or p_sex or f_sex, script
    )


def name_keys(family: str = "", given: str = "", patronymic: str = "") -> tuple[str, str, str]:
    """The family, given and patronymic keys of ``normalize_name`` and nothing else.

    Ingest stores only these three; romanising each part and making its phonetic codes, which
    ``normalize_name`` also does, was most of the cost of keying a name seen for the first time.
    The keys do not depend on the script, so the parts are not looked up in the lexicon for it.
    """
    family = clean_name(family).strip() if family else ""
    p_key, p_sex = ("", "")
    if patronymic and (patronymic := clean_name(patronymic).strip()):
        p_key, p_sex = _patronymic_ident(patronymic)
    g_key = ""
    if given and (given := clean_name(given).strip()):
        g_key = _given_ident(given, p_sex or surname_sex(family))[0]
    return family_skeleton(family), g_key, p_key


def detect_script(text: str) -> Script:
    """Script of a name: Ukrainian or Russian Cyrillic (by their own letters, else by the name
    lexicon: Микола is Ukrainian, Николай Russian), CYRILLIC when undecidable, LATIN, MIXED,
    EMPTY."""
    return language_of(text)


def romanize(text: str, system: str = "ua2010") -> str:
    """Romanise ``text`` by ``system`` ("ua2010", "icao", "gost_b", "bgn", "english").

    The language of ambiguous Cyrillic comes from the lexicon (Микола -> Ukrainian rules). For
    "english", a given name the lexicon knows is written in its usual English form
    (Олександр -> Alexander, Сергей -> Sergey).
    """
    if system not in SYSTEMS:
        raise ValueError(f"unknown romanisation system {system!r}; known: {', '.join(SYSTEMS)}")
    if system == "english":
        return _english(text)
    script = language_of(text)
    if script is Script.UKRAINIAN:
        return romanize_as(text, system, "uk")
    if script is Script.RUSSIAN:
        return romanize_as(text, system, "ru")
    return _romanize_letters(text, system)


def _english(text: str) -> str:
    lex = lexicon()
    script = language_of(text)
    lang = "uk" if script is Script.UKRAINIAN else "ru"
    out: list[str] = []
    for word in text.split():
        ids = lex.given_index.get(given_skeleton(word), []) if not word.isupper() else []
        name = lex.names[ids[0]] if ids else None
        if name is not None and word.lower() in {f.lower() for f in (*name.ua, *name.ru)}:
            out.append(name.english)
        elif script is Script.LATIN:
            out.append(word)
        else:
            out.append(romanize_as(word, "english", lang))
    return " ".join(out)
