"""XLSX: the first sheet with data, streamed with openpyxl's read-only mode."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from itertools import chain, islice
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from parley.adapters.files.headers import header_score as known_headers
from parley.adapters.files.rows import (
    HEADER_SCAN,
    FileInfo,
    HeaderScore,
    RawRow,
    header_index,
    unique_headers,
)
from parley.errors import UnreadableFile


def cell_text(value: Any) -> str:
    """A cell as the text a clerk typed: dates as ISO, whole floats without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _texts(cells: tuple[Any, ...]) -> list[str]:
    return [cell_text(c).strip() if isinstance(c, str) else cell_text(c) for c in cells]


class XlsxReader:
    def __init__(self, path: Path, *, header_score: HeaderScore | None = None) -> None:
        self.info = FileInfo(path=path, format="xlsx")
        self._score = header_score or known_headers
        try:
            with path.open("rb") as handle:
                # A file object, so openpyxl does not judge the workbook by its suffix.
                workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
                try:
                    # The sheet's dimension (``A1:Q1000001``) says how many rows to expect.
                    rows = workbook.worksheets[0].max_row if workbook.worksheets else None
                finally:
                    workbook.close()
        except (OSError, zipfile.BadZipFile, KeyError, ValueError, InvalidFileException) as err:
            raise UnreadableFile(f"{path.name}: not a readable XLSX workbook ({err})") from None
        if isinstance(rows, int) and rows > 1:
            self.info.expected_rows = rows - 1

    def rows(self) -> Iterator[RawRow]:
        path = self.info.path
        handle = path.open("rb")
        workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            lines = ((n, _texts(cells)) for n, cells in
                     enumerate(sheet.iter_rows(values_only=True), 1))
            lines = ((n, t) for n, t in lines if any(x.strip() for x in t))
            # The header is the row naming most canonical fields among the first few; title
            # rows above it are skipped.
            head = list(islice(lines, HEADER_SCAN))
            if not head:
                raise UnreadableFile(f"{path.name}: the first sheet is empty (no header row)")
            found = header_index([t for _, t in head], self._score) or 0
            number, texts = head[found]
            while texts and not texts[-1]:
                texts.pop()
            headers = unique_headers(texts)
            self.info.headers, self.info.header_line = headers, number
            for number, texts in chain(head[found + 1:], lines):
                problem = ""
                overflow = [t for t in texts[len(headers):] if t]
                if overflow:
                    problem = f"the row has values beyond the {len(headers)} named columns"
                values = dict(zip(headers, texts, strict=False))
                for header in headers[len(texts):]:
                    values[header] = ""
                for i, extra in enumerate(overflow, 1):
                    values[f"_unnamed_{i}"] = extra
                yield RawRow(number, "\t".join(texts).rstrip("\t"), values, problem)
        finally:
            workbook.close()
            handle.close()
