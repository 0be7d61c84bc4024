"""Name fields read back into surname, given name and patronymic where hands mixed them up.

Two habits of lists that the field-by-field keys cannot survive:

- **extra middle names**: "Тимофей Павел" in the given-name field, "сергей александр" in the
  surname field of a swapped name, "Руденко Денис" left in the surname by the whole-name split
  of "Руденко Денис Иван Демьянович". Keyed whole, such a field agrees with nobody; its first
  given name is the one other records carry;
- **words run together with no case to split on** ("БОРИСКОМАРОВ", "борискомаров"): a given
  name known to the name engine beside a surname that some record of the run carries. Only
  the inputs can tell which surnames exist, so the split needs them (``RunTogether``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from parley.adapters.linkage._names import is_given_name, part_keys

# A run-together word shorter than this is one name; parts shorter than _MIN_PART are no name.
_MIN_RUN = 7
_MIN_PART = 3


def _given(word: str) -> bool:
    return len(word.strip(".")) > 1 and is_given_name(word)


# "БМорозов": an initial glued to a capitalised word.
_GLUED = re.compile(r"^([A-ZА-ЯЁІЇЄҐ])([A-ZА-ЯЁІЇЄҐ][a-zа-яёіїєґ'’]{2,})$")


def _unglued(word: str) -> list[str]:
    m = _GLUED.match(word)
    return [m.group(1), m.group(2)] if m else [word]


def _initial(word: str) -> bool:
    return len(word.strip(".")) == 1 and word.strip(".").isalpha()


def extra_names(family: str, given: str, patronymic: str) -> tuple[str, str, str]:
    """(family, given, patronymic) with extra middle names dropped.

    A field of several words that are all given names keeps its first; a surname followed by
    given names keeps the surname, and its first given name becomes the given name when the
    given-name field holds a given name too (the whole-name split left one in the surname). A
    given name followed by a long word that is no given name, the patronymic field empty, is
    a given name and a (damaged) patronymic. Initials and a single surname spread over the
    fields in any order ("Д М | КРАВЧЕНКО", "А | Левченко С", "О БМорозов") are read as
    surname, given initial, patronymic initial.
    """
    fam_words = [p for w in family.split() for p in _unglued(w)]
    giv_words = given.split()
    words = fam_words + giv_words + patronymic.split()
    initials = [w for w in words if _initial(w)]
    named = [w for w in words if not _initial(w)]
    if (fam_words and initials and len(initials) <= 2 and len(named) == 1
            and not _given(named[0])):
        # Initials and one surname, in whatever fields: "Д М | КРАВЧЕНКО", "А | Левченко С",
        # "О БМорозов".
        dotted = [f"{w.strip('.')}." for w in initials]
        return named[0], dotted[0], dotted[1] if len(dotted) > 1 else ""
    if len(giv_words) >= 2 and all(_given(w) for w in giv_words):
        given, giv_words = giv_words[0], giv_words[:1]
    elif (len(giv_words) == 2 and not patronymic and _given(giv_words[0])
          and not _given(giv_words[1]) and len(giv_words[1]) > 5):
        given, patronymic, giv_words = giv_words[0], giv_words[1], giv_words[:1]
    if len(fam_words) >= 2 and all(_given(w) for w in fam_words) and given \
            and not _given(given):
        family = fam_words[0]  # a swapped name: the surname field holds the given names
    elif (len(fam_words) >= 2 and not _given(fam_words[0])
          and all(_given(w) for w in fam_words[1:]) and given and _given(given)):
        family, given = fam_words[0], fam_words[1]
    return family, given, patronymic


class RunTogether:
    """Splits "БОРИСКОМАРОВ" into the given name Борис and the surname Комаров, given the
    surname keys the inputs carry: neither order nor case is needed, only that one part is a
    known given name and the other a surname seen in the run."""

    def __init__(self, surnames: Iterable[str]) -> None:
        self.keys = {k for k in (part_keys("family", s.lower()).key for s in surnames
                                 if s and " " not in s.strip()) if k}  # fmt: skip

    def _surname(self, text: str) -> bool:
        return part_keys("family", text).key in self.keys

    def split(self, word: str) -> tuple[str, str]:
        """(family, given) of a run-together word; ("", "") when no split is certain."""
        text = word.strip()
        if len(text) < _MIN_RUN or not text.isalpha() or self._surname(text.lower()):
            return "", ""
        found: set[tuple[str, str]] = set()
        for at in range(_MIN_PART, len(text) - _MIN_PART + 1):
            head, tail = text[:at], text[at:]
            if _given(head) and self._surname(tail.lower()):
                found.add((tail, head))
            if _given(tail) and self._surname(head.lower()):
                found.add((head, tail))
        return found.pop() if len(found) == 1 else ("", "")
