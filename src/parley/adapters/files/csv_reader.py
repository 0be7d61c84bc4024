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

from parley.adapters.files.rows import FileInfo, RawRow, unique_headers
from parley.errors import UnreadableFile

DELIMITERS = (",", ";", "\t", "|")
SAMPLE_BYTES = 256 * 1024
csv.field_size_limit(10 * 1024 * 1024)


def detect_encoding(path: Path, sample: bytes) -> str:
    """UTF-8 with BOM, else strict UTF-8, else what charset-normalizer reads best among the
    Cyrillic code pages (cp1251 for Ukrainian and Russian exports from Excel)."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in sample:
        raise UnreadableFile(f"{path.name}: this is not a text file (it holds binary data)")
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


class CsvReader:
    """Rows of a delimited text file, read lazily."""

    def __init__(self, path: Path, *, encoding: str | None = None,
                 delimiter: str | None = None) -> None:
        try:
            with path.open("rb") as handle:
                sample = handle.read(SAMPLE_BYTES)
        except OSError as err:
            raise UnreadableFile(f"{path}: cannot be read ({err.strerror})") from None
        enc = encoding or detect_encoding(path, sample)
        if enc == "utf-16":
            raise UnreadableFile(f"{path.name}: UTF-16 text is not supported; save it as UTF-8")
        text = sample.decode(enc, errors="replace")
        lines = [line for line in text.splitlines(keepends=True)[:50] if line.strip()]
        if not lines:
            raise UnreadableFile(f"{path.name}: the file is empty (no header row)")
        self.info = FileInfo(path=path, format="csv", encoding=enc,
                             delimiter=delimiter or sniff_delimiter(lines))
        self._bad_lines: set[int] = set()

    def _lines(self, raw: list[str]) -> Iterator[str]:
        """Decoded physical lines; each is also appended to ``raw`` for the row's verbatim text."""
        enc = self.info.encoding
        with self.info.path.open("rb") as handle:
            first = True
            for number, line in enumerate(handle, 1):
                if first and enc == "utf-8-sig":
                    line = line.removeprefix(codecs.BOM_UTF8)
                first = False
                try:
                    text = line.decode("utf-8" if enc == "utf-8-sig" else enc)
                except UnicodeDecodeError:
                    text = line.decode(enc, errors="replace")
                    self._bad_lines.add(number)
                raw.append(text)
                yield text

    def rows(self) -> Iterator[RawRow]:
        raw: list[str] = []
        reader = csv.reader(self._lines(raw), delimiter=self.info.delimiter)
        headers: list[str] | None = None
        start = 1
        try:
            for fields in reader:
                line_no = start
                start = reader.line_num + 1
                text = "".join(raw).rstrip("\r\n")
                raw.clear()
                if not any(f.strip() for f in fields):
                    continue  # blank lines carry no record
                if headers is None:
                    headers = unique_headers([f.strip() for f in fields])
                    self.info.headers = headers
                    continue
                problem = ""
                if any(n in self._bad_lines for n in range(line_no, start)):
                    problem = f"bytes not valid in the file's encoding ({self.info.encoding})"
                elif len(fields) != len(headers):
                    problem = f"the row has {len(fields)} fields, the header has {len(headers)}"
                values = dict(zip(headers, fields, strict=False))
                if len(fields) > len(headers):
                    for i, extra in enumerate(fields[len(headers):], 1):
                        values[f"_unnamed_{i}"] = extra
                yield RawRow(line_no, text, values, problem)
        except csv.Error as err:
            raise UnreadableFile(
                f"{self.info.path.name}, line {reader.line_num}: not readable as CSV ({err})"
            ) from None
        if headers is None:
            raise UnreadableFile(f"{self.info.path.name}: the file is empty (no header row)")
