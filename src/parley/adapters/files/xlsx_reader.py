"""XLSX: the first sheet with data, streamed with openpyxl's read-only mode."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from parley.adapters.files.rows import FileInfo, RawRow, unique_headers
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


class XlsxReader:
    def __init__(self, path: Path) -> None:
        self.info = FileInfo(path=path, format="xlsx")
        try:
            with path.open("rb") as handle:
                # A file object, so openpyxl does not judge the workbook by its suffix.
                openpyxl.load_workbook(handle, read_only=True, data_only=True).close()
        except (OSError, zipfile.BadZipFile, KeyError, ValueError, InvalidFileException) as err:
            raise UnreadableFile(f"{path.name}: not a readable XLSX workbook ({err})") from None

    def rows(self) -> Iterator[RawRow]:
        path = self.info.path
        handle = path.open("rb")
        workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            headers: list[str] | None = None
            for number, cells in enumerate(sheet.iter_rows(values_only=True), 1):
                texts = [cell_text(c).strip() if isinstance(c, str) else cell_text(c)
                         for c in cells]
                if not any(t.strip() for t in texts):
                    continue
                if headers is None:
                    while texts and not texts[-1]:
                        texts.pop()
                    headers = unique_headers(texts)
                    self.info.headers = headers
                    continue
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
            if headers is None:
                raise UnreadableFile(f"{path.name}: the first sheet is empty (no header row)")
        finally:
            workbook.close()
            handle.close()
