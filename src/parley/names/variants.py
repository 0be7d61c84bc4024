"""Every form of a name Parley knows: for a user who asks "how else may this be written?".

Given names and patronymics come from the lexicon; surnames get their romanisations in every
system, their Cyrillic readings, their other-gender form (Ковальов/Ковальова) and their
Ukrainian/Russian counterpart (Ковальов/Ковалёв, Олійник/Олейник, Білоус/Белоус).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

from parley.names.keys import given_skeleton
from parley.names.lexicon import lexicon, patronymic_sex
from parley.names.normalize import romanize
from parley.names.reverse import latin_to_cyrillic
from parley.names.scripts import Script, detect_script
from parley.names.translit import SYSTEMS, romanize_as

_CYR_GENDER: Final[tuple[tuple[str, str], ...]] = (
    ("ський", "ська"), ("цький", "цька"), ("ский", "ская"), ("цкий", "цкая"), ("ьов", "ьова"),
    ("ёв", "ёва"), ("ов", "ова"), ("ев", "ева"), ("єв", "єва"), ("ін", "іна"), ("ин", "ина"),
    ("ын", "ына"), ("ой", "ая"), ("ий", "а"),
)
_LAT_GENDER: Final[tuple[tuple[str, str], ...]] = (
    ("skyi", "ska"), ("tskyi", "tska"), ("skiy", "skaya"), ("sky", "skaya"), ("ski", "ska"),
    ("yov", "yova"), ("iov", "iova"), ("ov", "ova"), ("ev", "eva"), ("in", "ina"), ("yn", "yna"),
)
_UA_TO_RU: Final[tuple[tuple[str, str], ...]] = (
    ("ський", "ский"), ("цький", "цкий"), ("ьо", "ё"), ("йо", "ё"), ("є", "е"), ("ї", "и"),
    ("і", "е"), ("'", ""), ("’", ""),
)
_RU_TO_UA: Final[tuple[tuple[str, str], ...]] = (
    ("ский", "ський"), ("цкий", "цький"), ("ё", "ьо"), ("ы", "и"), ("э", "е"), ("ъ", "'"),
)


def _swap_ending(word: str, pairs: tuple[tuple[str, str], ...]) -> str:
    lower = word.lower()
    for male, female in pairs:
        if lower.endswith(male):
            return _recase(word, word[: len(word) - len(male)] + female)
        if lower.endswith(female) and len(lower) > len(female) + 2:
            return _recase(word, word[: len(word) - len(female)] + male)
    return ""


def _recase(source: str, text: str) -> str:
    if source.isupper() and len(source) > 1:
        return text.upper()
    return text[:1].upper() + text[1:].lower() if source[:1].isupper() else text.lower()


def surname_counterparts(word: str) -> list[str]:
    """The other-gender form and the Ukrainian/Russian counterpart spelling of a surname."""
    out: list[str] = []
    script = detect_script(word)
    if script is Script.LATIN:
        other = _swap_ending(word, _LAT_GENDER)
        return [other] if other else []
    other = _swap_ending(word, _CYR_GENDER)
    if other:
        out.append(other)
    lower = word.lower()
    if script is Script.RUSSIAN or script is Script.CYRILLIC:
        ua = lower
        for a, b in _RU_TO_UA:
            ua = ua.replace(a, b)
        if ua != lower:
            out.append(_recase(word, ua))
    if script is Script.UKRAINIAN or script is Script.CYRILLIC:
        ru = lower
        for a, b in _UA_TO_RU:
            ru = ru.replace(a, b)
        if ru != lower:
            out.append(_recase(word, ru))
    return out


def _word_variants(word: str) -> list[str]:
    lex = lexicon()
    found: list[str] = []
    key = given_skeleton(word)
    for name_id in lex.given_index.get(key, []):
        name = lex.names[name_id]
        found += [*name.ua, *name.ru, *name.latin]
        found += sorted(lex.forms[name_id] - set(found) - set(name.diminutives))
        found += list(name.diminutives)
    if not found and patronymic_sex(word) and key in lex.patronymic_index:
        for name_id in lex.patronymic_index[key]:
            found += sorted(lex.patronymic_forms[name_id])
    if found:
        return found
    forms = [word]
    script = detect_script(word)
    if script is Script.LATIN:
        forms += latin_to_cyrillic(word, limit=8)
    else:
        for w in [word, *surname_counterparts(word)]:
            forms.append(w)
            for system in SYSTEMS:
                forms.append(romanize(w, system))
            if detect_script(w) is Script.CYRILLIC:
                forms += [romanize_as(w, s, "uk") for s in SYSTEMS]
    forms += surname_counterparts(word)
    return forms


@lru_cache(maxsize=4096)
def _variants(name: str) -> tuple[str, ...]:
    name = " ".join(name.split())
    if not name:
        return ()
    words = re.findall(r"[^\s,]+", name)
    out: list[str] = []
    if len(words) == 1:
        out = _word_variants(words[0])
    else:
        if detect_script(name) is Script.LATIN:
            out += latin_to_cyrillic(name, limit=8)
        else:
            out += [romanize(name, s) for s in SYSTEMS]
        for w in words:
            out += _word_variants(w)
    seen: set[str] = set()
    unique: list[str] = []
    for form in out:
        if form and form not in seen:
            seen.add(form)
            unique.append(form)
    return tuple(unique)


def variants(name: str) -> list[str]:
    """All forms of ``name`` (a word or a full name) that Parley knows, the input first."""
    return list(_variants(name))
