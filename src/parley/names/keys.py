"""Spelling-neutral keys of a name: the skeletons that make every spelling of one name equal.

Why skeletons and not one transliteration: the same surname reaches us in UA 2010, ICAO, GOST,
BGN, English, German and Polish spellings, from Ukrainian or Russian Cyrillic, in the male or
female form. Two reductions absorb nearly all of that:

- `family_skeleton`: the consonant skeleton. Digraphs of every system fold to one symbol
  (kh/h/g -> h, zh/ż -> j, sh/sz/sch -> x, ch/cz/tsch/ts/c -> c, w -> v, x -> ks), then all vowels
  and y/j drop out, and doubled consonants collapse. Vowels are exactly where Ukrainian and
  Russian (Ковальов/Ковалёв, Олійник/Олейник, Білоус/Белоус) and the gender forms (-ов/-ова,
  -ський/-ська, -ий/-а) differ, so the skeleton is gender- and language-neutral. A leading
  "_" records that the name starts with a vowel sound (Ivanenko, Yakovenko, Ovcharenko).
- `given_skeleton`: the same consonant folding with vowels kept (y/j/i merge to i), for given
  names and patronymics, where the final vowel carries the sex (Oleksandr/Oleksandra).

`phonetic_code` coarsens a skeleton into Daitch–Mokotoff-like digit classes (b/p/f/v -> 7,
d/t -> 3, k/g/h -> 5, sibilants -> 4, l -> 8, r -> 9, m/n -> 6) for blocking on sound.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

from parley.names.scripts import fold_to_latin

_DIGRAPHS: Final[tuple[tuple[str, str], ...]] = (
    ("schtsch", "x"), ("shtsch", "x"), ("shch", "x"), ("szcz", "x"), ("tsch", "c"), ("sch", "x"),
    ("shh", "x"), ("tch", "c"), ("cz", "c"), ("ch", "c"), ("zh", "j"), ("sz", "x"), ("sh", "x"),
    ("kh", "h"), ("gh", "h"), ("ck", "k"), ("ph", "f"), ("ts", "c"), ("tz", "c"),
)
_DIGRAPH_RE: Final = re.compile("|".join(d for d, _ in _DIGRAPHS))
_DIGRAPH_MAP: Final = dict(_DIGRAPHS)

# After digraphs: single letters. Vowels become "" for the family skeleton.
_CONSONANT: Final = {
    "b": "b", "c": "c", "d": "d", "f": "f", "g": "h", "h": "h", "k": "k", "l": "l", "m": "m",
    "n": "n", "p": "p", "q": "k", "r": "r", "s": "s", "t": "t", "v": "v", "w": "v", "x": "ks",
    "z": "z",
}
_GIVEN_VOWEL: Final = {"a": "a", "e": "e", "i": "i", "y": "i", "j": "i", "o": "o", "u": "u"}
# Upper-case placeholders so a digraph's output is not re-read as letters.
_PLACEHOLDER: Final = {"x": "X", "c": "C", "j": "J", "h": "H", "k": "K", "f": "F"}
_FROM_PLACEHOLDER: Final = {v: k for k, v in _PLACEHOLDER.items()}


# Latin letters whose sound depends on the spelling convention of the word:
# - "ch" is ч in English, UA 2010, ICAO, GOST and BGN, but х in German, Polish and the scientific
#   system (Zacharčenko, Zacharczenko, Schewtschenko's neighbours); a word that shows one of
#   those conventions (a háček or Polish letter, cz/sz, sch/tsch, w) reads its bare "ch" as х.
# - "x" is х in GOST 7.79 B (Zaxarchenko, Mixajlo) and кс in English spellings, which use it in
#   a handful of names only (Alex-, Olex-, Felix, Max-, Oxana, Roxolana, Xenia).
_CH_AS_KH: Final = re.compile(r"[čšžćśźżłřěů]|cz|sz|sch|w")
_BARE_CH: Final = re.compile(r"(?<!s)ch")
_X_AS_KS: Final = re.compile(r"l[eiy]x|max|^ax|^oxa|roxo|^xen|^xan")
_CYRILLIC: Final = re.compile("[\u0400-\u04ff]")
_WORD: Final = re.compile(r"[^\s\-]+")


def _read_word(match: re.Match[str]) -> str:
    word = match.group(0)
    if _CYRILLIC.search(word):
        return word  # a Latin homoglyph inside a Cyrillic word is repaired by the fold
    if "ch" in word and _CH_AS_KH.search(word):
        word = _BARE_CH.sub("kh", word)
    if "x" in word:
        word = word.replace("x", "ks" if _X_AS_KS.search(word) else "kh")
    return word


@lru_cache(maxsize=262144)
def read_latin(text: str) -> str:
    """`fold_to_latin` of a name, with Latin "ch" and "x" read by the convention each word is
    spelt in (see above), so every system's spelling of х, кс and ч folds alike."""
    lower = text.lower()
    if "ch" in lower or "x" in lower:
        lower = _WORD.sub(_read_word, lower)
    return fold_to_latin(lower)


