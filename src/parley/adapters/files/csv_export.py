"""CSV for people: every exported cell is neutralised against formula injection.

A spreadsheet opening a CSV runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in
some, with a tab or a carriage return) as a formula: ``=HYPERLINK(...)`` leaks data on a click,
``=cmd|...`` runs a program. OWASP's rule is applied to every cell of every export, here and
only here: such a cell is prefixed with a single quote, which spreadsheets show as text. The
store keeps the raw value; only what leaves Parley as CSV is changed. Files Parley writes for
machines to read back (synthetic agency files for ingest) use plain ``csv``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any, Protocol

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?[0-9][0-9 ().-]*")
"""A signed number or a phone number (``+380 50 111 22 33``, ``-12.5``): a spreadsheet reads it
as a number, never as a function call, so it is left as written."""


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def neutralise(value: object) -> str:
    """The cell as text, with a leading ``'`` if a spreadsheet would take it for a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def restore(text: str) -> str:
    """The raw value of a cell :func:`neutralise` wrote (for files Parley reads back, such as a
    plan it exported); any other text is returned unchanged."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


class ExportWriter:
    """``csv.writer`` whose every cell goes through :func:`neutralise`."""

    def __init__(self, handle: _Writable, **options: Any) -> None:
        self._writer = csv.writer(handle, **options)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([neutralise(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def export_writer(handle: _Writable, **options: Any) -> ExportWriter:
    """The one CSV writer for exports (same options as ``csv.writer``)."""
    return ExportWriter(handle, **options)
