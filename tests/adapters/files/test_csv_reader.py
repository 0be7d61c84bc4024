"""CSV reading: encodings and delimiters are detected; each row keeps its line and text."""

from __future__ import annotations

from pathlib import Path

import pytest

from parley.adapters.files import CsvReader, open_table
from parley.errors import UnreadableFile

UA_ROWS = "Прізвище;Ім'я;Дата народження\nКоваленко;Іван;01.02.1990\nШевчук;Олена;1985\n"


def _write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiter_is_detected(tmp_path: Path, delimiter: str) -> None:
    text = "\n".join(delimiter.join(r) for r in (
        ["Surname", "Name", "Notes"], ["Koval", "Ivan", "a, b; c"], ["Shevchuk", "Olena", ""]
    )).replace("a, b; c", '"a, b; c"' if delimiter in ",;" else "a, b; c") + "\n"
    reader = CsvReader(_write(tmp_path, "f.csv", text))
    assert reader.info.delimiter == delimiter
    rows = list(reader.rows())
    assert [r.values["Surname"] for r in rows] == ["Koval", "Shevchuk"]
    assert rows[0].values["Notes"] == "a, b; c"


@pytest.mark.parametrize(
    ("encoding", "expected"), [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"),
                               ("cp1251", "cp1251")]
)
def test_encoding_is_detected(tmp_path: Path, encoding: str, expected: str) -> None:
    reader = CsvReader(_write(tmp_path, "f.csv", UA_ROWS, encoding))
    assert reader.info.encoding == expected
    rows = list(reader.rows())
    assert reader.info.headers == ["Прізвище", "Ім'я", "Дата народження"]
    assert rows[1].values == {"Прізвище": "Шевчук", "Ім'я": "Олена", "Дата народження": "1985"}


def test_lines_and_raw_text_follow_the_file(tmp_path: Path) -> None:
    text = 'a,b\n\n1,"two\nlines"\n3,4\n'
    rows = list(CsvReader(_write(tmp_path, "f.csv", text)).rows())
    assert [r.line_no for r in rows] == [3, 5]
    assert rows[0].raw_text == '1,"two\nlines"'
    assert rows[0].values["b"] == "two\nlines"
    assert rows[1].raw_text == "3,4"


def test_wrong_field_count_is_a_row_problem(tmp_path: Path) -> None:
    rows = list(CsvReader(_write(tmp_path, "f.csv", "a,b\n1,2\n1,2,3\n1\n")).rows())
    assert rows[0].problem == ""
    assert "3 fields" in rows[1].problem and rows[1].values["_unnamed_1"] == "3"
    assert "1 fields" in rows[2].problem


def test_a_line_with_foreign_bytes_is_one_bad_row(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes("a,b\nІван,1\n".encode() + b"\xff\xfe,2\n" + "Олена,3\n".encode())
    rows = list(CsvReader(path).rows())
    assert [bool(r.problem) for r in rows] == [False, True, False]
    assert "utf-8" in rows[1].problem


def test_duplicate_and_blank_headers_keep_every_value(tmp_path: Path) -> None:
    rows = list(CsvReader(_write(tmp_path, "f.csv", "a,a,\n1,2,3\n")).rows())
    assert rows[0].values == {"a": "1", "a (2)": "2", "column_3": "3"}


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty"), (b"\n\n", "empty"), (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "not a text file")],
)
def test_unreadable_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(UnreadableFile, match=message):
        list(open_table(path).rows())


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile, match="no such file"):
        open_table(tmp_path / "nope.csv")


def test_title_lines_above_the_header_are_skipped(tmp_path: Path) -> None:
    text = ("Список військовослужбовців станом на 01.03.2024\n"
            ";;\n"
            "Прізвище;Ім'я;Дата народження\n"
            "Коваленко;Іван;01.02.1990\n")
    reader = CsvReader(_write(tmp_path, "f.csv", text))
    assert reader.info.delimiter == ";"
    (row,) = list(reader.rows())
    assert reader.info.header_line == 3
    assert reader.info.headers == ["Прізвище", "Ім'я", "Дата народження"]
    assert (row.line_no, row.values["Прізвище"], row.problem) == (4, "Коваленко", "")


def test_a_title_holding_the_delimiter_is_not_the_header(tmp_path: Path) -> None:
    text = "Report, MOD, exported 2024\nSurname,Name,Date of birth\nKoval,Ivan,1990\n"
    reader = CsvReader(_write(tmp_path, "f.csv", text))
    (row,) = list(reader.rows())
    assert (reader.info.header_line, row.values["Surname"]) == (2, "Koval")


def test_mapping_file_headers_count_when_finding_the_header(tmp_path: Path) -> None:
    text = "Liste des personnes\nNom,Prénom\nKoval,Ivan\n"
    path = _write(tmp_path, "f.csv", text)
    plain = open_table(path)
    assert plain.info.delimiter == ","
    known = {"Nom", "Prénom"}
    reader = open_table(path, header_score=lambda cells: sum(c in known for c in cells))
    (row,) = list(reader.rows())
    assert row.values == {"Nom": "Koval", "Prénom": "Ivan"}


def test_unknown_headers_are_still_the_first_line(tmp_path: Path) -> None:
    rows = list(CsvReader(_write(tmp_path, "f.csv", "x,y\n1,2\n")).rows())
    assert [r.values for r in rows] == [{"x": "1", "y": "2"}]
