"""The keys of one person's name, for exact match levels and blocking in the linkage engine.

Every field is lowercase ASCII and "" when absent, so the record store and Splink can compare
them with plain equality. Each part is computed once per distinct string (caches), which is what
makes normalising millions of records cheap: real registries repeat surnames and given names.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from parley.names.keys import family_skeleton, given_skeleton, phonetic_code
from parley.names.lexicon import lexicon
from parley.names.scripts import Script, detect_script, fold_to_latin
from parley.names.translit import romanize_as


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
    script = detect_script(text)
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
    tr = translit(given, context)
    letters = [ch for ch in given if ch.isalpha()]
    if len(letters) <= 1:
        return tr, "", "", ""  # an initial is no key
    res = lexicon().resolve_given(given)
    if res.ids:
        ids = res.ids
        if len(ids) > 1 and sex_hint:
            same_sex = [i for i in ids if lexicon().sex_of(i) == sex_hint]
            ids = tuple(same_sex) or ids
        key = ids[0]
        return tr, key, phonetic_code(given_skeleton(lexicon().names[key].english)), (
            lexicon().sex_of(key) if len(ids) == 1 or not res.sex else res.sex
        )
    sk = given_skeleton(given)
    return tr, sk, phonetic_code(sk), ""


@lru_cache(maxsize=131072)
def _patronymic(patronymic: str, context: Script) -> tuple[str, str, str]:
    if not patronymic:
        return "", "", ""
    tr = translit(patronymic, context)
    letters = [ch for ch in patronymic if ch.isalpha()]
    if len(letters) <= 1:
        return tr, "", ""
    res = lexicon().resolve_patronymic(patronymic)
    if res.ids:
        return tr, res.ids[0], res.sex
    return tr, given_skeleton(patronymic), res.sex


def _script_of(family: str, given: str, patronymic: str) -> Script:
    return _combine(language_of(family), language_of(given), language_of(patronymic))


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
    family, given, patronymic = family.strip(), given.strip(), patronymic.strip()
    script = _script_of(family, given, patronymic)
    f_tr, f_key, f_ph, f_sex = _family(family, script)
    p_tr, p_key, p_sex = _patronymic(patronymic, script)
    g_tr, g_key, g_ph, g_sex = _given(given, p_sex or f_sex, script)
    sex = g_sex or p_sex or f_sex
    return NormalizedName(
        family_translit=f_tr,
        family_key=f_key,
        family_phonetic=f_ph,
        given_translit=g_tr,
        given_key=g_key,
        given_phonetic=g_ph,
        patronymic_translit=p_tr,
        patronymic_key=p_key,
        sex_hint=sex,
        script=script.value,
    )
