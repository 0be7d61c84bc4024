"""The seam between the linkage model and ``parley.names``.

The model needs, per name part, a cross-script key, a transliteration, a phonetic key and a sex
hint; and a plain fold for its "generic" columns. ``parley.names`` provides them all (one name
splitter, `parley.names.parse_name`; one fold, `parley.names.scripts.fold_plain`); this module
asks it once per *distinct* value (a registry of a million rows has only tens of thousands of
distinct surnames).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from parley.names import normalize_name, parse_name
from parley.names.clean import clean_name
from parley.names.parse import is_given_name as _known_given_name
from parley.names.scripts import fold_plain


def simple_fold(text: str) -> str:
    """Lowercase ASCII fold of any script: the 'generic' normalisation a plain model uses."""
    return fold_plain(text)


def fold_alnum(text: str) -> str:
    """Like ``simple_fold`` but keeping digits (addresses: house numbers, postcodes)."""
    return fold_plain(text, keep_digits=True)


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
    args = {"family": (value, "", ""), "given": ("", value, ""), "patronymic": ("", "", value)}
    n = normalize_name(*args[part])
    if part == "given" and sex in _SEX_CONTEXT and n.sex_hint and n.sex_hint != sex:
        n = normalize_name("", value, _SEX_CONTEXT[sex])
    if part == "family":
        return PartKeys(n.family_key, n.family_translit, n.family_phonetic, n.sex_hint)
    if part == "given":
        return PartKeys(n.given_key, n.given_translit, n.given_phonetic, n.sex_hint)
    return PartKeys(
        n.patronymic_key, n.patronymic_translit or fold_plain(value), "", n.sex_hint
    )


@lru_cache(maxsize=200_000)
def split_full_name(full: str) -> tuple[str, str, str]:
    """(family, given, patronymic) of a whole name in one column, by `parse_name`."""
    p = parse_name(full)
    return (p.family, p.given, p.patronymic)


def clean_field(value: str) -> str:
    """A name field without ranks, titles, run-together words or digits for letters
    (``parley.names.clean``)."""
    return clean_name(value) if value else value


def is_given_name(word: str) -> bool:
    """Whether ``word`` is a known given name."""
    return _known_given_name(word)


def names_available() -> bool:
    """Whether the real ``parley.names`` engine is in use (reported in stats); it always is
    now that the fallback fold for a partial checkout is gone."""
    return True
