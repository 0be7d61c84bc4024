"""What every file reader yields: one raw row at a time, with where it came from."""

from __future__ import annotations

from collections.abc import Iterator
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
