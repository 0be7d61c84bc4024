"""JSON Lines: one JSON object per line; keys are the headers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from parley.adapters.files.limits import (
    BoundedLines,
    IngestLimits,
    LineTooLong,
    preview,
    refused_row,
    too_long,
)
from parley.adapters.files.rows import FileInfo, RawRow
from parley.domain import row_problems as rp
from parley.errors import N_, UnreadableFile


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def nesting_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in a JSON text (brackets inside strings are
    skipped)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


class JsonlReader:
    def __init__(self, path: Path, *, limits: IngestLimits | None = None) -> None:
        self.info = FileInfo(path=path, format="jsonl", encoding="utf-8")
        self.limits = limits or IngestLimits()
        self._seen: dict[str, None] = {}
        try:
            with path.open("rb") as handle:
                head = handle.read(4096)
        except OSError as err:
            raise UnreadableFile(N_("%(path)s: cannot be read (%(strerror)s)"), path=path,
                                 strerror=err.strerror) from None
        if not head.strip():
            raise UnreadableFile(N_("%(name)s: the file is empty"), name=path.name)
        if head.startswith(b"\xef\xbb\xbf"):
            self.info.encoding = "utf-8-sig"

    def rows(self) -> Iterator[RawRow]:
        with self.info.path.open("rb") as handle:
            lines = BoundedLines(handle, self.limits.max_row_bytes)
            while True:
                try:
                    for line in lines:
                        lines.start_record()
                        row = self._row(lines.number, line)
                        if row is not None:
                            yield row
                except LineTooLong as err:
                    yield too_long(err, self.limits)
                    continue
                break

    def _row(self, number: int, line: bytes) -> RawRow | None:
        if number == 1 and self.info.encoding == "utf-8-sig":
            line = line.removeprefix(b"\xef\xbb\xbf")
        text = line.decode("utf-8", errors="replace").rstrip("\r\n")
        if not text.strip():
            return None
        # Depth can only exceed the limit if there are that many brackets; counting them is
        # cheap, walking the text is not.
        deep = self.limits.max_nesting
        if text.count("[") + text.count("{") > deep and nesting_depth(text) > deep:
            return refused_row(number, text, rp.sentence(rp.TOO_DEEP, limit=deep))
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as err:
            return RawRow(number, text, {}, rp.sentence(rp.NOT_JSON, why=err.msg))
        except ValueError as err:  # e.g. an integer of more than 4,300 digits
            return refused_row(number, text,
                               rp.sentence(rp.NOT_READABLE_JSON, why=preview(str(err), 200)))
        except RecursionError:
            return refused_row(number, text, rp.TOO_DEEP_FOR_PARSER)
        if not isinstance(obj, dict):
            return RawRow(number, text, {}, rp.NOT_AN_OBJECT)
        values = {str(k): _text(v) for k, v in obj.items()}
        for key in values:
            if key not in self._seen:
                self._seen[key] = None
                self.info.headers.append(key)
        problem = rp.NOT_UTF8 if "\ufffd" in text else ""
        return RawRow(number, text, values, problem)
