"""The seam between the linkage model and ``parley.names``.

The model needs, per name part, a cross-script key, a transliteration, a phonetic key and a sex
hint. ``parley.names`` provides them; this module asks it once per *distinct* value (a registry
of a million rows has only tens of thousands of distinct surnames) and falls back to a plain
Cyrillic→Latin fold when ``parley.names`` is not importable, so the engine still runs (with
weaker name keys) in a partial checkout.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from types import ModuleType

_names_mod: ModuleType | None
try:  # pragma: no cover - exercised by whichever checkout is present
    import parley.names as _names_mod

    if not hasattr(_names_mod, "normalize_name"):
        import parley.names.normalize as _names_mod
    _HAVE_NAMES = True
except ImportError:  # pragma: no cover
    _names_mod = None
    _HAVE_NAMES = False

_FOLD = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ё": "e",
    "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh",
    "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e",
    "ю": "iu", "я": "ia", "'": "", "’": "", "ʼ": "",
}  # fmt: skip
_NON_ALPHA = re.compile(r"[^a-z ]+")
_NON_ALNUM = re.compile(r"[^a-z0-9 ]+")


def simple_fold(text: str) -> str:
    """Lowercase ASCII fold of any script: the 'generic' normalisation a plain model uses."""
    if not text:
        return ""
    return _simple_fold(text)


@lru_cache(maxsize=500_000)
def _simple_fold(text: str) -> str:
    out = "".join(_FOLD.get(ch, ch) for ch in text.lower())
    out = unicodedata.normalize("NFKD", out).encode("ascii", "ignore").decode("ascii")
    return " ".join(_NON_ALPHA.sub(" ", out).split())


@lru_cache(maxsize=200_000)
def fold_alnum(text: str) -> str:
    """Like ``simple_fold`` but keeping digits (addresses: house numbers, postcodes)."""
    out = "".join(_FOLD.get(ch, ch) for ch in text.lower())
    out = unicodedata.normalize("NFKD", out).encode("ascii", "ignore").decode("ascii")
    return " ".join(_NON_ALNUM.sub(" ", out).split())


@dataclass(frozen=True, slots=True)
class PartKeys:
    """What the model uses of one name part (family, given or patronymic)."""

    key: str
    translit: str
    phonetic: str
    sex_hint: str


_EMPTY = PartKeys("", "", "", "")


# A patronymic that only conveys sex, so an ambiguous given name (Sasha, Zhenya, Valya) is read
# as the man's or the woman's name the rest of the record says it is.
_SEX_CONTEXT = {"M": "Іванович", "F": "Іванівна"}


@lru_cache(maxsize=1_000_000)
def part_keys(part: str, value: str, sex: str = "") -> PartKeys:
    """Keys of one name part; ``part`` is ``family``, ``given`` or ``patronymic``.

    Asked once per distinct value (and, for given names, per sex): normalising whole name
    triples would cost a call per record.
    """
    if not value.strip():
        return _EMPTY
    if _names_mod is not None:
        args = {"family": (value, "", ""), "given": ("", value, ""), "patronymic": ("", "", value)}
        n = _names_mod.normalize_name(*args[part])
        if part == "given" and sex in _SEX_CONTEXT and n.sex_hint and n.sex_hint != sex:
            n = _names_mod.normalize_name("", value, _SEX_CONTEXT[sex])
        if part == "family":
            return PartKeys(n.family_key, n.family_translit, n.family_phonetic, n.sex_hint)
        if part == "given":
            return PartKeys(n.given_key, n.given_translit, n.given_phonetic, n.sex_hint)
        return PartKeys(
            n.patronymic_key,
            getattr(n, "patronymic_translit", "") or _simple_fold(value),
            "",
            n.sex_hint,
        )
    folded = _simple_fold(value)
    key = folded.replace(" ", "")
    return PartKeys(key, folded, key[:4], "")


@lru_cache(maxsize=200_000)
def split_full_name(full: str) -> tuple[str, str, str]:
    """(family, given, patronymic) of a whole name in one column."""
    if _names_mod is not None and hasattr(_names_mod, "parse_name"):
        p = _names_mod.parse_name(full)
        return (p.family or "", p.given or "", p.patronymic or "")
    tokens = full.split()
    if not tokens:
        return ("", "", "")
    if len(tokens) == 1:
        return (tokens[0], "", "")
    if len(tokens) == 2:
        return (tokens[0], tokens[1], "")
    return (tokens[0], tokens[1], " ".join(tokens[2:]))


def clean_field(value: str) -> str:
    """A name field without ranks, titles, run-together words or digits for letters
    (``parley.names.clean``); unchanged in a partial checkout without the engine."""
    if not value or _names_mod is None:
        return value
    from parley.names.clean import clean_name

    return clean_name(value)


def is_given_name(word: str) -> bool:
    """Whether ``word`` is a known given name (``False`` without the engine)."""
    if _names_mod is None:
        return False
    from parley.names.parse import is_given_name as known

    return known(word)


def names_available() -> bool:
    """Whether the real ``parley.names`` engine is in use (reported in stats)."""
    return _HAVE_NAMES
