"""A small synthetic list and registry with hand-made hard cases, linked once per session.

EM needs a few hundred true pairs to learn from, so the hard cases (twins, brothers, father and
son, namesakes, a cross-script pair, an OCR-damaged service number, a partial date) ride on a
generated background and each test checks the pairs it is about.
"""

from __future__ import annotations

import random

import pandas as pd
import pytest

from parley.adapters.linkage import LinkageResult, link
from parley.domain.records import CANONICAL_FIELDS
from parley.synth.linkage import LinkagePair, linkage_pair


def _row(record_id: str, **values: str) -> dict[str, str]:
    row = dict.fromkeys(CANONICAL_FIELDS, "")
    row.update(record_id=record_id, **values)
    return row


# (left row, right row, same person?) — synthetic people only.
HARD_CASES: list[tuple[dict[str, str], dict[str, str], bool]] = [
    (  # cross-script, Russian form, Latin transliteration
        _row(
            "HL1",
            family_name="Ковальов",
            given_name="Олександр",
            patronymic="Миколайович",
            birth_date="1990-03-14",
            sex="M",
        ),
        _row(
            "HR1",
            family_name="KOVALEV",
            given_name="Aleksandr",
            patronymic="Nikolaevich",
            birth_date="14.03.1990",
            sex="M",
        ),
        True,
    ),
    (  # twins: same surname, patronymic, birth date; different given names
        _row(
            "HL2",
            family_name="Гордієнко",
            given_name="Тарас",
            patronymic="Андрійович",
            birth_date="1994-07-02",
            sex="M",
            military_unit="А1234",
        ),
        _row(
            "HR2",
            family_name="Гордиенко",
            given_name="Богдан",
            patronymic="Андреевич",
            birth_date="1994-07-02",
            sex="M",
            military_unit="А1234",
        ),
        False,
    ),
    (  # father and son: the son's patronymic is the father's given name
        _row(
            "HL3",
            family_name="Мельничук",
            given_name="Петро",
            patronymic="Петрович",
            birth_date="1998-01-20",
            sex="M",
        ),
        _row(
            "HR3",
            family_name="Мельничук",
            given_name="Петро",
            patronymic="Іванович",
            birth_date="1971-05-11",
            sex="M",
        ),
        False,
    ),
    (  # namesakes: same full name, different birth dates
        _row(
            "HL4",
            family_name="Бондар",
            given_name="Іван",
            patronymic="Сергійович",
            birth_date="1985-09-09",
            sex="M",
        ),
        _row(
            "HR4",
            family_name="Бондарь",
            given_name="Иван",
            patronymic="Сергеевич",
            birth_date="1979-02-23",
            sex="M",
        ),
        False,
    ),
    (  # OCR slips in the service number, transliterated name, partial birth date
        _row(
            "HL5",
            family_name="Ткачук",
            given_name="Андрій",
            patronymic="Васильович",
            birth_date="1992-11-05",
            sex="M",
            service_number="AB1057083",
        ),
        _row(
            "HR5",
            family_name="Tkachuk",
            given_name="Andrii",
            patronymic="",
            birth_date="1992-11",
            sex="M",
            service_number="A81O57O83",
        ),
        True,
    ),
    (  # brothers: same surname and patronymic, different given names and birth years
        _row(
            "HL6",
            family_name="Савчук",
            given_name="Олег",
            patronymic="Павлович",
            birth_date="1990-04-04",
            sex="M",
        ),
        _row(
            "HR6",
            family_name="Savchuk",
            given_name="Ihor",
            patronymic="Pavlovych",
            birth_date="1993-06-18",
            sex="M",
        ),
        False,
    ),
    (  # day and month swapped, diminutive given name
        _row(
            "HL7",
            family_name="Шевченко",
            given_name="Олександра",
            patronymic="Іванівна",
            birth_date="1988-04-09",
            sex="F",
        ),
        _row(
            "HR7",
            family_name="Шевченко",
            given_name="Саша",
            patronymic="Ивановна",
            birth_date="1988-09-04",
            sex="F",
        ),
        True,
    ),
    (  # twins with passports issued in sequence: one digit apart is not "the same number"
        _row(
            "HL8",
            family_name="Мельник",
            given_name="Остап",
            patronymic="Петрович",
            birth_date="1996-11-20",
            sex="M",
            document_number="ВК 482731",
        ),
        _row(
            "HR8",
            family_name="Melnyk",
            given_name="Yurii",
            patronymic="Petrovych",
            birth_date="1996-11-20",
            sex="M",
            document_number="BK482732",
        ),
        False,
    ),
    (  # married: new surname, a mistyped birth year; the passport number vouches for her
        _row(
            "HL9",
            family_name="Бондар",
            given_name="Ірина",
            patronymic="Василівна",
            birth_date="1991-02-17",
            sex="F",
            document_number="МК 905316",
        ),
        _row(
            "HR9",
            family_name="Savchuk",
            given_name="Iryna",
            patronymic="Vasylivna",
            birth_date="1981-05-17",
            sex="F",
            document_number="MK905316",
        ),
        True,
    ),
    (  # brothers with the same typo-free document series but a transposed-looking number
        _row(
            "HL10",
            family_name="Кравець",
            given_name="Денис",
            patronymic="Олегович",
            birth_date="1993-06-05",
            sex="M",
            document_number="ТТ 100200",
        ),
        _row(
            "HR10",
            family_name="Kravets",
            given_name="Maksym",
            patronymic="Olehovych",
            birth_date="1989-01-30",
            sex="M",
            document_number="TT100020",
        ),
        False,
    ),
]


