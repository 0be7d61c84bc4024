"""Name fields mixed up by hand (issue 11, classes 1 and 3): extra middle names, and a given
name run into a surname with no case between. Synthetic names only."""

from __future__ import annotations

import pandas as pd
import pytest

from parley.adapters.linkage.features import prepare, surnames_of
from parley.adapters.linkage.name_fields import RunTogether, extra_names


@pytest.mark.parametrize(
    ("fields", "read"),
    [
        # an extra given name beside the patronymic
        (("Михайлов", "Тимофей Павел", "Олегович"), ("Михайлов", "Тимофей", "Олегович")),
        # a swapped name whose surname field holds two given names
        (("сергей александр", "коваленко", "павлович"), ("сергей", "коваленко", "павлович")),
        # the whole-name split left the first given name in the surname
        (("Руденко Денис", "Иван", "Демьянович"), ("Руденко", "Денис", "Демьянович")),
        # a given name and a damaged patronymic in one field
        (("Белый", "Александр Демьяновйч", ""), ("Белый", "Александр", "Демьяновйч")),
        # initials in the surname field, the surname in the given-name field
        (("Д М", "КРАВЧЕНКО", ""), ("КРАВЧЕНКО", "Д.", "М.")),
        (("О.", "Ковальов", "М."), ("Ковальов", "О.", "М.")),
        # a double surname and a name with no known given part stay as they are
        (("Ковальова Петренко", "Олена", ""), ("Ковальова Петренко", "Олена", "")),
        (("Ким", "Чен Ын", ""), ("Ким", "Чен Ын", "")),
    ],
)
def test_extra_middle_names_are_dropped(fields: tuple[str, str, str],
                                        read: tuple[str, str, str]) -> None:
    assert extra_names(*fields) == read


def test_a_run_together_name_is_split_against_the_surnames_of_the_inputs() -> None:
    known = RunTogether(["Комаров", "Шевченко", "Kovalov"])
    assert known.split("БОРИСКОМАРОВ") == ("КОМАРОВ", "БОРИС")
    assert known.split("шевченкотарас") == ("шевченко", "тарас")
    assert known.split("OleksandrKovalov") == ("Kovalov", "Oleksandr")
    # a surname no input carries is not guessed, nor is a known surname cut in two
    assert known.split("БОРИСЛИТВИН") == ("", "")
    assert known.split("Шевченко") == ("", "")


def test_prepare_reads_a_run_together_name_as_the_other_inputs_do() -> None:
    ours = pd.DataFrame({"record_id": ["a"], "family_name": ["Комаров"],
                         "given_name": ["Борис"], "birth_date": ["2002-12-31"]})  # fmt: skip
    theirs = pd.DataFrame({"record_id": ["b", "c"], "family_name": ["БОРИСКОМАРОВ", "Гнатюк"],
                           "given_name": ["", ""], "birth_date": ["31 Dec 2002", ""]})  # fmt: skip
    run_together = surnames_of([ours, theirs])
    a, b = prepare(ours, run_together), prepare(theirs, run_together)
    assert b.loc[0, "fam_key"] == a.loc[0, "fam_key"]
    assert b.loc[0, "giv_key"] == a.loc[0, "giv_key"]
    assert b.loc[1, "giv_key"] is None  # a surname alone stays a surname
    # without the inputs' surnames the run-together word stays one surname
    assert prepare(theirs).loc[0, "fam_key"] != a.loc[0, "fam_key"]


def test_an_extra_middle_name_keeps_the_given_name_key() -> None:
    frame = pd.DataFrame({"record_id": ["a", "b"], "family_name": ["Михайлов", "Михайлов"],
                          "given_name": ["Тимофей Павел", "Тимофій"],
                          "patronymic": ["Олегович", "Олегович"]})  # fmt: skip
    f = prepare(frame)
    assert f.loc[0, "giv_key"] == f.loc[1, "giv_key"]


def test_initials_are_compared_across_russian_and_ukrainian_forms() -> None:
    """"Шевченко А. Ф." (Russian initials) and Шевченко Олександр Федорович; Г. for Григорий
    and Григорій (G or H), Е. for Евгений and Євген."""
    frame = pd.DataFrame({
        "record_id": ["ru", "uk", "g_ru", "g_uk", "e_ru", "e_uk", "other"],
        "family_name": ["шевченко а. ф.", "Шевченко", "Бойко", "Бойко", "Ткач", "Ткач", "Ткач"],
        "given_name": ["", "Олександр", "Г.", "Григорій", "Е.", "Євген", "Микола"],
        "patronymic": ["", "Федорович", "", "", "", "", ""],
    })  # fmt: skip
    f = prepare(frame).set_index("unique_id")
    assert f.loc["ru", "giv_init"] == f.loc["uk", "giv_init"]
    assert f.loc["ru", "pat_init"] == f.loc["uk", "pat_init"]
    assert f.loc["g_ru", "giv_init"] == f.loc["g_uk", "giv_init"]
    assert f.loc["e_ru", "giv_init"] == f.loc["e_uk", "giv_init"]
    assert f.loc["e_ru", "giv_init"] != f.loc["other", "giv_init"]
