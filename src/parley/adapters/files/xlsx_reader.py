"""XLSX: the first sheet with data, streamed with openpyxl's read-only mode."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from itertools import chain, islice
from pathlib import Path
from typing import Any, BinaryIO

from parley.adapters.files.headers import header_score as known_headers
from parley.adapters.files.limits import IngestLimits
from parley.adapters.files.rows import (
    HEADER_SCAN,
    FileInfo,
    HeaderScore,
    RawRow,
    header_index,
    unique_headers,
)
from parley.domain import row_problems as rp
from parley.errors import N_, UnreadableFile


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


def _reason(err: Exception) -> str:
    text = " ".join(str(err).split())[:200]
    return f"{type(err).__name__}: {text}" if text else type(err).__name__


def _bounded(rows: Iterator[tuple[Any, ...]], name: str) -> Iterator[tuple[Any, ...]]:
    """Rows up to the worksheet's own limit: a row numbered beyond it would make openpyxl
    yield empty rows for the gap, for ever."""
    for number, cells in enumerate(rows, 1):
        if number > SHEET_ROWS:
            raise UnreadableFile(N_("%(name)s: row %(row)s is beyond the %(limit)s rows a "
                                    "worksheet can hold"), name=name, row=f"{number:,}",
                                 limit=f"{SHEET_ROWS:,}")
        yield cells


def _texts(cells: tuple[Any, ...]) -> list[str]:
    return [cell_text(c).strip() if isinstance(c, str) else cell_text(c) for c in cells]


SHEET_ROWS = 1_048_576  # the most rows a worksheet can hold (Excel's limit)


def check_archive(path: Path, limits: IngestLimits) -> None:
    """Refuse a workbook whose parts would unpack beyond the limits, before any is unpacked.

    ``zipfile`` stops a part at its declared size (and fails its checksum), so the declared
    sizes bound what unpacking can cost; openpyxl holds the shared strings in memory whole.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (OSError, zipfile.BadZipFile, ValueError) as err:
        raise UnreadableFile(N_("%(name)s: not a readable XLSX workbook (%(reason)s)"),
                             name=path.name, reason=err) from None
    total = sum(part.file_size for part in parts)
    if total > limits.max_decompressed_bytes:
        raise UnreadableFile(
            N_("%(name)s: unpacks to %(size)s bytes, more than "
               "PARLEY_INGEST_MAX_DECOMPRESSED_BYTES (%(limit)s)"),
            name=path.name, size=f"{total:,}", limit=f"{limits.max_decompressed_bytes:,}",
        )
    strings = sum(p.file_size for p in parts if p.filename.lower().endswith("sharedstrings.xml"))
    if strings > limits.max_shared_strings_bytes:
        raise UnreadableFile(
            N_("%(name)s: its shared strings unpack to %(size)s bytes, more than "
               "PARLEY_INGEST_MAX_SHARED_STRINGS_BYTES (%(limit)s)"),
            name=path.name, size=f"{strings:,}",
            limit=f"{limits.max_shared_strings_bytes:,}",
        )


class XlsxReader:
    def __init__(self, path: Path, *, header_score: HeaderScore | None = None,
                 limits: IngestLimits | None = None) -> None:
        self.info = FileInfo(path=path, format="xlsx")
        self._score = header_score or known_headers
        check_archive(path, limits or IngestLimits())
        # Opened once, here (so an unreadable workbook is refused before anything is written)
        # and read by ``rows()``: loading parses the whole shared-strings table, which is the
        # dearest part of a large workbook.
        self._opened: tuple[BinaryIO, Any] | None = None
        # Imported here: openpyxl costs a second of start-up that a CSV import never needs.
        import openpyxl

        handle = path.open("rb")
        try:
            # A file object, so openpyxl does not judge the workbook by its suffix.
            workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
            # The sheet's dimension (``A1:Q1000001``) says how many rows to expect.
            rows = workbook.worksheets[0].max_row if workbook.worksheets else None
        except Exception as err:  # openpyxl's errors are many (zip, XML, keys); each is one line
            handle.close()
            raise UnreadableFile(N_("%(name)s: not a readable XLSX workbook (%(reason)s)"),
                                 name=path.name, reason=_reason(err)) from None
        self._opened = (handle, workbook)
        if isinstance(rows, int) and rows > 1:
            self.info.expected_rows = rows - 1

    def rows(self) -> Iterator[RawRow]:
        """The sheet's rows; a workbook that breaks part-way (bad XML, a bad checksum) stops
        with one line, after the rows before the break."""
        try:
            yield from self._rows()
        except UnreadableFile:
            raise
        except Exception as err:  # as in __init__: a foreign error becomes one line
            raise UnreadableFile(N_("%(name)s: the workbook breaks off part-way (%(reason)s)"),
                                 name=self.info.path.name, reason=_reason(err)) from None

    def _rows(self) -> Iterator[RawRow]:
        import openpyxl

        path = self.info.path
        if self._opened is not None:
            (handle, workbook), self._opened = self._opened, None
        else:  # read a second time
            handle = path.open("rb")
            workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            # The stored dimension may be wrong or missing (cells without references make
            # openpyxl read one cell); every row present is read instead.
            sheet.reset_dimensions()
            lines = ((n, _texts(cells)) for n, cells in
                     enumerate(_bounded(sheet.iter_rows(values_only=True), path.name), 1))
            lines = ((n, t) for n, t in lines if any(x.strip() for x in t))
            # The header is the row naming most canonical fields among the first few; title
            # rows above it are skipped.
            head = list(islice(lines, HEADER_SCAN))
            if not head:
                raise UnreadableFile(N_("%(name)s: the first sheet is empty (no header row)"),
                                     name=path.name)
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
                    problem = rp.sentence(rp.BEYOND_COLUMNS, columns=len(headers))
                values = dict(zip(headers, texts, strict=False))
                for header in headers[len(texts):]:
                    values[header] = ""
                for i, extra in enumerate(overflow, 1):
                    values[f"_unnamed_{i}"] = extra
                yield RawRow(number, "\t".join(texts).rstrip("\t"), values, problem)
        finally:
            workbook.close()
            handle.close()
