"""A row prepared from the values its content hash cleaned is the row prepared from the values
as read: same tuple, same quarantine reason, for every kind of header (canonical, a whole name,
an address made of parts) and for values with stray spaces."""

from __future__ import annotations

import pytest

from parley.adapters.files import ColumnMap, RawRow
from parley.adapters.sql.ingest_repo import SqlIngestRepository
from parley.domain.records import clean_values, content_hash, hash_cleaned
from parley.services.ingest_rows import Bad, Names, Preparer

ROWS: list[dict[str, str]] = [
    {"record_id": " A1 ", "family_name": "  Коваленко ", "given_name": "Олег\u00a0 ",
     "patronymic": "Іванович", "birth_date": " 12.05.1990", "sex": " ч ", "status": "полонений  ",
     "rank": "мол.  сержант", "notes": "  два   пробіли ", "Eye colour": "  карі  очі "},
    {"record_id": "A2", "full_name": "  Петренко   Ірина  Петрівна ", "birth_date": "1991",
     "sex": "ж"},
    {"record_id": "A3", "family_name": "Шевченко", "given_name": "Тарас", "місто": "  Київ ",
     "вулиця": "  ", "будинок": " 5  "},
    {"record_id": "A4", "family_name": "Мельник", "birth_date": "31.02.1990"},
    {"record_id": "A5", "family_name": " ", "given_name": "", "notes": "no name"},
]


@pytest.mark.parametrize("values", ROWS, ids=[r["record_id"].strip() for r in ROWS])
def test_cleaned_values_prepare_the_same_row(values: dict[str, str]) -> None:
    widths = SqlIngestRepository().column_widths()
    row = RawRow(line_no=2, raw_text=",".join(values.values()), values=values)
    cleaned = clean_values(values)
    digest = hash_cleaned(cleaned)
    assert digest == content_hash(values)
    as_read = Preparer(ColumnMap(), "s", Names(), widths)(row, digest)
    from_cleaned = Preparer(ColumnMap(), "s", Names(), widths)(row, digest, cleaned)
    if isinstance(as_read, Bad):
        assert isinstance(from_cleaned, Bad)
        assert (as_read.field, as_read.reason) == (from_cleaned.field, from_cleaned.reason)
    else:
        assert from_cleaned == as_read
