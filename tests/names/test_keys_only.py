"""``name_keys`` gives exactly the keys ``normalize_name`` gives, for any name: ingest stores
the keys from the one, linkage and search compute them with the other."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.names import name_keys, normalize_name
from parley.names.lexicon import lexicon
from parley.synth.linkage import render_canonical
from parley.synth.people import population

_LEX = lexicon()
_GIVEN = sorted({f for n in _LEX.names.values() for f in (*n.ua, *n.ru)})
_FAMILY = ["Коваленко", "Ковальова", "Kovalenko", "Шевченко", "Петрова", "Бондаренко-Сидоренко",
           "О'Нил", "Мельник", "Melnyk", "Кузнецов", "Лисенко", "Iванов", "Ли", "", "К."]
_PATRONYMIC = ["Іванович", "Петрівна", "Олександрович", "Николаевна", "Valentynovych",
               "Сергійович", "Андреевна", "Ілліч", "Кузьмич", "", "І.", "Оглы"]
_NOISE = st.text(alphabet="abcdefghijklmnopqrstuvwxyzАБВабвгґіїєыёйя.,-' 0123", max_size=20)


def _keys(family: str, given: str, patronymic: str) -> tuple[str, str, str]:
    norm = normalize_name(family, given, patronymic)
    return norm.family_key, norm.given_key, norm.patronymic_key


@settings(max_examples=400, deadline=None)
@given(family=st.one_of(st.sampled_from(_FAMILY), _NOISE),
       first=st.one_of(st.sampled_from(_GIVEN), _NOISE, st.just("")),
       patronymic=st.one_of(st.sampled_from(_PATRONYMIC), _NOISE))
def test_keys_are_normalize_names_keys(family: str, first: str, patronymic: str) -> None:
    assert name_keys(family, first, patronymic) == _keys(family, first, patronymic)


@pytest.mark.parametrize(("family", "first", "patronymic"), [
    ("Петрова", "Женя", ""),  # a given name of either sex, told by the surname
    ("Петров", "Женя", ""),
    ("Коваленко", "Саша", "Петрівна"),  # … by the patronymic
    ("Коваленко", "Саша", "Петрович"),
    ("ст. лейтенант Коваленко", "О.", "І."),  # a rank, initials
    ("", "", ""),
])
def test_sex_hints_and_initials_give_the_same_keys(family: str, first: str,
                                                   patronymic: str) -> None:
    assert name_keys(family, first, patronymic) == _keys(family, first, patronymic)


def test_synthetic_registry_names_give_the_same_keys() -> None:
    """Names as the synthetic agencies write them: Ukrainian, Russian forms, Latin, OCR slips."""
    rng = random.Random(15)
    for i, person in enumerate(population(1_500, rng)):
        row = render_canonical(person, record_id=f"K{i}", source="keys", rng=rng,
                               heavy=i % 2 == 1)
        form = (row["family_name"], row["given_name"], row["patronymic"])
        assert name_keys(*form) == _keys(*form), form
