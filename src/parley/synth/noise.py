"""The slips real records carry: typos, keyboard neighbours, OCR confusions in numbers, and
birth dates that are partial, swapped or a year off."""

from __future__ import annotations

import random
from datetime import date

_ROWS_CYR = ("йцукенгшщзхї", "фівапролджє", "ячсмитьбю")
_ROWS_RU = ("йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю")
_ROWS_LAT = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _neighbours() -> dict[str, str]:
    out: dict[str, str] = {}
    for rows in (_ROWS_CYR, _ROWS_RU, _ROWS_LAT):
        for r, row in enumerate(rows):
            for c, ch in enumerate(row):
                near = [row[c - 1] if c > 0 else "", row[c + 1] if c + 1 < len(row) else ""]
                for other in (r - 1, r + 1):
                    if 0 <= other < len(rows) and c < len(rows[other]):
                        near.append(rows[other][c])
                out[ch] = out.get(ch, "") + "".join(n for n in near if n)
    return out


NEIGHBOURS = _neighbours()
OCR_SLIPS: dict[str, tuple[str, ...]] = {
    "0": ("O", "О"), "O": ("0",), "О": ("0",), "1": ("I", "l"), "I": ("1",), "l": ("1",),
    "5": ("S",), "S": ("5",), "8": ("B", "В"), "B": ("8",), "В": ("8",),
}
TYPO_KINDS: tuple[str, ...] = ("insert", "delete", "substitute", "transpose", "neighbour")


def _same_case(original: str, replacement: str) -> str:
    return replacement.upper() if original.isupper() else replacement


def typo(word: str, rng: random.Random, kind: str | None = None) -> str:
    """One typing slip in ``word`` (never the first letter, which clerks rarely get wrong)."""
    if len(word) < 3:
        return word
    kind = kind or rng.choice(TYPO_KINDS)
    i = rng.randrange(1, len(word))
    ch = word[i]
    alphabet = "абвгдежзийклмнопрстуфхцчшщюя" if "\u0400" <= ch <= "\u04ff" else "aeioulnrst"
    if kind == "insert":
        return word[:i] + _same_case(ch, rng.choice(alphabet)) + word[i:]
    if kind == "delete":
        return word[:i] + word[i + 1 :]
    if kind == "transpose" and i + 1 < len(word):
        return word[:i] + word[i + 1] + ch + word[i + 2 :]
    near = NEIGHBOURS.get(ch.lower(), "")
    if kind == "neighbour" and near:
        return word[:i] + _same_case(ch, rng.choice(near)) + word[i + 1 :]
    options = [a for a in alphabet if a != ch.lower()]
    return word[:i] + _same_case(ch, rng.choice(options)) + word[i + 1 :]


def ocr_slip(number: str, rng: random.Random) -> str:
    """One OCR confusion (0/O, 1/I/l, 5/S, 8/B) in a document or service number, if possible."""
    spots = [i for i, ch in enumerate(number) if ch in OCR_SLIPS]
    if not spots:
        return number
    i = rng.choice(spots)
    return number[:i] + rng.choice(OCR_SLIPS[number[i]]) + number[i + 1 :]


def date_variant(day: date, rng: random.Random, kind: str) -> str:
    """A birth date as a record might carry it; ISO unless ``kind`` says otherwise.

    kinds: exact, dotted, swap (day and month swapped when both ≤ 12, else exact), year_off
    (±1 year), year (year only), month (year-month), missing.
    """
    if kind == "missing":
        return ""
    if kind == "year":
        return f"{day.year:04d}"
    if kind == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if kind == "year_off":
        year = day.year + rng.choice((-1, 1))
        safe_day = min(day.day, 28) if day.month == 2 else day.day
        return f"{year:04d}-{day.month:02d}-{safe_day:02d}"
    if kind == "swap" and day.day <= 12 and day.day != day.month:
        return f"{day.year:04d}-{day.day:02d}-{day.month:02d}"
    if kind == "dotted":
        return f"{day.day:02d}.{day.month:02d}.{day.year:04d}"
    return day.isoformat()
