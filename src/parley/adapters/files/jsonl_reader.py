"""JSON Lines: one JSON object per line; keys are the headers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from parley.adapters.files.rows import FileInfo, RawRow
from parley.errors import UnreadableFile


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


class JsonlReader:
    def __init__(self, path: Path) -> None:
        self.info = FileInfo(path=path, format="jsonl", encoding="utf-8")
        try:
            with path.open("rb") as handle:
                head = handle.read(4096)
        except OSError as err:
            raise UnreadableFile(f"{path}: cannot be read ({err.strerror})") from None
        if not head.strip():
            raise UnreadableFile(f"{path.name}: the file is empty")
        if head.startswith(b"\xef\xbb\xbf"):
            self.info.encoding = "utf-8-sig"

    def rows(self) -> Iterator[RawRow]:
        seen: dict[str, None] = {}
        with self.info.path.open("r", encoding=self.info.encoding, errors="replace",
                                 newline="") as handle:
            for number, line in enumerate(handle, 1):
                text = line.rstrip("\r\n")
                if not text.strip():
                    continue
                try:
                    obj = json.loads(text)
                except json.JSONDecodeError as err:
                    yield RawRow(number, text, {}, f"not valid JSON ({err.msg})")
                    continue
                if not isinstance(obj, dict):
                    yield RawRow(number, text, {}, "the line is not a JSON object")
                    continue
                values = {str(k): _text(v) for k, v in obj.items()}
                for key in values:
                    if key not in seen:
                        seen[key] = None
                        self.info.headers.append(key)
                problem = "bytes not valid UTF-8" if "\ufffd" in text else ""
                yield RawRow(number, text, values, problem)
