from __future__ import annotations

import pytest

from parley.domain.dates import PartialDate, parse_partial_date
from parley.domain.records import build_record, content_hash
from parley.errors import InvalidRecord


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1990-05-17", "1990-05-17"),
        ("1990-05", "1990-05"),
        ("1990", "1990"),
        ("17.05.1990", "1990-05-17"),
        ("7/5/1990", "1990-05-07"),
        ("05.1990", "1990-05"),
        ("1990-05-17T00:00:00", "1990-05-17"),
        ("19900517", "1990-05-17"),  # ISO 8601 basic form
        ("17051990", "1990-05-17"),  # day, month, year run together
        ("17 травня 1990 р.", "1990-05-17"),
        ("17 мая 1990 г.", "1990-05-17"),
        ("May 17, 1990", "1990-05-17"),
        ("5 груд. 1979", "1979-12-05"),
        ("березень 1985", "1985-03"),
    ],
)
def test_partial_dates_parse(text: str, expected: str) -> None:
    parsed = parse_partial_date(text)
    assert parsed is not None
    assert str(parsed) == expected


@pytest.mark.parametrize(
    "text",
    ["31.02.1990", "1990-13", "yesterday", "17.05.90", "1850", "19403407", "1990051",
     "31 лютого 1990", "Mariupol 1990", "born 17 May 1990 in Sumy"],
)
def test_bad_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_partial_date(text)


def test_partial_date_precision() -> None:
    assert PartialDate(1990).precision == "year"
    assert PartialDate(1990, 5).precision == "month"
    assert PartialDate(1990, 5, 1).is_full


def test_coded_fields_map_and_keep_originals() -> None:
    record, warnings = build_record(
        {"family_name": "Ковальов", "sex": "чол.", "status": "у полоні", "citizenship": "Україна",
         "rank": "старший лейтенант", "birth_date": "17.05.1990"}
    )
    assert warnings == []
    assert (record.sex, record.status, record.citizenship, record.rank) == (
        "M", "captured", "UKR", "senior_lieutenant")
    assert record.birth_date == "1990-05-17"
    assert record.originals["status"] == "у полоні"


def test_russian_coded_words_map() -> None:
    record, _ = build_record({"given_name": "Александр", "sex": "муж", "status": "военнопленный"})
    assert (record.sex, record.status) == ("M", "captured")


def test_record_needs_a_name_part() -> None:
    with pytest.raises(InvalidRecord) as err:
        build_record({"birth_date": "1990"})
    assert err.value.field == "family_name"


def test_unknown_status_names_the_field() -> None:
    with pytest.raises(InvalidRecord) as err:
        build_record({"family_name": "X", "status": "on holiday"})
    assert err.value.field == "status"
    assert "on holiday" in err.value.reason


def test_lenient_mode_warns_instead() -> None:
    record, warnings = build_record({"family_name": "X", "status": "on holiday"},
                                    strict_coded=False)
    assert record.status == ""
    assert warnings and warnings[0].startswith("status")


def test_content_hash_ignores_whitespace_noise_only() -> None:
    assert content_hash({"a": " x  y "}) == content_hash({"a": "x y"})
    assert content_hash({"a": "x"}) != content_hash({"a": "y"})


def test_content_hash_is_sha256_of_sorted_json() -> None:
    import hashlib
    import json

    row = {"b": " x ", "a": "1", "Я": "\u00a0q\tw", "A": "  y  z"}
    cleaned = {"b": "x", "a": "1", "Я": "q w", "A": "y z"}
    payload = json.dumps(cleaned, ensure_ascii=False, sort_keys=True).encode("utf-8")
    assert content_hash(row) == hashlib.sha256(payload).hexdigest()
    assert content_hash({1: "a", 2: "b"}) == hashlib.sha256(
        json.dumps({1: "a", 2: "b"}, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def test_cached_parsing_refuses_a_bad_value_every_time() -> None:
    for _ in range(2):
        with pytest.raises(InvalidRecord) as err:
            build_record({"family_name": "X", "capture_date": "31.02.2023"})
        assert (err.value.field, err.value.value) == ("capture_date", "31.02.2023")
        with pytest.raises(InvalidRecord) as err:
            build_record({"family_name": "X", "rank": "admiral of the fleet"})
        assert err.value.field == "rank"


def test_an_address_is_kept_among_the_extras() -> None:
    record, _ = build_record(
        {"family_name": "Коваль", "address": "  вул. Садова,  12 "}, extras={"Eyes": "blue"}
    )
    assert record.extras == {"address": "вул. Садова, 12", "Eyes": "blue"}
    assert "address" not in record.canonical()
