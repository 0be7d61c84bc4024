"""Name forms from the wider world (issue 11, class 3): one test per form, each a true pair that
must reach the threshold and, where the form could hide a different person, a pair that must not.
Single and bulk comparison must agree on every script (issue 11, class 4)."""

from __future__ import annotations

import pytest

from parley.names import SAME_THRESHOLD, compare_many, compare_names, parse_name
from parley.names.clean import clean_name


def _same(a: str, b: str) -> bool:
    return compare_names(a, b).score >= SAME_THRESHOLD


def test_surname_comma_given_patronymic() -> None:
    assert parse_name("КОВАЛЬОВ, Олександр Миколайович").family == "КОВАЛЬОВ"
    assert _same("КОВАЛЬОВ, Олександр Миколайович", "Oleksandr Mykolaiovych Kovalov")
    assert not _same("КОВАЛЬОВ, Олександр Миколайович", "КОВАЛЬОВ, Олексій Миколайович")


@pytest.mark.parametrize("initials", ["O. M.", "O.M.", "O M", "О. М."])
def test_initials_with_and_without_dots(initials: str) -> None:
    assert _same(f"Kovalov {initials}", "Ковальов Олександр Миколайович")
    assert not _same(f"Kovalov {initials}", "Ковальов Василь Миколайович")


@pytest.mark.parametrize("written", ["OleksandrKovalov", "КовальовОлександр"])
def test_words_run_together(written: str) -> None:
    assert _same(written, "Олександр Ковальов")
    assert not _same(written, "Олексій Ковальов")


def test_hyphenated_double_surname() -> None:
    assert _same("Kovalov-Petrenko Oleksandr", "Ковальов-Петренко Олександр")


@pytest.mark.parametrize(
    "with_title",
    ["ст. лейтенант Ковальов Олександр", "рядовий Ковальов Олександр",
     "Mr. Oleksandr Kovalov", "Dr. Kovalov Oleksandr", "сержант Ковальов Олександр",
     "Ковальов Олександр, капітан"],
)  # fmt: skip
def test_ranks_and_honorifics_are_not_name(with_title: str) -> None:
    assert "Ковальов" in clean_name(with_title) or "Kovalov" in clean_name(with_title)
    assert _same(with_title, "Kovalov Oleksandr")
    assert not _same(with_title, "Kovalenko Oleksandr")


def test_a_rank_word_alone_is_kept() -> None:
    assert clean_name("Майор") == "Майор"


def test_extra_or_missing_middle_name() -> None:
    assert _same("Ковальов Олександр Миколайович", "Ковальов Олександр")
    assert _same("Kovalov Oleksandr Mykolaiovych", "Ковальов Олександр")


@pytest.mark.parametrize(
    ("digits", "letters"),
    [("K0valov 0leksandr", "Kovalov Oleksandr"), ("3інченко Олег", "Зінченко Олег"),
     ("Ko1esnyk Ivan", "Kolesnyk Ivan")],
)  # fmt: skip
def test_digits_for_letters(digits: str, letters: str) -> None:
    assert _same(digits, letters)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("김정은", "Kim Jong Un"),
        ("Мухаммед Алиев", "Muhammad Aliyev"),
        ("Mohammed Aliyev", "Muhammad Aliev"),
        ("محمد علي", "Muhammad Ali"),
        ("გიორგი ბერიძე", "Giorgi Beridze"),
        ("Гиорги Беридзе", "Giorgi Beridze"),
        ("Արամ Պետրոսյան", "Aram Petrosyan"),
        ("Тигран Петросян", "Tigran Petrosyan"),
        ("Фарход Каримов", "Farkhod Karimov"),
        ("Нурлан Ахметов", "Nurlan Akhmetov"),
    ],
)
def test_foreign_nationals_in_cyrillic_latin_and_own_script(a: str, b: str) -> None:
    assert _same(a, b)


def test_foreign_names_still_tell_people_apart() -> None:
    assert not _same("Тигран Петросян", "Ашот Петросян")
    assert not _same("Muhammad Aliyev", "Ahmad Aliyev")
    assert not _same("გიორგი ბერიძე", "Levan Beridze")


@pytest.mark.parametrize(
    ("a", "b"),
    [("Коваллов Олександр", "Ковальов Олександр"), ("Mar'ian Kovalov", "Marian Kovalov"),
     ("Мар’ян Ковальов", "Мар'ян Ковальов"), ("Марʼян Ковальов", "Maryan Kovalov")],
)  # fmt: skip
def test_doubled_letters_and_apostrophes(a: str, b: str) -> None:
    assert _same(a, b)


_MANY_SCRIPTS = [
    "Ковальов Олександр Миколайович", "Kovalov Oleksandr", "Александр Ковалёв", "김정은",
    "Kim Jong Un", "Ким Чен Ын", "محمد علي", "Muhammad Ali", "გიორგი ბერიძე", "Giorgi Beridze",
    "Արամ Պետրոսյան", "Aram Petrosyan", "Ελένη Παππά", "Eleni Pappa", "田中 太郎", "שלום כהן",
    "ст. лейтенант Ковальов О. М.", "OleksandrKovalov", "K0valov 0leksandr", "Ahmed Hassan",
]


def test_single_and_bulk_comparison_agree_on_many_scripts() -> None:
    pairs = [(a, b) for a in _MANY_SCRIPTS for b in _MANY_SCRIPTS]
    bulk = compare_many(pairs)
    single = [compare_names(a, b).score for a, b in pairs]
    assert [round(float(s), 4) for s in bulk] == [round(s, 4) for s in single]
    # A name in a script the engine cannot read is still the same as itself.
    assert compare_names("田中 太郎", "田中 太郎").score == 1.0
    assert compare_names("שלום כהן", "שלום כהן").score == 1.0
