"""CSV: the encoding (UTF-8, UTF-8 with BOM, cp1251) and the delimiter (, ; TAB |) are detected.

Bytes are decoded line by line, so one line with bytes foreign to the detected encoding becomes
one quarantined row instead of a failed import.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from pathlib import Path

from charset_normalizer import from_bytes

from parley.adapters.files.headers import header_score as known_headers
from parley.adapters.files.limits import (
    BoundedLines,
    IngestLimits,
    LineTooLong,
    refused_row,
    too_long,
)
from parley.adapters.files.rows import (
    FileInfo,
    HeaderScore,
    RawRow,
    header_index,
    unique_headers,
)
from parley.domain import row_problems as rp
from parley.errors import N_, UnreadableFile, in_file

DELIMITERS = (",", ";", "\t", "|")
SAMPLE_BYTES = 256 * 1024
# Rows are bounded by PARLEY_INGEST_MAX_ROW_BYTES before the parser sees them, so the parser's
# own field limit (a whole-file error) must not be the first to trip.
csv.field_size_limit(2**31 - 1)


def detect_encoding(path: Path, sample: bytes) -> str:
    """UTF-8 with BOM, else strict UTF-8, else what charset-normalizer reads best among the
    Cyrillic code pages (cp1251 for Ukrainian and Russian exports from Excel)."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in sample:
        raise UnreadableFile(N_("%(name)s: this is not a text file (it holds binary data)"),
                             name=path.name)
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    try:
        decoder.decode(sample, final=len(sample) < SAMPLE_BYTES)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    # Mostly UTF-8 with a few damaged lines is still UTF-8 (the damaged rows get quarantined);
    # text in a single-byte code page almost never forms valid multi-byte UTF-8 sequences.
    valid = invalid = 0
    lines = sample.splitlines()
    if len(sample) >= SAMPLE_BYTES:
        lines = lines[:-1]  # the sample may end inside a character
    for line in lines:
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            valid += 1
        except UnicodeDecodeError:
            invalid += 1
    if valid > invalid:
        return "utf-8"
    best = from_bytes(sample, cp_isolation=["cp1251", "koi8_r", "cp866"]).best()
    if best is not None and best.encoding in ("cp1251", "koi8_r", "cp866"):
        return str(best.encoding)
    return "cp1251"


