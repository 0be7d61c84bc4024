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
        ("김정수", "Kim Jong Su"),
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
    "Ковальов Олександр Миколайович", "Kovalov Oleksandr", "Александр Ковалёв", "김정수",
    "Kim Jong Su", "Ким Чен Су", "محمد علي", "Muhammad Ali", "გიორგი ბერიძე", "Giorgi Beridze",
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


# One test per form of issue 11, class 3, beyond the cases above. Synthetic names only.


def test_surname_in_capitals_comma_given_patronymic_in_latin() -> None:
    parts = parse_name("HNATIUK, Taras Ivanovych")
    assert (parts.family, parts.given, parts.patronymic) == ("HNATIUK", "Taras", "Ivanovych")
    assert _same("HNATIUK, Taras Ivanovych", "Гнатюк Тарас Іванович")
    assert not _same("HNATIUK, Taras Ivanovych", "Гнатюк Тарас Петрович")


@pytest.mark.parametrize("initials", ["OM", "ОМ"])
def test_initials_run_together_without_dots(initials: str) -> None:
    parts = parse_name(f"Kovalov {initials}")
    assert (parts.given, parts.patronymic) == (f"{initials[0]}.", f"{initials[1]}.")
    assert _same(f"Kovalov {initials}", "Ковальов Олександр Миколайович")
    assert not _same(f"Kovalov {initials}", "Ковальов Василь Миколайович")


def test_two_capitals_that_are_a_name_or_an_all_capitals_latin_name_stay_words() -> None:
    assert clean_name("KOVALOV OM") == "KOVALOV OM"  # all capitals: no telling initials
    assert clean_name("Kovalov Ivan") == "Kovalov Ivan"


@pytest.mark.parametrize("written", ["Oleksandr-Kovalov", "Олександр-Ковальов"])
def test_given_name_hyphened_to_surname(written: str) -> None:
    assert _same(written, "Ковальов Олександр")
    assert not _same(written, "Ковальов Олексій")


@pytest.mark.parametrize("double", ["Kovalova-Petrenko Olena", "Anna-Mariia Kovalova"])
def test_double_surname_and_double_given_name_are_not_split(double: str) -> None:
    first = double.split()[0] if "-" in double.split()[0] else double.split()[1]
    assert first in clean_name(double).split()


@pytest.mark.parametrize(
    "with_title",
    ["Рядовой Ковалёв А. Н.", "мол. сержант Ковальов О. М.", "Mrs. Olena Kovalova",
     "Prof. Dr. Oleksandr Kovalov", "Sgt. Kovalov Oleksandr"],
)  # fmt: skip
def test_more_ranks_and_titles(with_title: str) -> None:
    other = "Ковальова Олена" if "Olena" in with_title else "Ковальов Олександр Миколайович"
    assert _same(with_title, other)


def test_extra_given_name_in_the_middle() -> None:
    assert _same("Oleksandr Ivan Kovalov", "Ковальов Олександр Миколайович")
    assert _same("Олександр Іван Ковальов", "Олександр Ковальов")
    assert not _same("Oleksandr Ivan Kovalov", "Ivan Kovalov")


@pytest.mark.parametrize(
    ("digits", "letters"),
    [("1van Petrenko", "Ivan Petrenko"), ("lvan Petrenko", "Ivan Petrenko"),
     ("Petrenko lvan", "Ivan Petrenko"), ("K0VALOV 0LEKSANDR", "Kovalov Oleksandr"),
     ("3ахарченко Ігор", "Захарченко Ігор"), ("Kovalov 0lena", "Kovalova Olena")],
)  # fmt: skip
def test_more_digits_for_letters(digits: str, letters: str) -> None:
    assert _same(digits, letters)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Ким Чен Су", "Kim Jong Su"), ("Ким Чен Су", "김정수"), ("Ким Чен Ын", "Kim Jong Eun"),
        ("Пак Мин Чхоль", "Pak Min Chol"), ("Пак Мин Чхоль", "박민철"),
        ("Ли Ён Су", "Lee Yong Su"), ("Чхве Сон Хо", "Choe Song Ho"),
        ("Ким Хён Мин", "Kim Hyun Min"), ("Пак Чи Хун", "Park Ji Hoon"),
    ],
)  # fmt: skip
def test_korean_names_in_cyrillic_latin_and_hangul(a: str, b: str) -> None:
    assert _same(a, b)