def _fold_digraphs(word: str) -> str:
    return _DIGRAPH_RE.sub(lambda m: _PLACEHOLDER[_DIGRAPH_MAP[m.group(0)]], word)


def _collapse(symbols: list[str]) -> str:
    out: list[str] = []
    for s in symbols:
        if not out or out[-1] != s:
            out.append(s)
    return "".join(out)


def _family_word(word: str) -> str:
    folded = _fold_digraphs(word)
    symbols: list[str] = []
    for i, ch in enumerate(folded):
        if ch in _FROM_PLACEHOLDER:
            symbols.append(_FROM_PLACEHOLDER[ch])
        elif ch in _CONSONANT:
            symbols.extend(_CONSONANT[ch])
        elif ch in _GIVEN_VOWEL or ch.isalpha():
            if i == 0:
                symbols.append("_")
            elif symbols and symbols[-1] != "_":
                symbols.append(".")  # a vowel separates doubled consonants (Ananko ≠ Anko)
    return _collapse(symbols).replace(".", "")


@lru_cache(maxsize=262144)
def family_skeleton(text: str) -> str:
    """Consonant skeleton of a surname in any script; hyphenated parts are kept apart."""
    latin = read_latin(text)
    parts = [p for p in re.split(r"[\s\-]+", latin) if p]
    return "-".join(s for s in (_family_word(p) for p in parts) if s)


@lru_cache(maxsize=262144)
def given_skeleton(text: str) -> str:
    """Skeleton of a given name or patronymic in any script, vowels kept (y/j/i merged)."""
    latin = read_latin(text).replace(" ", "").replace("-", "")
    folded = _fold_digraphs(latin)
    symbols: list[str] = []
    for ch in folded:
        if ch in _FROM_PLACEHOLDER:
            symbols.append(_FROM_PLACEHOLDER[ch])
        elif ch in _CONSONANT:
            symbols.extend(_CONSONANT[ch])
        elif ch in _GIVEN_VOWEL:
            symbols.append(_GIVEN_VOWEL[ch])
        elif ch.isalnum():
            symbols.append(ch)
    return _collapse(symbols)


_PHONETIC: Final = {
    "b": "7", "p": "7", "f": "7", "v": "7", "d": "3", "t": "3", "k": "5", "h": "5", "s": "4",
    "z": "4", "c": "4", "x": "4", "j": "4", "l": "8", "r": "9", "m": "6", "n": "6", "_": "0",
}


@lru_cache(maxsize=262144)
def phonetic_code(skeleton: str, length: int = 6) -> str:
    """Daitch–Mokotoff-like digits of a family or given skeleton (vowels ignored)."""
    digits: list[str] = []
    for part in skeleton.split("-"):
        for ch in part:
            code = _PHONETIC.get(ch)
            if code and (not digits or digits[-1] != code):
                digits.append(code)
    return "".join(digits)[:length]
