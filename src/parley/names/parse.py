"""Split a full-name string into family name, given name and patronymic, in any order and case.

Documents write "КОВАЛЬОВ Олександр Миколайович" (family first, often in capitals), passports
and foreign lists "Oleksandr M. Kovalov", registries "Kovalov, Oleksandr". The lexicon tells a
given name and a patronymic from a surname; word order and capitals decide the rest.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from parley.names.keys import given_skeleton
from parley.names.lexicon import lexicon, patronymic_sex
from parley.names.scripts import Script, detect_script, repair_homoglyphs


@dataclass(frozen=True, slots=True)
class NameParts:
    """The three parts of a Slavic full name as written; "" when absent. An initial keeps its
    dot ("O.")."""

    family: str
    given: str
    patronymic: str


_TOKEN_RE: Final = re.compile(r"[^\W\d_]\.|[^\W\d_](?:[^\W\d_]|['’ʼ`\-])*\.?", re.UNICODE)
# Endings that mark a word as a surname rather than a given name (skeleton of the Latin fold).
_FAMILY_ENDINGS: Final = (
    "enko", "cuk", "iuk", "iak", "ak", "ov", "ova", "ev", "eva", "in", "ina", "ski", "ska",
    "skai", "ic", "ko", "uk", "ec", "ar", "nik", "ik", "ih",
)


def _is_initial(token: str) -> bool:
    letters = [ch for ch in token if ch.isalpha()]
    return len(letters) == 1


def _looks_patronymic(token: str) -> bool:
    sk = given_skeleton(token)
    if len(sk) < 6:
        return False
    lex = lexicon()
    if sk in lex.patronymic_index:
        return True
    return patronymic_sex(token) != "" and bool(lex.resolve_patronymic(token).ids)


def _is_given(token: str) -> bool:
    return given_skeleton(token) in lexicon().given_index


def _tokens(text: str) -> list[str]:
    out: list[str] = []
    for tok in _TOKEN_RE.findall(text):
        tok = tok.strip("-'’ʼ`")
        if not tok:
            continue
        # "O.M." arrives as "O." then "M." from the regex; "OM" stays a word.
        out.append(tok)
    return out


def _initial(token: str) -> str:
    letter = next(ch for ch in token if ch.isalpha())
    return letter.upper() + "."


@lru_cache(maxsize=131072)
def parse_name(text: str) -> NameParts:
    """Family, given name and patronymic of a full name in any order, script and case."""
    text = repair_homoglyphs(unicodedata.normalize("NFC", text)).strip()
    if not text:
        return NameParts("", "", "")
    if "," in text:
        head, _, tail = text.partition(",")
        rest = _tokens(tail)
        family = " ".join(_tokens(head))
        given, patronymic = _given_and_patronymic(rest)
        return NameParts(family, given, patronymic)
    tokens = _tokens(text)
    if not tokens:
        return NameParts("", "", "")
    words = [t for t in tokens if not _is_initial(t)]
    initials = [_initial(t) for t in tokens if _is_initial(t)]
    latin = detect_script(text) is Script.LATIN

    patronymic = ""
    if len(words) >= 2:
        for i, w in enumerate(words):
            if i == 0 and len(words) >= 3 and _is_given(words[1]) and not _is_given(w):
                continue  # "Петрович Іван Іванович": a family name that ends like a patronymic
            if _looks_patronymic(w):
                patronymic = w
                words = words[:i] + words[i + 1 :]
                break

    given = ""
    if words:
        candidates = [i for i, w in enumerate(words) if _is_given(w)]
        caps = [i for i, w in enumerate(words) if w.isupper() and len(w) > 1]
        mixed_case = len(caps) < len(words)
        if len(words) == 1:
            if candidates and not initials and not _family_like(words[0]):
                given = words.pop(0)
        else:
            pick: int | None = None
            if candidates:
                free = [i for i in candidates if not (mixed_case and i in caps)]
                pool = free or candidates
                if len(pool) > 1:
                    # Two words both known as given names (Roman Ostap): order convention.
                    not_family = [i for i in pool if not _family_like(words[i])]
                    pool = not_family or pool
                pick = (pool[-1] if not latin else pool[0]) if len(pool) > 1 and not latin else (
                    pool[0]
                )
                if len(pool) > 1 and not latin:
                    pick = pool[1] if len(pool) == 2 else pool[0]
            elif mixed_case and caps:
                pick = next(i for i in range(len(words)) if i not in caps)
            else:
                pick = 0 if latin else 1
            given = words.pop(pick)
    if not patronymic and given and len(words) >= 2:
        # Three words and none ends like a patronymic: a misspelt one ("Миколайовч") is still
        # the word nearest a patronymic form, or else the one after the given name.
        fuzzy = [i for i, w in enumerate(words) if lexicon().resolve_patronymic_loose(w)]
        if len(fuzzy) == 1:
            patronymic = words.pop(fuzzy[0])
    if not given and initials:
        given = initials.pop(0)
    if not patronymic and initials:
        patronymic = initials.pop(0)
    family = " ".join(words)
    return NameParts(family, given, patronymic)


def _family_like(word: str) -> bool:
    sk = given_skeleton(word)
    return len(sk) >= 5 and sk.endswith(_FAMILY_ENDINGS)


def _given_and_patronymic(tokens: list[str]) -> tuple[str, str]:
    words = [t for t in tokens if not _is_initial(t)]
    initials = [_initial(t) for t in tokens if _is_initial(t)]
    given = patronymic = ""
    for w in words:
        if not patronymic and given and _looks_patronymic(w):
            patronymic = w
        elif not given:
            given = w
        elif not patronymic:
            patronymic = w
    if not given and initials:
        given = initials.pop(0)
    if not patronymic and initials:
        patronymic = initials.pop(0)
    return given, patronymic
