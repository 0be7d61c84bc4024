"""Split a full-name string into family name, given name and patronymic, in any order and case.

Documents write "КОВАЛЬОВ Олександр Миколайович" (family first, often in capitals), passports
and foreign lists "Oleksandr M. Kovalov", registries "Kovalov, Oleksandr". The lexicon tells a
given name and a patronymic from a surname; word order and capitals decide the rest.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from parley.names.clean import clean_name
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
    "ian", "ianc", "vili", "dze",  # Armenian -ян/-yan/-янц, Georgian -швили/-shvili, -дзе
)


_ALIAS: Final = re.compile(r"\([^)]*\)|\[[^\]]*\]|«[^»]*»|“[^”]*”|\"[^\"]*\"")
_ONE_LETTER: Final = re.compile(r"^[\W\d_]*[^\W\d_][\W\d_]*$")


def _is_initial(token: str) -> bool:
    return _ONE_LETTER.match(token) is not None


@dataclass(frozen=True, slots=True)
class _Word:
    """What the lexicon says about one word of a full name."""

    text: str
    given: bool  # an exact form of a given name
    given_fuzzy: bool  # within a typo of one
    patronymic: int  # 2 exact patronymic form, 1 misspelt one, 0 none
    family_like: bool  # ends like a surname (-enko, -chuk, -ov, -skyi …)
    caps: bool


@lru_cache(maxsize=262144)
def _word(text: str) -> _Word:
    lex = lexicon()
    sk = given_skeleton(text)
    given = sk in lex.given_index
    patronymic = 0
    if sk in lex.patronymic_index:
        patronymic = 2
    elif not given and len(sk) >= 5 and patronymic_sex(text) and lex.resolve_patronymic(text).ids:
        patronymic = 1
    given_fuzzy = not given and not patronymic and bool(lex.resolve_given(text).ids)
    return _Word(text, given, given_fuzzy, patronymic, _family_like(text),
                 text.isupper() and len(text) > 1)


def _is_given(token: str) -> bool:
    return given_skeleton(token) in lexicon().given_index


def is_given_name(token: str) -> bool:
    """Whether ``token`` is a form of a given name the lexicon knows (any script or case)."""
    return _is_given(token)


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
    text = repair_homoglyphs(clean_name(unicodedata.normalize("NFC", text))).strip()
    # A nickname or alias in brackets or quotes ('Oleksandr "Sasha" Kovalov') is not a part.
    text = _ALIAS.sub(" ", text).strip() or text
    if not text:
        return NameParts("", "", "")
    if "," in text:
        head, _, tail = text.partition(",")
        head_tokens, tail_tokens = _tokens(head), _tokens(tail)
        if _given_first(head_tokens, tail_tokens):
            # "Ivan, Tarasov Vladimirovich": the given name before the comma, the surname after.
            given, patronymic = _given_and_patronymic([head_tokens[0], *tail_tokens[1:]])
            return NameParts(tail_tokens[0], given, patronymic)
        family = " ".join(head_tokens)
        given, patronymic = _given_and_patronymic(tail_tokens)
        return NameParts(family, given, patronymic)
    tokens = _tokens(text)
    if not tokens:
        return NameParts("", "", "")
    words = [_word(t) for t in tokens if not _is_initial(t)]
    initials = [_initial(t) for t in tokens if _is_initial(t)]
    latin = detect_script(text) is Script.LATIN

    patronymic = ""
    p_at = -1
    if len(words) >= 2:
        p_at = _pick_patronymic(words)
        if p_at >= 0:
            patronymic = words[p_at].text
    rest = [(i, w) for i, w in enumerate(words) if i != p_at]

    double = _double_given(words) if p_at < 0 and not initials else None
    if double is not None:
        return double

    given = ""
    if len(rest) == 1:
        w = rest[0][1]
        if (w.given or w.given_fuzzy) and not initials and not w.family_like and not patronymic:
            given = w.text
            rest = []
    elif rest:
        g_at = _pick_given(rest, p_at, latin)
        given = words[g_at].text
        rest = [(i, w) for i, w in rest if i != g_at]
    if not given and initials:
        given = initials.pop(0)
    if not patronymic and initials:
        patronymic = initials.pop(0)
    return NameParts(" ".join(w.text for _, w in rest), given, patronymic)


def _pick_patronymic(words: list[_Word]) -> int:
    """Index of the patronymic among the words, or -1. A patronymic follows the given name, so
    a candidate right after a given name wins ("Петрович Іван Іванович")."""
    candidates = [i for i, w in enumerate(words) if w.patronymic]
    if not candidates:
        if len(words) >= 3:
            loose = [i for i, w in enumerate(words)
                     if not w.given and lexicon().resolve_patronymic_loose(w.text)]
            if len(loose) == 1:
                return loose[0]
        return -1
    best = max(w.patronymic for i, w in enumerate(words) if i in candidates)
    candidates = [i for i in candidates if words[i].patronymic == best]
    after_given = [i for i in candidates if i > 0 and (words[i - 1].given or
                                                       words[i - 1].given_fuzzy)]
    if after_given:
        return after_given[-1]
    not_given = [i for i in candidates if not words[i].given]
    return (not_given or candidates)[-1]


# (index, word, patronymic index, mixed case) -> is this the given name? In order of trust.
# In mixed case a word in capitals is the surname ("КОВАЛЬОВ Олександр").
_GIVEN_RULES: Final[tuple[Callable[[int, _Word, int, bool], bool], ...]] = (
    lambda i, w, p, m: w.given and i == p - 1,
    lambda i, w, p, m: w.given and not (m and w.caps) and not w.family_like,
    lambda i, w, p, m: w.given and not (m and w.caps),
    lambda i, w, p, m: w.given_fuzzy and i == p - 1,
    lambda i, w, p, m: w.given_fuzzy and not (m and w.caps) and not w.family_like,
    lambda i, w, p, m: p > 0 and i == p - 1 and not (m and w.caps),
    lambda i, w, p, m: m and not w.caps,
)


def _pick_given(rest: list[tuple[int, _Word]], p_at: int, latin: bool) -> int:
    """Index of the given name among the words left after the patronymic, by the first rule
    that picks any: a known given name right before the patronymic, one that does not look
    like a surname, … then the word order of the script."""
    mixed = any(not w.caps for _, w in rest) and any(w.caps for _, w in rest)
    for test in _GIVEN_RULES:
        hits = [i for i, w in rest if test(i, w, p_at, mixed)]
        if hits:
            if len(hits) > 1 and not latin:
                return hits[1] if len(hits) == 2 else hits[0]  # Cyrillic: Family Given
            return hits[0]
    positions = [i for i, _ in rest]
    plain = [i for i, w in rest if not w.family_like]
    if len(plain) == 1 and len(rest) == 2:
        return plain[0]  # the other word ends like a surname (Gumenyuk Iogr)
    if latin:
        return positions[0]  # Given Family
    return positions[1] if len(positions) > 1 else positions[0]  # Family Given


def _double_given(words: list[_Word]) -> NameParts | None:
    """Three words, two of them adjacent given names and the third not one: a double given
    name written with a space ("Anna Mariia Kovalenko" for Анна-Марія Коваленко)."""
    if len(words) != 3:
        return None
    for i in (0, 1):
        pair = (words[i], words[i + 1])
        other = words[2] if i == 0 else words[0]
        if all(w.given and not w.family_like for w in pair) and not other.given:
            return NameParts(other.text, f"{pair[0].text} {pair[1].text}", "")
    return None


def _given_first(head: list[str], tail: list[str]) -> bool:
    """Whether "X, Y …" puts the given name first: X is a given name (or a typo of one) and Y
    is neither a given name nor a patronymic."""
    if not head or not tail or _is_initial(head[0]) or _is_initial(tail[0]):
        return False
    first, after = _word(head[0]), _word(tail[0])
    return ((first.given or first.given_fuzzy) and not first.family_like
            and not after.given and not after.patronymic)


def _family_like(word: str) -> bool:
    sk = given_skeleton(word)
    return len(sk) >= 5 and sk.endswith(_FAMILY_ENDINGS)


def _given_and_patronymic(tokens: list[str]) -> tuple[str, str]:
    words = [t for t in tokens if not _is_initial(t)]
    initials = [_initial(t) for t in tokens if _is_initial(t)]
    given = patronymic = ""
    for w in words:
        if not patronymic and given and _word(w).patronymic:
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
