"""Partial dates: records often know only a year, or a year and a month."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_DOTTED = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})[./](\d{4})$")
# Eight digits run together: ISO 8601's basic form (19560129) or day-month-year (29011956). The
# two never both read as a valid date: a basic-form year starts 19 or 20, which is no month.
_COMPACT = re.compile(r"^(\d{8})$")
_ISO_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$")


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date known to the year, the month or the day; ``str()`` gives ISO (``1990-05``)."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if not 1900 <= self.year <= 2100:
            raise ValueError(f"year {self.year} is out of range 1900–2100")
        if self.month is None and self.day is not None:
            raise ValueError("a day without a month")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} does not exist")
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
    ``ddmmyyyy``); ``None`` if empty, else ValueError."""
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
    if m := _MONTH_YEAR.match(value):
        month, year = m.groups()
        return PartialDate(int(year), int(month))
    raise ValueError(
        f"'{value}' is not a date (expected YYYY-MM-DD, YYYY-MM, YYYY, DD.MM.YYYY or YYYYMMDD)"
    )
