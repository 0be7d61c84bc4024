"""Synthetic persons and their look-alike relatives (the hard negatives)."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta
from itertools import accumulate

from .rand import below, between, pick, weighted
from .tables_foreign import CULTURES, KOREAN_SYLLABLES
from .tables_misc import (
    CAPTURE_PLACES,
    PLACES_FOREIGN,
    PLACES_RU,
    PLACES_UA,
    RANK_WEIGHTS,
    STATUS_WEIGHTS,
)
from .tables_slavic import (
    COMMON_MALE_IDX,
    COMMON_SURNAME_IDX,
    FEMALE_GIVEN,
    MALE_GIVEN,
    SURNAMES,
)

Place = tuple[str, str, tuple[str, ...]]

_CULTURE_WEIGHTS = (("ua", 62.0), ("ru", 26.0), ("ko", 2.0), ("ar", 1.5), ("ge", 2.0),
                    ("am", 2.0), ("uz", 2.0), ("kz", 1.5), ("tj", 1.0))
_SURNAME_IDX = tuple(range(len(SURNAMES)))
_SURNAME_CUM = list(accumulate(s.weight for s in SURNAMES))
_RANK_KEYS = tuple(RANK_WEIGHTS)
_RANK_CUM = list(accumulate(RANK_WEIGHTS.values()))
_STATUS_KEYS = tuple(STATUS_WEIGHTS)
_STATUS_CUM = list(accumulate(STATUS_WEIGHTS.values()))
_CULT_KEYS = tuple(c for c, _ in _CULTURE_WEIGHTS)
_CULT_CUM = list(accumulate(w for _, w in _CULTURE_WEIGHTS))
_UA_LETTERS = "АБВГДЕЖКМНОРСТ"
_RU_LETTERS = "АВЕКМНОРСТХ"
_WAR_START = date(2022, 2, 24)


@dataclass(slots=True)
class Person:
    pid: int
    culture: str  # ua, ru (Slavic) or a foreign culture code
    sex: str  # M | F
    family: int
    given: tuple[int, ...]  # one index; Korean: syllable indexes
    patr: int  # father's given-name index (-1: none on record)
    second_given: int  # a second given name (-1: none)
    birth: date | None
    birth_place: Place
    citizenship: str
    military: bool
    unit: str
    service_number: str
    rank: str
    document_number: str
    status: str
    capture_date: date | None
    capture_place: Place
    relation: str = ""  # how this person was made: twin, brother, father, son, namesake, common

    @property
    def slavic(self) -> bool:
        return self.culture in ("ua", "ru")


def _birth(rng: random.Random, military: bool) -> date:
    year = int(rng.triangular(1964, 2006, 1992)) if military else between(rng, 1950, 2005)
    return date(year, 1, 1) + timedelta(days=below(rng, 365))


def _service_number(rng: random.Random, ukrainian: bool) -> str:
    if ukrainian:
        return pick(rng, _UA_LETTERS) + f"{below(rng, 1_000_000):06d}"
    return pick(rng, _RU_LETTERS) + pick(rng, _RU_LETTERS) + f"-{below(rng, 1_000_000):06d}"


def _document_number(rng: random.Random, citizenship: str) -> str:
    if citizenship == "UKR":
        if rng.random() < 0.5:
            return f"{below(rng, 10**9):09d}"
        return pick(rng, _UA_LETTERS) + pick(rng, _UA_LETTERS) + f"{below(rng, 10**6):06d}"
    if citizenship == "RUS":
        return f"{below(rng, 10**4):04d} {below(rng, 10**6):06d}"
    return pick(rng, "ABCMNPRSTX") + f"{below(rng, 10**8):08d}"


def _place(rng: random.Random, culture: str) -> Place:
    if culture == "ua":
        return pick(rng, PLACES_RU) if rng.random() < 0.05 else pick(rng, PLACES_UA)
    if culture == "ru":
        return pick(rng, PLACES_UA) if rng.random() < 0.15 else pick(rng, PLACES_RU)
    return pick(rng, PLACES_FOREIGN[culture])


def _given(rng: random.Random, culture: str, sex: str) -> tuple[int, ...]:
    if culture in ("ua", "ru"):
        n = len(MALE_GIVEN) if sex == "M" else len(FEMALE_GIVEN)
        # a skew toward the first (most common) names
        return (min(int(rng.paretovariate(0.9)) - 1, n - 1) if rng.random() < 0.6
                else below(rng, n),)
    if culture == "ko":
        while True:
            pair = (below(rng, len(KOREAN_SYLLABLES)), below(rng, len(KOREAN_SYLLABLES)))
            if pair not in _REAL_KOREAN:
                return pair
    return (below(rng, len(CULTURES[culture].given)),)


def _patr(rng: random.Random, culture: str) -> int:
    if culture in ("ua", "ru"):
        return below(rng, len(MALE_GIVEN))
    c = CULTURES[culture]
    if rng.random() >= c.patronymic_rate:
        return -1
    if culture == "ko":  # the diaspora's Russian patronymics
        return below(rng, len(MALE_GIVEN))
    return below(rng, len(c.given))


def _family(rng: random.Random, culture: str) -> int:
    if culture in ("ua", "ru"):
        return weighted(rng, _SURNAME_IDX, _SURNAME_CUM)
    return below(rng, len(CULTURES[culture].family))


def new_person(rng: random.Random, pid: int, culture: str | None = None) -> Person:
    if culture is None:
        culture = weighted(rng, _CULT_KEYS, _CULT_CUM)
    slavic = culture in ("ua", "ru")
    sex = "F" if slavic and rng.random() < 0.08 else "M"
    military = rng.random() < (0.82 if sex == "M" else 0.35)
    if culture == "ua":
        citizenship = "UKR"
    elif culture == "ru":
        citizenship = "RUS"
    else:
        cs = CULTURES[culture].citizenships
        citizenship = cs[0] if rng.random() < 0.6 else pick(rng, cs)
    ua_side = citizenship == "UKR"
    status = weighted(rng, _STATUS_KEYS, _STATUS_CUM)
    captured = status not in ("missing",) and rng.random() < 0.9
    second = -1
    if not slavic and culture != "ko" and rng.random() < 0.25:
        second = below(rng, len(CULTURES[culture].given))
    elif slavic and rng.random() < 0.01:
        second = below(rng, len(MALE_GIVEN) if sex == "M" else len(FEMALE_GIVEN))
    return _safe(Person(
        pid=pid, culture=culture, sex=sex, family=_family(rng, culture),
        given=_given(rng, culture, sex), patr=_patr(rng, culture), second_given=second,
        birth=_birth(rng, military), birth_place=_place(rng, culture), citizenship=citizenship,
        military=military,
        unit=(("А" + f"{below(rng, 10_000):04d}") if ua_side
              else f"{between(rng, 10_000, 99_998)}") if military else "",
        service_number=_service_number(rng, ua_side) if military else "",
        rank=weighted(rng, _RANK_KEYS, _RANK_CUM) if military else "",
        document_number=_document_number(rng, citizenship),
        status=status,
        capture_date=(_WAR_START + timedelta(days=below(rng, 1560))) if captured else None,
        capture_place=pick(rng, CAPTURE_PLACES),
    ))


# Full names of real, well-known people that random draws could compose: never emitted (the
# patronymic is redrawn). Russian forms; the Ukrainian forms follow from the same indexes.
_REAL_PEOPLE = frozenset({
    ("Шевченко", "Тарас", "Григорьевич"), ("Медведев", "Дмитрий", "Анатольевич"),
    ("Жуков", "Георгий", "Константинович"), ("Ковальчук", "Юрий", "Валентинович"),
    ("Ковальчук", "Михаил", "Валентинович"), ("Бойко", "Юрий", "Анатольевич"),
    ("Иванов", "Сергей", "Борисович"), ("Захарченко", "Александр", "Владимирович"),
    ("Волков", "Леонид", "Михайлович"), ("Смирнов", "Андрей", "Викторович"),
    ("Кузнецов", "Николай", "Иванович"), ("Петренко", "Руслан", "Александрович"),
})
# Korean given names of the peninsula's rulers (with any family name): never drawn.
_REAL_KOREAN = frozenset({(0, 1), (0, 8), (8, 9)})  # Чен Ын, Чен Ир, Ир Сон


def _is_real(p: Person) -> bool:
    if p.culture not in ("ua", "ru") or p.sex != "M" or p.patr < 0:
        return False
    key = (SURNAMES[p.family].ru, MALE_GIVEN[p.given[0]].ru, MALE_GIVEN[p.patr].ru_patr)
    return key in _REAL_PEOPLE


def _safe(p: Person) -> Person:
    while _is_real(p):
        p = replace(p, patr=(p.patr + 1) % len(MALE_GIVEN))
    return p


HARD_KINDS = ("twin", "brother", "father", "son", "namesake")


def relative(rng: random.Random, p: Person, pid: int, kind: str) -> Person:
    """A different person who looks like ``p`` (same surname at least).

    ``father``/``son`` share the given name with ``p`` (a son named after his father), so
    ``p``'s record must be rendered after this call when ``kind`` changes ``p``.
    """
    base = new_person(rng, pid, p.culture)
    q = replace(base, family=p.family, sex=p.sex if kind in ("twin", "namesake") else "M",
                citizenship=p.citizenship, relation=kind, culture=p.culture, second_given=-1)
    if p.sex == "F" and kind in ("twin", "namesake"):
        q = replace(q, sex="F")
    n_given = len(MALE_GIVEN) if q.sex == "M" else len(FEMALE_GIVEN)
    other_given = _other(rng, p.given, q.culture, q.sex, n_given)
    if kind == "twin":
        q = replace(q, patr=p.patr, birth=p.birth, birth_place=p.birth_place, given=other_given)
    elif kind == "brother":
        b = p.birth or date(1990, 1, 1)
        delta = pick(rng, (-1, 1)) * between(rng, 400, 4000)
        q = replace(q, patr=p.patr, birth=b + timedelta(days=delta), birth_place=p.birth_place,
                    given=other_given)
    elif kind in ("father", "son"):
        b = p.birth or date(1990, 1, 1)
        years = between(rng, 20, 30) * (-1 if kind == "father" else 1)
        born = date(max(1930, min(2008, b.year + years)), between(rng, 1, 12), between(rng, 1, 28))
        same_patr = rng.random() < 0.5 and p.slavic
        q = replace(q, given=p.given, birth=born, birth_place=p.birth_place,
                    patr=p.given[0] if same_patr else q.patr)
    elif kind == "namesake":
        q = replace(q, given=p.given, patr=p.patr, second_given=p.second_given)
        if q.birth == p.birth and p.birth is not None:
            q = replace(q, birth=p.birth + timedelta(days=between(rng, 200, 9000)))
    return _safe(q)


def _other(rng: random.Random, given: tuple[int, ...], culture: str, sex: str,
           n: int) -> tuple[int, ...]:
    for _ in range(20):
        g = _given(rng, culture, sex)
        if g != given:
            return g
    return ((given[0] + 1) % n, *given[1:])


def common_person(rng: random.Random, pid: int) -> Person:
    """A very common name (Попов Сергей, Мельник Андрій…) with no birth date and no number."""
    culture = "ua" if rng.random() < 0.6 else "ru"
    p = new_person(rng, pid, culture)
    p = replace(p, sex="M", family=pick(rng, COMMON_SURNAME_IDX),
                   given=(pick(rng, COMMON_MALE_IDX),), birth=None, service_number="",
                   document_number="", relation="common", second_given=-1)
    return _safe(p)
