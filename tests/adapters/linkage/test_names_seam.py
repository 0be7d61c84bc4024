"""The linkage model's seam to `parley.names`: one splitter (`parse_name`) and one fold
(`fold_plain`), no copies of either. Synthetic names only."""

from __future__ import annotations

import inspect

import pytest

from parley.adapters.linkage import _names
from parley.adapters.linkage._names import fold_alnum, simple_fold, split_full_name
from parley.names import parse_name
from parley.names.scripts import fold_plain


@pytest.mark.parametrize(
    ("text", "folded"),
    [("Ковальов Олександр", "kovalov oleksandr"), ("Юрій Євген Їжак", "iurii ievhen izhak"),
     ("Ёлкин Эдуард", "elkyn eduard"), ("Мар'ян Марʼян Мар’ян", "marian marian marian"),
     ("Mar`iana", "mariana"), ("Antonovy`ch", "antonovych"), ("Kovalčuk", "kovalchuk"),
     ("Łódź", "lodz"), ("  ", "")],
)  # fmt: skip
def test_simple_fold_is_the_one_plain_fold(text: str, folded: str) -> None:
    assert simple_fold(text) == folded == fold_plain(text)


def test_fold_alnum_keeps_house_numbers_and_reads_no_digit_as_a_letter() -> None:
    assert fold_alnum("м. Київ, вул. Садова 10, кв. 3") == "m kyiv vul sadova 10 kv 3"
    assert simple_fold("вул. Садова 10") == "vul sadova"


@pytest.mark.parametrize(
    "full",
    ["КОВАЛЬОВ, Олександр Миколайович", "Oleksandr M. Kovalov", "Kovalov OM",
     "Oleksandr-Kovalov", "ст. лейтенант Ковальов Олександр", "Ким Чен Су", "Гнатюк Тарас"],
)
def test_split_full_name_is_parse_name(full: str) -> None:
    parts = parse_name(full)
    assert split_full_name(full) == (parts.family, parts.given, parts.patronymic)


def test_the_seam_holds_no_letter_table_or_splitter_of_its_own() -> None:
    source = inspect.getsource(_names)
    assert '"щ"' not in source and "split()" not in source
