"""File readers (CSV, XLSX, JSON Lines) and header mapping onto the canonical schema.

``open_table(path)`` picks the reader; every reader yields ``RawRow`` lazily, so a million-row
file is read in bounded memory.
"""

from __future__ import annotations

from pathlib import Path

from parley.adapters.files.csv_reader import CsvReader
from parley.adapters.files.headers import ColumnMap, load_mapping_file, map_header
from parley.adapters.files.jsonl_reader import JsonlReader
from parley.adapters.files.limits import IngestLimits, limited
from parley.adapters.files.rows import FileInfo, HeaderScore, RawRow, TableReader
from parley.adapters.files.xlsx_reader import XlsxReader
from parley.errors import N_, UnreadableFile

__all__ = [
    "ColumnMap",
    "CsvReader",
    "FileInfo",
    "HeaderScore",
    "IngestLimits",
    "JsonlReader",
    "RawRow",
    "TableReader",
    "XlsxReader",
    "limited",
    "load_mapping_file",
    "map_header",
    "open_table",
]

_BY_SUFFIX = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx",
              ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl"}


def detect_format(path: Path) -> str:
    """By suffix, else by the first bytes (a ZIP is a workbook, ``{`` starts JSON Lines)."""
    known = _BY_SUFFIX.get(path.suffix.lower())
    if known:
        return known
    try:
        with path.open("rb") as handle:
            head = handle.read(512)
    except OSError as err:
        raise UnreadableFile(N_("%(path)s: cannot be read (%(strerror)s)"), path=path,
                             strerror=err.strerror) from None
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return "jsonl"
    return "csv"


def open_table(path: Path, *, header_score: HeaderScore | None = None,
               limits: IngestLimits | None = None) -> TableReader:
    """The reader for ``path``; ``UnreadableFile`` (one line, naming the file) if there is none.

    ``header_score`` counts the cells of a line that name canonical fields (default: the known
    headers; ``ColumnMap.header_score`` also counts a mapping file's headers); the header is the
    best-scoring line among the first few, so title lines above it are skipped. A file larger
    than ``limits.max_file_bytes`` is refused; the reader applies the other limits.
    """
    limits = limits or IngestLimits()
    if not path.exists():
        raise UnreadableFile(N_("%(path)s: no such file"), path=path)
    if path.is_dir():
        raise UnreadableFile(N_("%(path)s: is a folder, not a file"), path=path)
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise UnreadableFile(N_("%(name)s: %(size)s bytes, more than "
                                "PARLEY_INGEST_MAX_FILE_BYTES (%(limit)s)"),
                             name=path.name, size=f"{size:,}", limit=f"{limits.max_file_bytes:,}")
    fmt = detect_format(path)
    if fmt == "xlsx":
        return XlsxReader(path, header_score=header_score, limits=limits)
    if fmt == "jsonl":
        return JsonlReader(path, limits=limits)
    return CsvReader(path, header_score=header_score, limits=limits)