def test_korean_names_still_tell_people_apart() -> None:
    assert not _same("Ким Чен Су", "Kim Min Su")
    assert not _same("Ким Мин Чхоль", "Kim Min Su")
    assert not _same("Ким Чен Су", "Пак Чен Су")


def test_koryo_saram_with_slavic_given_name_is_read_as_slavic() -> None:
    parts = parse_name("Ким Олег Петрович")
    assert (parts.family, parts.given, parts.patronymic) == ("Ким", "Олег", "Петрович")
    assert _same("Ким Олег Петрович", "Kim Oleh Petrovych")


@pytest.mark.parametrize(
    ("a", "b"),
    [("Мухаммед Хасанов", "Mohammed Khasanov"), ("Мухаммед Хасанов", "Muhammad Hasanov"),
     ("Магомед Хасанов", "Muhammad Hasanov"), ("محمد حسن", "Muhammad Hasan")],
)  # fmt: skip
def test_arabic_names_in_cyrillic_latin_and_arabic(a: str, b: str) -> None:
    assert _same(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("Гиорги Лежава", "Giorgi Lezhava"), ("Гиорги Лежава", "გიორგი ლეჟავა"),
     ("Арам Саргсян", "Aram Sargsyan"), ("Арам Саргсян", "Արամ Սարգսյան")],
)  # fmt: skip
def test_georgian_and_armenian_names_in_cyrillic_latin_and_own_script(a: str, b: str) -> None:
    assert _same(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("Фарход Турсунов", "Farhod Tursunov"), ("Нұрлан Сәрсенов", "Nurlan Sarsenov"),
     ("Oʻtkir Gʻulomov", "Уткир Гуломов"), ("O'tkir G'ulomov", "Otkir Gulomov")],
)  # fmt: skip
def test_central_asian_names_in_cyrillic_and_latin(a: str, b: str) -> None:
    assert _same(a, b)


def test_foreign_names_in_cyrillic_and_latin_tell_people_apart() -> None:
    assert not _same("Фарход Турсунов", "Farhod Karimov")
    assert not _same("Гиорги Лежава", "Levan Lezhava")
    assert not _same("Мухаммед Хасанов", "Ahmad Hasanov")


@pytest.mark.parametrize(
    ("a", "b"),
    [("Kovallov Oleksandr", "Kovalov Oleksandr"), ("Kovalov Olleksandr", "Kovalov Oleksandr"),
     ("Filippov Ihor", "Filipov Ihor"), ("Ковальов Олександрр", "Ковальов Олександр")],
)  # fmt: skip
def test_doubled_letters_in_either_script(a: str, b: str) -> None:
    assert _same(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("Mar`iana Bilous", "Mariana Bilous"), ("Д'яченко Ігор", "Дьяченко Игорь"),
     ("D’yachenko Igor", "Дяченко Ігор"), ("Ill'ia Koval'ov", "Illia Kovalov"),
     ("Марʼяненко Руслан", "Maryanenko Ruslan")],
)  # fmt: skip
def test_apostrophe_variants(a: str, b: str) -> None:
    assert _same(a, b)


@pytest.mark.parametrize(
    ("written", "family"),
    [("Вардан Ованнисян", "Ованнисян"), ("Vardan Hovhannisyan", "Hovhannisyan"),
     ("Гела Гелашвили", "Гелашвили"), ("Tamaz Gelashvili", "Gelashvili"),
     ("Леван Беридзе", "Беридзе"), ("Marian Petrosian", "Petrosian")],
)  # fmt: skip
def test_armenian_and_georgian_surnames_are_read_as_surnames(written: str, family: str) -> None:
    assert parse_name(written).family == family
    given, surname = written.split()
    assert _same(written, f"{surname} {given}")