@pytest.fixture(scope="session")
def frames() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    pair = linkage_pair(500, 500, 0.6, seed=11)
    left = pd.DataFrame(pair.left + [c[0] for c in HARD_CASES])
    right = pd.DataFrame(pair.right + [c[1] for c in HARD_CASES])
    truth = sorted(pair.truth.pairs(pair.left, pair.right))
    truth += [(a["record_id"], b["record_id"]) for a, b, same in HARD_CASES if same]
    return left, right, pd.DataFrame(truth, columns=["left_id", "right_id"])


@pytest.fixture(scope="session")
def linked(frames: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]) -> LinkageResult:
    left, right, truth = frames
    return link(left, right, threshold=0.5, truth=truth)


# Synthetic addresses: a street, a house and a town, written in Ukrainian or romanised.
_STREETS = (("Садова", "Sadova"), ("Лісова", "Lisova"), ("Шкільна", "Shkilna"),
            ("Польова", "Polova"), ("Зелена", "Zelena"), ("Вишнева", "Vyshneva"))  # fmt: skip
_TOWNS = (("Харків", "Kharkiv"), ("Суми", "Sumy"), ("Полтава", "Poltava"), ("Ізюм", "Izium"),
          ("Ніжин", "Nizhyn"), ("Лубни", "Lubny"))  # fmt: skip


def address_of(person: str, *, latin: bool) -> str:
    """The same person's address, in either script (deterministic per person id)."""
    rng = random.Random(person)
    (street_uk, street_en), (town_uk, town_en) = rng.choice(_STREETS), rng.choice(_TOWNS)
    house, flat = rng.randint(1, 150), rng.randint(1, 80)
    if latin:
        return f"{town_en}, {street_en} St {house} apt {flat}"
    return f"вул. {street_uk}, буд. {house}, кв. {flat}, м. {town_uk}"


def with_addresses(pair: LinkagePair, share: float = 0.8) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The pair's sides with an address on ``share`` of the rows: the left in Ukrainian, the
    right romanised, each person's own address on both sides."""
    rng = random.Random(5)
    sides = []
    for rows, latin in ((pair.left, False), (pair.right, True)):
        frame = pd.DataFrame(rows)
        frame["address"] = [
            address_of(pair.truth[r["record_id"]], latin=latin) if rng.random() < share else ""
            for r in rows
        ]
        sides.append(frame)
    return sides[0], sides[1]
