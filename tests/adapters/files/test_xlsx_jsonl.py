"""XLSX (streamed, read-only) and JSON Lines readers."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from parley.adapters.files import JsonlReader, XlsxReader, open_table
from parley.errors import UnreadableFile


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_xlsx_rows_with_dates_and_numbers(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "f.xlsx", [
        ["Прізвище", "Дата народження", "Особистий номер", "Час"],
        ["Коваленко", date(1990, 2, 1), 1234567, datetime(2024, 1, 2, 3, 4)],
        [None, None, None, None],
        ["Шевчук", "1985", 12.5, None],
    ])
    reader = open_table(path)
    assert isinstance(reader, XlsxReader)
    rows = list(reader.rows())
    assert [r.line_no for r in rows] == [2, 4]
    assert rows[0].values == {"Прізвище": "Коваленко", "Дата народження": "1990-02-01",
                              "Особистий номер": "1234567", "Час": "2024-01-02 03:04:00"}
    assert rows[1].values["Особистий номер"] == "12.5"
    assert rows[0].raw_text.startswith("Коваленко\t1990-02-01")


def test_xlsx_value_beyond_the_header_is_a_problem(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "f.xlsx", [["a", "b"], [1, 2, 3]])
    (row,) = list(open_table(path).rows())
    assert "beyond" in row.problem
    assert row.values["_unnamed_1"] == "3"


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "f.xlsx"
    path.write_text("hello", encoding="utf-8")
    with pytest.raises(UnreadableFile, match="not a readable XLSX"):
        open_table(path)


def test_jsonl_rows_and_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "f.jsonl"
    path.write_text(
        '{"surname": "Коваленко", "age": 30, "tags": ["a"], "gone": null}\n\n'
        "not json\n[1, 2]\n"
        '{"surname": "Шевчук", "extra": true}\n', encoding="utf-8")
    reader = open_table(path)
    assert isinstance(reader, JsonlReader)
    rows = list(reader.rows())
    assert [r.line_no for r in rows] == [1, 3, 4, 5]
    assert rows[0].values == {"surname": "Коваленко", "age": "30", "tags": '["a"]', "gone": ""}
    assert "not valid JSON" in rows[1].problem
    assert "not a JSON object" in rows[2].problem
    assert rows[3].values == {"surname": "Шевчук", "extra": "true"}
    assert reader.info.headers == ["surname", "age", "tags", "gone", "extra"]


def test_format_is_sniffed_without_a_known_suffix(tmp_path: Path) -> None:
    jsonl = tmp_path / "a.data"
    jsonl.write_text('{"a": 1}\n', encoding="utf-8")
    xlsx = _xlsx(tmp_path / "b.bin", [["a"], [1]])
    assert open_table(jsonl).info.format == "jsonl"
    assert open_table(xlsx).info.format == "xlsx"


def test_xlsx_title_rows_are_skipped_and_rows_expected(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "f.xlsx", [
        ["Реєстр осіб, станом на 2024-03-01", None, None],
        [None, None, None],
        ["Прізвище", "Ім'я", "Дата народження"],
        ["Коваленко", "Іван", "1990"],
        ["Шевчук", "Олена", "1985"],
    ])
    reader = open_table(path)
    assert reader.info.expected_rows == 4  # the sheet's dimension, less one header row
    rows = list(reader.rows())
    assert reader.info.header_line == 3
    assert [(r.line_no, r.values["Прізвище"]) for r in rows] == [(4, "Коваленко"), (5, "Шевчук")]
