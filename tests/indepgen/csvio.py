"""CSV files in the header styles and name layouts agencies use."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from .records import CANONICAL

HEADER_STYLES = ("canonical", "uk", "ru", "mixed")
NAME_LAYOUTS = ("split", "full", "mixed")

_UK = {
    "record_id": "record_id", "source": "Джерело", "family_name": "Прізвище",
    "given_name": "Ім'я", "patronymic": "По батькові", "birth_date": "Дата народження",
    "birth_place": "Місце народження", "sex": "Стать", "citizenship": "Громадянство",
    "military_unit": "Військова частина", "service_number": "Особистий номер",
    "rank": "Військове звання", "document_number": "Номер документа", "status": "Статус",
    "capture_date": "Дата полону", "capture_place": "Місце полону", "notes": "Примітки",
    "full_name": "ПІБ",
}
_RU = {
    "record_id": "record_id", "source": "Источник", "family_name": "Фамилия",
    "given_name": "Имя", "patronymic": "Отчество", "birth_date": "Дата рождения",
    "birth_place": "Место рождения", "sex": "Пол", "citizenship": "Гражданство",
    "military_unit": "Воинская часть", "service_number": "Личный номер",
    "rank": "Воинское звание", "document_number": "Номер документа", "status": "Статус",
    "capture_date": "Дата пленения", "capture_place": "Место пленения", "notes": "Примечание",
    "full_name": "ФИО",
}
HEADERS = {"canonical": {c: c for c in (*CANONICAL, "full_name")}, "uk": _UK, "ru": _RU}


def side_style(style: str, side: str) -> str:
    """``mixed``: our side (left) in Ukrainian, the other side (right) in Russian."""
    if style == "mixed":
        return "uk" if side == "left" else "ru"
    return style


def side_layout(layout: str, side: str) -> str:
    if layout == "mixed":
        return "split" if side == "left" else "full"
    return layout


def columns(layout: str) -> tuple[str, ...]:
    if layout == "full":
        return ("record_id", "source", "full_name", *CANONICAL[5:])
    return CANONICAL


def full_name(rec: dict[str, str]) -> str:
    return " ".join(x for x in (rec["family_name"], rec["given_name"], rec["patronymic"]) if x)


class RecordWriter:
    """Writes canonical record dicts in a header style and name layout."""

    def __init__(self, path: Path, style: str = "canonical", layout: str = "split") -> None:
        if style not in HEADERS:
            raise ValueError(f"unknown header style {style!r}")
        self._fh: IO[str] = path.open("w", encoding="utf-8", newline="")
        self._w = csv.writer(self._fh)
        self._layout = layout
        self._cols = columns(layout)
        names = HEADERS[style]
        self._w.writerow([names[c] for c in self._cols])

    def write(self, rec: dict[str, str]) -> None:
        if self._layout == "full":
            rec = {**rec, "full_name": full_name(rec)}
        self._w.writerow([rec.get(c, "") for c in self._cols])

    def close(self) -> None:
        self._fh.close()

    def __enter__(self) -> RecordWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def write_rows(path: Path, header: Iterable[str], rows: Iterable[Iterable[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(list(header))
        w.writerows(rows)


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))
