"""Synthetic persons (the truth behind every generated record), including look-alikes.

A share of persons come in look-alike pairs, because those are what a matcher gets wrong:
namesakes (same full name, different birth date), brothers (same surname and patronymic),
father and son with the same given name, twins (same birth date), and a sister whose surname
takes the feminine form.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, replace
from datetime import date, timedelta

from parley.synth.names_data import (
    CAPTURE_PLACES,
    FEMALE,
    MALE,
    PLACES,
    GivenName,
    Surname,
    surnames,
)

LOOKALIKE_KINDS: tuple[str, ...] = ("namesake", "brother", "father_son", "twin", "sister")
_SN_LETTERS = "ABCEHKMOPTX"  # letters that look the same in Latin and Cyrillic, as on stamps
_DOC_SERIES = "АВЕКМНОРСТХ"
MIL_STATUS = (("captured", 55), ("missing", 30), ("held", 8), ("deceased", 5), ("released", 2))
CIV_STATUS = (("held", 60), ("missing", 25), ("convicted", 10), ("released", 5))
RANKS = ("private", "senior_soldier", "junior_sergeant", "sergeant", "senior_sergeant",
         "master_sergeant", "junior_lieutenant", "lieutenant", "senior_lieutenant", "captain",
         "major", "sailor")
_RANK_WEIGHTS = (30, 20, 10, 10, 6, 3, 3, 5, 4, 4, 2, 3)
_WAR_START = date(2022, 2, 24)


@dataclass(frozen=True, slots=True)
class Person:
    """One synthetic person; every source record generated for them points back here."""

    person_id: str
    sex: str
    given: GivenName
    father: GivenName
    surname: Surname
    birth: date
    birth_place: int
    military: bool
    service_number: str
    unit: str
    rank: str
    document_number: str
    status: str
    capture_date: date | None
    capture_place: int
    lookalike_of: str = ""
    lookalike_kind: str = ""

    # --- forms ---------------------------------------------------------------------------

    @property
    def ua_family(self) -> str:
        return self.surname.ua(self.sex)

    @property
    def ru_family(self) -> str:
        return self.surname.ru(self.sex)

    @property
    def ua_patronymic(self) -> str:
        return self.father.ua_patronymic_f if self.sex == "F" else self.father.ua_patronymic_m

    @property
    def ru_patronymic(self) -> str:
        return self.father.ru_patronymic_f if self.sex == "F" else self.father.ru_patronymic_m

    def names(self, form: str) -> tuple[str, str, str]:
        """(family, given, patronymic) in the ``ua`` or ``ru`` Cyrillic form."""
        if form == "ru":
            return self.ru_family, self.given.ru, self.ru_patronymic
        return self.ua_family, self.given.ua, self.ua_patronymic

    def place(self, form: str) -> str:
        return PLACES[self.birth_place][1 if form == "ru" else 0]

    def capture(self, form: str) -> str:
        return CAPTURE_PLACES[self.capture_place][1 if form == "ru" else 0]


def _weighted(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([p for p, _ in pairs], weights=[w for _, w in pairs])[0]


def _birth(rng: random.Random, low: int, high: int) -> date:
    start = date(low, 1, 1).toordinal()
    return date.fromordinal(rng.randrange(start, date(high, 12, 31).toordinal()))


class PersonFactory:
    """Draws persons deterministically from one ``random.Random``."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.surnames = surnames()
        self.gendered = tuple(s for s in self.surnames if s.ua_m != s.ua_f)
        self.serial = 0

    def _pid(self) -> str:
        self.serial += 1
        return f"P{self.serial:07d}"

    def _service_number(self) -> str:
        return f"{self.rng.choice(_SN_LETTERS)}{self.rng.randrange(10**6, 10**7):07d}"

    def _document(self) -> str:
        rng = self.rng
        if rng.random() < 0.5:
            return f"{rng.choice(_DOC_SERIES)}{rng.choice(_DOC_SERIES)}{rng.randrange(10**6):06d}"
        return f"{rng.randrange(10**9):09d}"  # ID card number

    def person(self, *, sex: str | None = None, military: bool | None = None) -> Person:
        rng = self.rng
        if military is None:
            military = rng.random() < 0.7
        if sex is None:
            sex = ("F" if rng.random() < 0.08 else "M") if military else rng.choice("MF")
        given = rng.choice(FEMALE if sex == "F" else MALE)
        birth = _birth(rng, 1965, 2004) if military else _birth(rng, 1945, 2005)
        status = _weighted(rng, MIL_STATUS if military else CIV_STATUS)
        captured = status in ("captured", "held", "convicted", "released")
        capture_date = (
            _WAR_START + timedelta(days=rng.randrange(0, 1560)) if captured else None
        )
        return Person(
            person_id=self._pid(),
            sex=sex,
            given=given,
            father=rng.choice(MALE),
            surname=rng.choice(self.surnames),
            birth=birth,
            birth_place=rng.randrange(len(PLACES)),
            military=military,
            service_number=self._service_number() if military else "",
            unit=f"А{rng.randrange(1000, 10000)}" if military else "",
            rank=rng.choices(RANKS, weights=_RANK_WEIGHTS)[0] if military else "",
            document_number=self._document(),
            status=status,
            capture_date=capture_date,
            capture_place=rng.randrange(len(CAPTURE_PLACES)),
        )

    def lookalike(self, base: Person, kind: str) -> Person:
        """A different person whom records could easily confuse with ``base``."""
        rng = self.rng
        other = self.person(sex="M" if kind != "sister" else "F", military=kind != "sister")
        other = replace(other, lookalike_of=base.person_id, lookalike_kind=kind)
        if kind == "namesake":
            return replace(other, sex=base.sex, given=base.given, father=base.father,
                           surname=base.surname)
        if kind == "twin":
            given = rng.choice([g for g in MALE if g != base.given])
            return replace(other, sex="M", given=given, father=base.father, surname=base.surname,
                           birth=base.birth, birth_place=base.birth_place)
        if kind == "brother":
            given = rng.choice([g for g in MALE if g != base.given])
            shift = timedelta(days=rng.randrange(365, 9 * 365))
            birth = base.birth + shift if rng.random() < 0.5 else base.birth - shift
            return replace(other, sex="M", given=given, father=base.father, surname=base.surname,
                           birth=_clamp(birth), birth_place=base.birth_place)
        if kind == "father_son":
            # The son is named after his father: same given name, patronymic from it.
            birth = base.birth + timedelta(days=rng.randrange(20 * 365, 32 * 365))
            return replace(other, sex="M", given=base.given, father=base.given,
                           surname=base.surname, birth=_clamp(birth))
        # sister: same father, a surname that has a feminine form
        surname = base.surname if base.surname.ua_m != base.surname.ua_f else rng.choice(
            self.gendered
        )
        return replace(other, father=base.father, surname=surname)


def _clamp(day: date) -> date:
    return min(max(day, date(1940, 1, 1)), date(2007, 12, 31))


def population(
    n: int, rng: random.Random, *, lookalike_share: float = 0.2
) -> list[Person]:
    """``n`` persons, at least ``lookalike_share`` of them in look-alike pairs; deterministic.

    A sister look-alike pair forces the base's surname to have a feminine form, so the pair
    shows the masculine/feminine surname difference.
    """
    factory = PersonFactory(rng)
    pairs = min(n // 2, math.ceil(n * lookalike_share / 2))
    slots = ["pair"] * pairs + ["single"] * (n - 2 * pairs)
    rng.shuffle(slots)
    people: list[Person] = []
    for slot in slots:
        if slot == "single":
            people.append(factory.person())
            continue
        kind = LOOKALIKE_KINDS[len(people) % len(LOOKALIKE_KINDS)]
        base = factory.person(military=True, sex="M")
        if kind == "sister" and base.surname.ua_m == base.surname.ua_f:
            base = replace(base, surname=rng.choice(factory.gendered))
        people.append(base)
        people.append(factory.lookalike(base, kind))
    return people
