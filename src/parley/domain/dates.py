"""Partial dates: records often know only a year, or a year and a month."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from parley.domain import row_problems as rp

_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_DOTTED = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})[./](\d{4})$")
# Eight digits run together: ISO 8601's basic form (19560129) or day-month-year (29011956). The
# two never both read as a valid date: a basic-form year starts 19 or 20, which is no month.
_COMPACT = re.compile(r"^(\d{8})$")
_ISO_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$")
# What may follow a worded date: "р." / "року" (Ukrainian), "г." / "года" (Russian).
_YEAR_WORD = re.compile(r"\s*(?:р|року|г|года|год)\.?$")


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date known to the year, the month or the day; ``str()`` gives ISO (``1990-05``)."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if not 1900 <= self.year <= 2100:
            raise ValueError(rp.sentence(rp.YEAR_RANGE, year=self.year))
        if self.month is None and self.day is not None:
            raise ValueError(rp.DAY_WITHOUT_MONTH)
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(rp.sentence(rp.NO_SUCH_MONTH, month=self.month))
        if self.day is not None and self.month is not None:
            date(self.year, self.month, self.day)  # raises ValueError for 31.02

    @property
    def precision(self) -> str:
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "year"

    @property
    def is_full(self) -> bool:
        return self.day is not None

    def __str__(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def to_date(self) -> date:
        """The earliest day this partial date can mean."""
        return date(self.year, self.month or 1, self.day or 1)


def parse_partial_date(text: str) -> PartialDate | None:
    """Read ISO, partial ISO, ``dd.mm.yyyy``, ``mm.yyyy``, eight digits (``yyyymmdd`` or
    ``ddmmyyyy``), a month as a word (``17 травня 1990 р.``, ``May 17, 1990``, ``мая 1990``);
    ``None`` if empty, else ValueError."""
    value = text.strip()
    if not value:
        return None
    if m := _ISO_DATETIME.match(value):
        value = m.group(1)
    if m := _ISO.match(value):
        year, month, day = m.groups()
        return PartialDate(int(year), int(month) if month else None, int(day) if day else None)
    if m := _DOTTED.match(value):
        day, month, year = m.groups()
        return PartialDate(int(year), int(month), int(day))
    if _COMPACT.match(value):
        for year, month, day in ((value[:4], value[4:6], value[6:]),
                                 (value[4:], value[2:4], value[:2])):  # fmt: skip
            try:
                return PartialDate(int(year), int(month), int(day))
            except ValueError:
                continue
    if (worded := word_date(value)) and _is_whole(value, worded):
        return worded
    if m := _MONTH_YEAR.match(value):
        month, year = m.groups()
        return PartialDate(int(year), int(month))
    raise ValueError(rp.sentence(rp.NOT_A_DATE, value=value))


# Month words: English, Ukrainian and Russian names in their usual forms, and abbreviations.
_MONTH_WORDS: dict[str, int] = {
    word: month
    for month, words in enumerate(
        (
            "january jan січень січня січ январь января янв",
            "february feb лютий лютого лют февраль февраля фев",
            "march mar березень березня бер март марта мар",
            "april apr квітень квітня квіт апрель апреля апр",
            "may травень травня трав май мая",
            "june jun червень червня черв июнь июня июн",
            "july jul липень липня лип июль июля июл",
            "august aug серпень серпня серп август августа авг",
            "september sep sept вересень вересня вер сентябрь сентября сен сент",
            "october oct жовтень жовтня жовт октябрь октября окт",
            "november nov листопад листопада лист ноябрь ноября ноя",
            "december dec грудень грудня груд декабрь декабря дек",
        ),
        start=1,
    )
    for word in words.split()
}
_WORD_DATES = (
    # 17 травня 1990, 17 мая 1990 г., 17 May 1990
    (re.compile(r"(?<!\d)(\d{1,2})\.?\s+([^\W\d_]{3,})\.?,?\s+((?:19|20)\d\d)(?!\d)"),
     (3, 2, 1)),
    # May 17, 1990
    (re.compile(r"([^\W\d_]{3,})\.?\s+(\d{1,2}),?\s+((?:19|20)\d\d)(?!\d)"), (3, 1, 2)),
    # травень 1990, May 1990
    (re.compile(r"([^\W\d_]{3,})\.?\s+((?:19|20)\d\d)(?!\d)"), (2, 1, 0)),
)


def _month(word: str) -> int | None:
    return _MONTH_WORDS.get(word.lower())


def word_date(value: str) -> PartialDate | None:
    """The first date in ``value`` written with its month as a word, as relatives and clerks
    write it (``17 травня 1990``, ``May 17, 1990``, ``мая 1990``); an impossible day keeps the
    year and month. For free text; ``parse_partial_date`` wants the whole value to be a date."""
    for pattern, (y, mo, d) in _WORD_DATES:
        for m in pattern.finditer(value):
            month = _month(m.group(mo))
            if month is None:
                continue
            try:
                return PartialDate(int(m.group(y)), month, int(m.group(d)) if d else None)
            except ValueError:
                return PartialDate(int(m.group(y)), month)
    return None


def _is_whole(value: str, worded: PartialDate) -> bool:
    """Whether ``value`` is nothing but the worded date (a suffix "р." or "г." allowed) and its
    day, if any, was a possible one (``31 лютого`` is refused here, not truncated)."""
    text = _YEAR_WORD.sub("", value.strip()).strip()
    for pattern, (_, _, day) in _WORD_DATES:
        m = pattern.fullmatch(text)
        if m is not None:
            return not day or worded.day is not None
    return False
