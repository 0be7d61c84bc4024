"""Hand-made CSV files are refused whole, with the file's name and what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from parley.adapters.files.small_csv import small_csv
from parley.errors import InvalidInput, UnreadableFile


def test_rows_by_header(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text("\ufeffname,role\nA,medic\n", encoding="utf-8")
    with small_csv(path, ("name",)) as reader:
        assert list(reader) == [{"name": "A", "role": "medic"}]


def test_missing_columns_name_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text("name\nA\n", encoding="utf-8")
    expected = r"roster\.csv, line 1: missing column\(s\) role, org"
    with pytest.raises(InvalidInput, match=expected), small_csv(path, ("name", "role", "org")):
        pass


def test_not_utf8_found_while_reading_rows(tmp_path: Path) -> None:
    path = tmp_path / "routes.csv"
    path.write_bytes(b"stage\n" + b"x" * 9000 + b"\n\xff\xfe\n")
    with pytest.raises(UnreadableFile, match="not UTF-8 text"), small_csv(path) as reader:
        list(reader)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile, match=r"nothing\.csv"), small_csv(tmp_path / "nothing.csv"):
        pass
