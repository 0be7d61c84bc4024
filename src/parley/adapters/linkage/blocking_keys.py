"""Keys that let a damaged record still meet its true match in a block.

The model's keys (surname skeleton, given-name id, exact birth date) are exact: one slip in the
wrong place and the pair is never compared, however well the comparison would have scored it.
These keys are deliberately coarser, each one surviving one more kind of damage seen in real
lists:

- ``confusion_key``: the surname skeleton with the letters OCR and handwriting confuse folded
  together (Cyrillic Л/Д, н/г/п; Latin rn/m, cl/d; ш/щ and the vowels fold already);
- ``tail_key``: the same without its first letter, for a slip in the surname's first letters;
- ``date_unordered``: year with day and month in either order (a swapped day and month);
- ``month_day``: month and day without the year (a year off by one beside another slip).

A given name and patronymic typed together in the given-name field ("Дмитрий Юрьевич",
"O. M.") are split here too, so each is compared as what it is.
"""

from __future__ import annotations

import re
from typing import Final

_CONFUSED: Final = str.maketrans({"d": "l", "h": "n", "g": "n", "p": "n"})
_PATRONYMIC_END: Final = re.compile(
    r"(?:ович|евич|євич|йович|ьович|овіч|евіч|ич|іч|івна|ївна|овна|евна|ична|инична|ovych|"
    r"evych|ovich|evich|ovitch|evitch|owitsch|ewitsch|owitch|owich|ewich|ovic|evic|ivna|"
    r"yivna|ovna|evna|owna|ewna|ichna|ych|ich)\.?$",
    re.IGNORECASE,
)
# A word alone in the given-name field is moved only on an unmistakable ending: "Ulrich" and
# "Dietrich" end in "ich" too.
_PATRONYMIC_STRICT: Final = re.compile(
    r"(?:ович|евич|євич|івна|ївна|овна|евна|ovych|evych|ovich|evich|ivna|ovna|evna)$",
    re.IGNORECASE,
)
_INITIAL: Final = re.compile(r"^[^\W\d_]\.?$")
_JOINED_INITIALS: Final = re.compile(r"^([^\W\d_])\.\s*([^\W\d_])\.?$")


def confusion_key(family_key: str | None) -> str | None:
    """The surname skeleton with confusable letters folded together."""
    if not family_key:
        return None
    key = family_key.replace("rn", "m").replace("cl", "d").translate(_CONFUSED)
    return key or None


def tail_key(family_key: str | None) -> str | None:
    """``confusion_key`` without its first letter; ``None`` when too little would remain to
    make a small block (three letters at least)."""
    key = confusion_key(family_key)
    if not key or len(key) < 4:
        return None
    return key[1:]


def date_unordered(year: int | None, month: int | None, day: int | None) -> str | None:
    if year is None or month is None or day is None:
        return None
    low, high = sorted((month, day))
    return f"{year:04d}-{low:02d}-{high:02d}"


def month_day(month: int | None, day: int | None) -> str | None:
    if month is None or day is None:
        return None
    return f"{month:02d}-{day:02d}"


def is_patronymic(word: str) -> bool:
    """A single word that reads as a patronymic by its ending ("Юрьевич", "Mykolaiovych")."""
    word = word.strip()
    return " " not in word and len(word) > 5 and bool(_PATRONYMIC_STRICT.search(word))


def place_given_patronymic(given: str, patronymic: str) -> tuple[str, str]:
    """(given, patronymic) with a patronymic that slipped into the given-name field put back.

    Both typed in the given-name field while the patronymic field holds it too ("Дмитрий
    Юрьевич" | "Юрьевич"): the given field keeps the given name. The two fields swapped
    ("Юрьевич" | "Дмитрий"): swapped back. Only a patronymic in the given field ("Юрьевич" |
    ""): it is the patronymic, and the given name is unknown — not a contradiction.
    """
    if not given:
        return given, patronymic
    if patronymic:
        first, second = split_given_patronymic(given)
        if second:
            return first, patronymic
        if is_patronymic(given) and not is_patronymic(patronymic) and " " not in patronymic:
            return patronymic, given
        return given, patronymic
    if is_patronymic(given):
        return "", given
    return split_given_patronymic(given)


def split_given_patronymic(text: str) -> tuple[str, str]:
    """(given, patronymic) of a given-name field that holds both, else (text, "").

    "Дмитрий Юрьевич" and "Oleksandr Mykolaiovych" hold a patronymic by its ending; "O. M." and
    "О.М." hold two initials. A double given name ("Анна Марія") or a Korean one ("Jong Un")
    has no patronymic ending and stays whole.
    """
    words = text.split()
    if not words:
        return text, ""
    if len(words) == 1:
        m = _JOINED_INITIALS.match(words[0])
        if m:
            return f"{m.group(1)}.", f"{m.group(2)}."
        return text, ""
    if len(words) > 2:
        # An extra middle name beside the patronymic ("Валентин Назар Константинович").
        if _PATRONYMIC_END.search(words[-1]) and len(words[-1]) > 5:
            return words[0], words[-1]
        return text, ""
    first, second = words
    if _INITIAL.match(first) and _INITIAL.match(second):
        return first, second
    if len(second) > 5 and _PATRONYMIC_END.search(second) and not _PATRONYMIC_END.search(first):
        return first, second
    return text, ""