def sniff_delimiter(lines: list[str]) -> str:
    """The delimiter that splits the header into most columns with the rows agreeing."""
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        parsed = [r for r in csv.reader(lines, delimiter=delimiter) if r]
        if not parsed or len(parsed[0]) < 2:
            continue
        width = len(parsed[0])
        agreeing = sum(1 for r in parsed[1:] if len(r) == width)
        score = (agreeing, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _records(lines: list[str], delimiter: str) -> list[list[str]]:
    """The non-blank records of the sample (a line of bare delimiters is blank too)."""
    try:
        return [r for r in csv.reader(lines, delimiter=delimiter) if any(f.strip() for f in r)]
    except csv.Error:
        return []


def find_header(lines: list[str], delimiter: str | None,
                score: HeaderScore = known_headers) -> tuple[str, int]:
    """(delimiter, index of the header among the non-blank records) of a file's first lines.

    The header is the line whose cells name most canonical fields under some delimiter, so a
    title line or two above it ("Список військовослужбовців", an export date) is skipped; when
    no line names at least two fields the delimiter is sniffed and the first line is the header.
    """
    best: tuple[int, int, str] | None = None  # (score, -index, delimiter)
    tied: list[str] = []
    for candidate in (delimiter,) if delimiter else DELIMITERS:
        records = _records(lines, candidate)
        index = header_index(records, score)
        if index is None:
            continue
        found = (score([c.strip() for c in records[index]]), -index, candidate)
        if best is None or found[:2] > best[:2]:
            best, tied = found, [candidate]
        elif found[:2] == best[:2]:
            tied.append(candidate)
    if best is None:
        return delimiter or sniff_delimiter(lines), 0
    if len(tied) > 1:
        sniffed = sniff_delimiter(lines)
        return (sniffed if sniffed in tied else tied[0]), -best[1]
    return best[2], -best[1]


class _TextLines:
    """Decoded physical lines of the file for ``csv.reader``: each is also kept in ``raw`` for
    the record's verbatim text, and a line with bytes foreign to the encoding is noted."""

    def __init__(self, lines: BoundedLines, encoding: str) -> None:
        self.lines = lines
        self.encoding = "utf-8" if encoding == "utf-8-sig" else encoding
        self.bom = encoding == "utf-8-sig"
        self.raw: list[str] = []
        self.damaged = False

    def start_record(self) -> None:
        self.raw.clear()
        self.damaged = False
        self.lines.start_record()

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = next(self.lines)
        if self.bom and self.lines.number == 1:
            line = line.removeprefix(codecs.BOM_UTF8)
        try:
            text = line.decode(self.encoding)
        except UnicodeDecodeError:
            text = line.decode(self.encoding, errors="replace")
            self.damaged = True
        self.raw.append(text)
        return text


class CsvReader:
    """Rows of a delimited text file, read lazily."""

    def __init__(self, path: Path, *, encoding: str | None = None,
                 delimiter: str | None = None, header_score: HeaderScore | None = None,
                 limits: IngestLimits | None = None) -> None:
        self.limits = limits or IngestLimits()
        try:
            with path.open("rb") as handle:
                sample = handle.read(SAMPLE_BYTES)
        except OSError as err:
            raise UnreadableFile(N_("%(path)s: cannot be read (%(strerror)s)"), path=path,
                                 strerror=err.strerror) from None
        enc = encoding or detect_encoding(path, sample)
        if enc == "utf-16":
            raise UnreadableFile(N_("%(name)s: UTF-16 text is not supported; save it as UTF-8"),
                                 name=path.name)
        text = sample.decode(enc, errors="replace")
        lines = [line for line in text.splitlines(keepends=True)[:50] if line.strip()]
        if not lines:
            raise UnreadableFile(N_("%(name)s: the file is empty (no header row)"), name=path.name)
        chosen, self._header_index = find_header(lines, delimiter, header_score or known_headers)
        self.info = FileInfo(path=path, format="csv", encoding=enc, delimiter=chosen)

    def rows(self) -> Iterator[RawRow]:
        with self.info.path.open("rb") as handle:
            lines = _TextLines(BoundedLines(handle, self.limits.max_row_bytes),
                               self.info.encoding)
            yield from self._records(lines)

    def _records(self, lines: _TextLines) -> Iterator[RawRow]:
        name = self.info.path.name
        headers: list[str] | None = None
        titles = self._header_index  # non-blank lines above the header
        while True:
            # A record over a limit or not readable as CSV is one quarantined row; reading goes
            # on with a fresh parser from the next line.
            reader = csv.reader(lines, delimiter=self.info.delimiter)
            try:
                raw = lines.raw
                for fields in reader:
                    line_no = lines.lines.record_start
                    text = (raw[0] if len(raw) == 1 else "".join(raw)).rstrip("\r\n")
                    damaged = lines.damaged
                    lines.start_record()
                    if not "".join(fields).strip():
                        continue  # blank lines carry no record
                    if headers is None:
                        if titles:
                            titles -= 1
                            continue
                        headers = unique_headers([f.strip() for f in fields])
                        self.info.headers, self.info.header_line = headers, line_no
                        continue
                    yield _row(line_no, text, fields, headers, damaged, self.info.encoding)
            except LineTooLong as err:
                lines.start_record()
                if headers is None:
                    raise UnreadableFile(
                        N_("%(where)s: %(size)s bytes before the header ends, more than "
                           "PARLEY_INGEST_MAX_ROW_BYTES (%(limit)s)"),
                        where=in_file(name, err.line_no), size=f"{err.size:,}",
                        limit=f"{self.limits.max_row_bytes:,}",
                    ) from None
                yield too_long(err, self.limits, self.info.encoding)
                continue
            except csv.Error as err:
                line_no, text = lines.lines.record_start, "".join(lines.raw)
                lines.start_record()
                if headers is None:
                    raise UnreadableFile(N_("%(where)s: not readable as CSV (%(err)s)"),
                                         where=in_file(name, line_no), err=err) from None
                yield refused_row(line_no, text, f"not readable as CSV ({err})")
                continue
            break
        if headers is None:
            raise UnreadableFile(N_("%(name)s: the file is empty (no header row)"), name=name)


def _row(line_no: int, text: str, fields: list[str], headers: list[str], damaged: bool,
         encoding: str) -> RawRow:
    if not damaged and len(fields) == len(headers):  # nearly every row: nothing to note
        return RawRow(line_no, text, dict(zip(headers, fields, strict=True)))
    problem = ""
    if damaged:
        problem = rp.sentence(rp.ENCODING, encoding=encoding)
    elif len(fields) != len(headers):
        problem = rp.sentence(rp.FIELD_COUNT, fields=len(fields), headers=len(headers))
    values = dict(zip(headers, fields, strict=False))
    if len(fields) > len(headers):
        for i, extra in enumerate(fields[len(headers):], 1):
            values[f"_unnamed_{i}"] = extra
    return RawRow(line_no, text, values, problem)
