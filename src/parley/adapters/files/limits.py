"""Limits that keep a hostile or broken file from exhausting memory or time.

Each limit is a ``PARLEY_INGEST_…`` setting (``parley.config``); the readers get them as one
``IngestLimits``. A row over a row limit becomes one quarantined row whose reason names the
limit (its text kept as a bounded preview and its SHA-256, so a re-import still knows it); a
file over a file limit is refused with one line that names the limit. Valid rows are never lost
to a neighbour's excess.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from parley.adapters.files.rows import RawRow
from parley.domain import row_problems as rp
from parley.errors import N_, UnreadableFile, in_file

PREVIEW_CHARS = 2_000  # what is kept of a row refused for its size
OVERSIZE_KEY = "_row_sha256"  # the one value an oversize row keeps: the hash of its bytes


@dataclass(frozen=True, slots=True)
class IngestLimits:
    max_file_bytes: int = 1 << 30
    max_row_bytes: int = 1 << 20
    max_field_chars: int = 65_536
    max_columns: int = 1_000
    max_cells: int = 100_000_000
    max_nesting: int = 32
    max_decompressed_bytes: int = 1 << 30
    max_shared_strings_bytes: int = 128 << 20


def preview(text: str, limit: int = PREVIEW_CHARS) -> str:
    """``text`` cut to ``limit`` characters, saying how long it was."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… [{len(text):,} characters in all]"


def refused_row(line_no: int, text: str, problem: str, *, digest: str = "") -> RawRow:
    """A row quarantined as a whole for a limit: a preview of its text, and its hash as its only
    value (so two different oversize rows never count as duplicates of each other)."""
    digest = digest or hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()
    return RawRow(line_no, preview(text), {OVERSIZE_KEY: digest}, problem)


class LineTooLong(Exception):
    """A physical line (or a record over several) longer than ``max_row_bytes``; the rest of
    the line has been read past, hashed and dropped."""

    def __init__(self, line_no: int, size: int, digest: str, head: bytes) -> None:
        super().__init__(f"line {line_no}: {size} bytes")
        self.line_no, self.size, self.digest, self.head = line_no, size, digest, head


class BoundedLines:
    """Physical lines of a binary file, none held longer than ``max_bytes``.

    ``readline(limit)`` never reads more than the limit, so a 200 MB line costs a few MB; a
    record (one or more lines since ``start_record``) over the limit raises ``LineTooLong``
    after reading past the rest of its line. An iterator object (not a generator), so it can
    be iterated again after raising.
    """

    def __init__(self, handle: BinaryIO, max_bytes: int) -> None:
        self.handle = handle
        self.max_bytes = max_bytes
        self.number = 0  # physical lines read so far
        self.record_start = 1
        self.record_bytes = 0

    def start_record(self) -> None:
        self.record_start = self.number + 1
        self.record_bytes = 0

    def __iter__(self) -> Iterator[bytes]:
        return self

    def __next__(self) -> bytes:
        room = self.max_bytes - self.record_bytes
        line = self.handle.readline(room + 1)
        if not line:
            raise StopIteration
        self.number += 1
        if self.record_bytes == 0:
            self.record_start = self.number
        self.record_bytes += len(line)
        if len(line) <= room:
            return line
        head, digest, total = line[:PREVIEW_CHARS * 4], hashlib.sha256(line), self.record_bytes
        while not line.endswith(b"\n"):
            line = self.handle.readline(1 << 20)
            if not line:
                break
            digest.update(line)
            total += len(line)
        start = self.record_start
        self.start_record()
        raise LineTooLong(start, total, digest.hexdigest(), head)


def too_long(err: LineTooLong, limits: IngestLimits, encoding: str = "utf-8") -> RawRow:
    return refused_row(
        err.line_no, err.head.decode(encoding, "replace"),
        rp.sentence(rp.ROW_BYTES, size=f"{err.size:,}", limit=f"{limits.max_row_bytes:,}"),
        digest=err.digest,
    )


def limited(rows: Iterator[RawRow], limits: IngestLimits, file_name: str) -> Iterator[RawRow]:
    """Every reader's rows with the per-row limits (columns, field length) and the file's cell
    count applied."""
    cells = 0
    max_cells, max_columns, max_chars = (limits.max_cells, limits.max_columns,
                                         limits.max_field_chars)
    for row in rows:
        cells += len(row.values)
        if cells > max_cells:
            raise UnreadableFile(
                N_("%(where)s: more than %(limit)s cells (PARLEY_INGEST_MAX_CELLS); the rows "
                   "above it were imported"),
                where=in_file(file_name, row.line_no), limit=f"{limits.max_cells:,}",
            )
        if row.problem:
            yield row
        elif len(row.values) > max_columns:
            yield refused_row(row.line_no, row.raw_text,
                              rp.sentence(rp.ROW_CELLS, cells=f"{len(row.values):,}",
                                          limit=f"{limits.max_columns:,}"))
        elif max(map(len, row.values.values()), default=0) > max_chars:
            name, value = next((k, v) for k, v in row.values.items()
                               if len(v) > limits.max_field_chars)
            yield refused_row(row.line_no, row.raw_text,
                              rp.sentence(rp.FIELD_CHARS, field=preview(name, 100),
                                          chars=f"{len(value):,}",
                                          limit=f"{limits.max_field_chars:,}"))
        else:
            yield row
