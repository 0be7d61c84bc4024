"""Header mapping in English, Ukrainian and Russian, and mapping files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parley.adapters.files import ColumnMap, load_mapping_file, map_header
from parley.errors import InvalidInput


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Surname", "family_name"), ("Прізвище", "family_name"), ("ФАМИЛИЯ", "family_name"),
        ("Name", "given_name"), ("Ім’я", "given_name"), ("ІМʼЯ", "given_name"),
        ("Имя", "given_name"), ("Patronymic", "patronymic"), ("По батькові", "patronymic"),
        ("Отчество", "patronymic"), ("Date of birth", "birth_date"),
        ("Дата  народження:", "birth_date"), ("дата рождения", "birth_date"),
        ("Service number", "service_number"), ("Особистий номер", "service_number"),
        ("Личный номер", "service_number"), ("Passport No.", "document_number"),
        ("Номер документа", "document_number"), ("Unit", "military_unit"),
        ("Військова частина", "military_unit"), ("Воинская часть", "military_unit"),
        ("Rank", "rank"), ("Звання", "rank"), ("Звание", "rank"), ("Status", "status"),
        ("Статус", "status"), ("Sex", "sex"), ("Стать", "sex"), ("Пол", "sex"),
        ("Citizenship", "citizenship"), ("Громадянство", "citizenship"),
        ("Гражданство", "citizenship"), ("Place of birth", "birth_place"),
        ("Місце народження", "birth_place"), ("Capture date", "capture_date"),
        ("Дата пленения", "capture_date"), ("Place of capture", "capture_place"),
        ("Місце полонення", "capture_place"), ("Notes", "notes"), ("Примітки", "notes"),
        ("Примечания", "notes"), ("Full name", "full_name"), ("ПІБ", "full_name"),
        ("Ф.И.О.", "full_name"), ("full_name", "full_name"), ("Record ID", "record_id"),
        ("№", "record_id"), ("record_id", "record_id"), ("family_name", "family_name"),
        ("Address", "address"), ("Адреса реєстрації", "address"), ("Место жительства", "address"),
        ("rec_id", "record_id"), ("soc_sec_id", "document_number"), ("РНОКПП", "document_number"),
    ],
)
def test_known_headers(header: str, field: str) -> None:
    assert map_header(header) == field


@pytest.mark.parametrize("header", ["Колір очей", "Shoe size", "source", ""])
def test_unknown_headers_stay_extra(header: str) -> None:
    assert map_header(header) is None


def test_column_map_keeps_a_second_claim_as_extra() -> None:
    columns = ColumnMap()
    canonical, extras = columns.split({"Surname": "Koval", "Прізвище": "Коваль", "Eyes": "blue"})
    assert canonical == {"family_name": "Koval"}
    assert extras == {"Прізвище": "Коваль", "Eyes": "blue"}


def test_json_mapping_file(tmp_path: Path) -> None:
    path = tmp_path / "map.json"
    path.write_text(json.dumps({"Nom": "family_name", "Prénom": "given_name",
                                "Surname": "extra"}), encoding="utf-8")
    columns = ColumnMap(overrides=load_mapping_file(path))
    canonical, extras = columns.split({"NOM": "Koval", "Prénom": "Ivan", "Surname": "x"})
    assert canonical == {"family_name": "Koval", "given_name": "Ivan"}
    assert extras == {"Surname": "x"}


def test_csv_mapping_file_with_header(tmp_path: Path) -> None:
    path = tmp_path / "map.csv"
    path.write_text("header,canonical_field\nКличка,notes\nНомер бойца,service_number\n",
                    encoding="utf-8")
    assert load_mapping_file(path) == {"кличка": "notes", "номербойца": "service_number"}


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [("m.json", '{"Nom": "surname_x"}', "unknown field 'surname_x'"),
     ("m.csv", "a,b,c\n", "line 1: expected two columns"),
     ("m.json", "[1]", "expected an object")],
)
def test_bad_mapping_files(tmp_path: Path, name: str, text: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput, match=message):
        load_mapping_file(path)


def test_address_is_composed_from_its_parts_in_column_order() -> None:
    columns = ColumnMap()
    row = {"Прізвище": "Коваль", "Вулиця": "Садова", "Будинок": "12", "Місто": "Харків",
           "Eyes": "blue", "Індекс": ""}  # fmt: skip
    canonical, extras = columns.split(row)
    assert canonical == {"family_name": "Коваль", "address": "Садова, 12, Харків"}
    # The parts stay as they came, so nothing is lost.
    assert extras == {"Вулиця": "Садова", "Будинок": "12", "Місто": "Харків", "Eyes": "blue",
                      "Індекс": ""}  # fmt: skip


def test_a_whole_address_column_wins_over_parts() -> None:
    canonical, extras = ColumnMap().split(
        {"Surname": "Koval", "Address": "12 Sadova St, Kharkiv", "Postcode": "61000"}
    )
    assert canonical == {"family_name": "Koval", "address": "12 Sadova St, Kharkiv"}
    assert extras == {"Postcode": "61000"}
