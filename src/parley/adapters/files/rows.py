"""What every file reader yields: one raw row at a time, with where it came from."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True, slots=True)
class RawRow:
    """A row as read: its line (1-based, the first physical line of a record), its text verbatim,
    its values by header, and a problem that makes the row unusable as a whole (a wrong number of
    fields, bytes that are not valid in the file's encoding, a line that is not a JSON object)."""

    line_no: int
    raw_text: str
    values: dict[str, str]
    problem: str = ""


@dataclass(slots=True)
class FileInfo:
    """What the reader learnt about the file; recorded on the import batch."""

    path: Path
    format: str
    encoding: str = ""
    delimiter: str = ""
    headers: list[str] = field(default_factory=list)
    header_line: int = 0  # the line (row of a sheet) holding the headers; lines above are titles
    expected_rows: int | None = None  # what the file says it holds (a sheet's dimension)


HeaderScore = Callable[[list[str]], int]
"""How many of a line's cells name a canonical field; the header is the line scoring highest
among the first ``HEADER_SCAN`` non-blank lines (title lines above it are skipped)."""
HEADER_SCAN = 10
MIN_HEADER_SCORE = 2  # below this no line looks like a header, and the first line is taken


def header_index(lines: list[list[str]], score: HeaderScore) -> int | None:
    """Index of the header among ``lines`` (the first non-blank ones), or ``None`` when no line
    names at least ``MIN_HEADER_SCORE`` canonical fields. The earliest line wins a tie."""
    best, best_score = None, MIN_HEADER_SCORE - 1
    for index, cells in enumerate(lines[:HEADER_SCAN]):
        found = score([c.strip() for c in cells])
        if found > best_score:
            best, best_score = index, found
    return best


class TableReader(Protocol):
    """A file of rows; ``rows()`` is lazy, so memory stays bounded however long the file is."""

    info: FileInfo

    def rows(self) -> Iterator[RawRow]: ...


def unique_headers(headers: list[str]) -> list[str]:
    """Blank headers get a column letter, repeated ones a suffix, so no value is overwritten."""
    out: list[str] = []
    seen: dict[str, int] = {}
    for i, header in enumerate(headers, 1):
        name = header.strip() or f"column_{i}"
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        out.append(name)
    return out
