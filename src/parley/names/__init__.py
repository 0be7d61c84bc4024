"""parley.names — the cross-script name engine (pure: no database, web or file I/O).

One person is «Олександр Миколайович Ковальов», «Александр Николаевич Ковалёв», "Oleksandr
Kovalov", "Alexander Kovalyov" and "Sasha". This package knows that, and knows that Oleksandr
and Oleksii, or Yurii and Yuliia, are different people. The linkage engine builds on
`normalize_name` (exact keys for Splink levels and blocking) and the pairwise similarities.
"""

from __future__ import annotations

from parley.names.compare import (
    SAME_THRESHOLD,
    NameComparison,
    compare_names,
    family_similarity,
    given_similarity,
    patronymic_similarity,
)
from parley.names.normalize import NormalizedName, language_of, normalize_name
from parley.names.parse import NameParts, parse_name
from parley.names.reverse import latin_to_cyrillic
from parley.names.scripts import Script, fold_to_latin
from parley.names.translit import SYSTEMS, romanize_as
from parley.names.translit import romanize as _romanize_letters
from parley.names.variants import variants


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
    from parley.names.keys import given_skeleton
    from parley.names.lexicon import lexicon

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


__all__ = [
    "SAME_THRESHOLD",
    "NameComparison",
    "NameParts",
    "NormalizedName",
    "Script",
    "compare_names",
    "detect_script",
    "family_similarity",
    "fold_to_latin",
    "given_similarity",
    "latin_to_cyrillic",
    "normalize_name",
    "parse_name",
    "patronymic_similarity",
    "romanize",
    "variants",
]
