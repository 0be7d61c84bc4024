"""Agency source files: each agency writes about the same people in its own way.

- ``mod_personnel.csv`` (MOD; cp1251, ``;``, Ukrainian headers): CAPS surnames, dd.mm.yyyy,
  day/month swaps, typos, swapped name columns, persons entered twice;
- ``moi_registry.xlsx`` (MOI; XLSX, Ukrainian headers, the whole name in one column, ПІБ):
  name order, document numbers, birth places, women;
- ``diu_reports.jsonl`` (DIU; JSON Lines, English keys): Russian-form or Latin names in six
  romanisations, partial dates, OCR slips in service numbers;
- ``ssu_reports.csv`` (SSU; UTF-8, ``,``, Russian headers): Russian forms, year ±1, capture place
  and date;
- ``omb_requests.csv`` (OMB; UTF-8 with BOM, TAB, Ukrainian headers): diminutives (Саша), partial
  dates, "approximately 1990" in free-text notes, several requests for one person;
- ``counterpart_list.csv`` (HQ; UTF-8, ``|``, Russian headers): the other side's own ids,
  Russian-form Cyrillic or Latin, OCR slips.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from parley.synth.noise import date_variant, ocr_slip, typo
from parley.synth.people import Person
from parley.synth.translit import in_system

Row = dict[str, str]

STATUS_UA = {"captured": ("у полоні", "військовополонений"), "missing": ("зниклий безвісти",),
             "held": ("затриманий", "утримується"), "convicted": ("засуджений",),
             "deceased": ("загинув",), "released": ("звільнений",)}
STATUS_UA_F = {"missing": ("зникла безвісти",), "held": ("затримана", "утримується"),
               "convicted": ("засуджена",), "captured": ("полонена",),
               "deceased": ("загинула",), "released": ("звільнена",)}
STATUS_RU = {"captured": ("военнопленный", "в плену"), "missing": ("пропал без вести",),
             "held": ("задержан", "содержится"), "convicted": ("осужден",),
             "deceased": ("погиб",), "released": ("освобожден",)}
STATUS_EN = {"captured": ("POW", "captured"), "missing": ("MIA", "missing"),
             "held": ("detained", "held"), "convicted": ("convicted",), "deceased": ("KIA",),
             "released": ("released",)}
RANK_UA = {"private": "солдат", "senior_soldier": "старший солдат",
           "junior_sergeant": "молодший сержант", "sergeant": "сержант",
           "senior_sergeant": "старший сержант", "master_sergeant": "головний сержант",
           "junior_lieutenant": "молодший лейтенант", "lieutenant": "лейтенант",
           "senior_lieutenant": "старший лейтенант", "captain": "капітан", "major": "майор",
           "sailor": "матрос"}
RANK_RU = {"private": "рядовой", "senior_soldier": "ефрейтор",
           "junior_sergeant": "младший сержант", "sergeant": "сержант",
           "senior_sergeant": "старший сержант", "master_sergeant": "старшина",
           "junior_lieutenant": "младший лейтенант", "lieutenant": "лейтенант",
           "senior_lieutenant": "старший лейтенант", "captain": "капитан", "major": "майор",
           "sailor": "матрос"}
LATIN_SYSTEMS_RU = ("icao", "gost", "bgn", "english")
LATIN_SYSTEMS_UA = ("ua_2010", "icao", "adhoc")
CAPTIVE = ("captured", "held", "convicted")


@dataclass
class SourceSpec:
    """One agency file: how it is written and which rows it holds."""

    file: str
    source: str
    agency: str
    reliability: str
    classification: str
    format: str
    encoding: str
    delimiter: str
    description: str


def _status(person: Person, words: dict[str, tuple[str, ...]], rng: random.Random,
            female: dict[str, tuple[str, ...]] | None = None) -> str:
    table = female if female is not None and person.sex == "F" else words
    return rng.choice(table.get(person.status, words.get(person.status, ("",))))


def _maybe(rng: random.Random, share: float, value: str) -> str:
    return value if rng.random() < share else ""


def _caps(rng: random.Random, share: float, value: str) -> str:
    return value.upper() if rng.random() < share else value


def _typo(rng: random.Random, share: float, value: str) -> str:
    return typo(value, rng) if rng.random() < share else value


def _latin_or_ru(person: Person, rng: random.Random, latin_share: float) -> tuple[str, ...]:
    if rng.random() >= latin_share:
        return person.names("ru")
    if rng.random() < 0.6:
        system = rng.choice(LATIN_SYSTEMS_RU)
        names = person.names("ru")
    else:
        system = rng.choice(LATIN_SYSTEMS_UA)
        names = person.names("ua")
    return tuple(in_system(n, system, rng) for n in names)


def _dotted(text: str) -> str:
    """ISO (or partial ISO) as dd.mm.yyyy (or mm.yyyy / yyyy)."""
    parts = text.split("-")
    return ".".join(reversed(parts)) if text else ""


def _sex_ua(person: Person, rng: random.Random) -> str:
    return rng.choice(("ч", "чол.", "Ч")) if person.sex == "M" else rng.choice(("ж", "жін.", "Ж"))


# --- one function per agency ----------------------------------------------------------------


def mod_rows(person: Person, rng: random.Random, record_id: str) -> Row:
    family, given, patronymic = person.names("ua")
    if rng.random() < 0.02:
        family, given = given, family  # columns filled the wrong way round
    kind = rng.choices(("exact", "swap", "missing", "year_off"), weights=(90, 5, 3, 2))[0]
    return {
        "Номер запису": record_id,
        "Прізвище": _typo(rng, 0.03, _caps(rng, 0.2, family)),
        "Ім'я": _typo(rng, 0.02, given),
        "По батькові": _maybe(rng, 0.95, patronymic),
        "Дата народження": _dotted(date_variant(person.birth, rng, kind)),
        "Стать": _sex_ua(person, rng),
        "Особистий номер": _maybe(rng, 0.93, person.service_number),
        "Військова частина": _maybe(rng, 0.9, f"в/ч {person.unit}"),
        "Звання": _maybe(rng, 0.95, RANK_UA[person.rank]),
        "Статус": _status(person, STATUS_UA, rng, STATUS_UA_F),
        "Примітки": "",
    }


def moi_rows(person: Person, rng: random.Random, record_id: str) -> Row:
    family, given, patronymic = person.names("ua")
    roll = rng.random()
    if roll < 0.06:
        full = f"{given} {patronymic} {family}"
    elif roll < 0.25:
        full = f"{family.upper()} {given} {patronymic}"
    else:
        full = f"{family} {given} {patronymic}"
    document = person.document_number
    return {
        "Номер запису": record_id,
        "ПІБ": _typo(rng, 0.02, full),
        "Дата народження": date_variant(person.birth, rng, "exact"),
        "Місце народження": _maybe(rng, 0.9, f"м. {person.place('ua')}"),
        "Стать": _sex_ua(person, rng),
        "Громадянство": rng.choice(("Україна", "UKR", "україна")),
        "Номер документа": document,
    }


def diu_rows(person: Person, rng: random.Random, record_id: str) -> Row:
    family, given, patronymic = _latin_or_ru(person, rng, 0.5)
    kind = rng.choices(("exact", "year", "month", "missing", "year_off"),
                       weights=(40, 25, 10, 20, 5))[0]
    service = _maybe(rng, 0.4, person.service_number)
    if service and rng.random() < 0.15:
        service = ocr_slip(service, rng)
    capture = person.capture_date.isoformat() if person.capture_date else ""
    return {
        "record_id": record_id,
        "surname": _typo(rng, 0.08, _caps(rng, 0.3, family)),
        "name": _typo(rng, 0.04, given),
        "patronymic": _maybe(rng, 0.5, patronymic),
        "date_of_birth": date_variant(person.birth, rng, kind),
        "service_number": service,
        "status": _status(person, STATUS_EN, rng),
        "capture_date": _maybe(rng, 0.8, capture),
        "capture_place": _maybe(rng, 0.8, person.capture("ru")) if capture else "",
        "unit": _maybe(rng, 0.3, person.unit),
        "notes": rng.choice(("", "", "source: intercepted call", "seen in a video",
                             "confirmed by a released prisoner")),
    }


def ssu_rows(person: Person, rng: random.Random, record_id: str) -> Row:
    family, given, patronymic = person.names("ru")
    kind = rng.choices(("exact", "year_off", "swap", "missing"), weights=(80, 8, 4, 8))[0]
    capture = person.capture_date.isoformat() if person.capture_date else ""
    return {
        "Номер записи": record_id,
        "Фамилия": _typo(rng, 0.05, family),
        "Имя": given,
        "Отчество": _maybe(rng, 0.85, patronymic),
        "Дата рождения": _dotted(date_variant(person.birth, rng, kind)),
        "Пол": rng.choice(("муж", "М")) if person.sex == "M" else rng.choice(("жен", "Ж")),
        "Статус": _status(person, STATUS_RU, rng),
        "Место пленения": person.capture("ru") if capture else "",
        "Дата пленения": _dotted(capture),
        "Примечание": "",
    }


_REQUESTERS = ("мати", "батько", "дружина", "сестра", "брат", "син", "донька")


def omb_rows(person: Person, rng: random.Random, record_id: str) -> Row:
    family, given, patronymic = person.names("ua")
    if person.given.diminutives and rng.random() < 0.35:
        given = rng.choice(person.given.diminutives)
    kind = rng.choices(("exact", "year", "month", "missing"), weights=(45, 30, 10, 15))[0]
    birth = date_variant(person.birth, rng, kind)
    notes = f"звернення: {rng.choice(_REQUESTERS)}"
    if kind in ("year", "missing") and rng.random() < 0.6:
        notes += f"; народився приблизно {person.birth.year + rng.choice((-1, 0, 0, 1))} року"
    if person.capture_date and rng.random() < 0.5:
        notes += f"; останній зв'язок {person.capture_date.strftime('%d.%m.%Y')}"
    return {
        "Номер звернення": record_id,
        "Прізвище": _typo(rng, 0.06, _caps(rng, 0.15, family)),
        "Ім'я": _typo(rng, 0.03, given),
        "По батькові": _maybe(rng, 0.6, patronymic),
        "Дата народження": birth if kind != "month" else _dotted(birth),
        "Військова частина": _maybe(rng, 0.4, person.unit),
        "Статус": _status(person, STATUS_UA, rng, STATUS_UA_F),
        "Примітки": notes,
    }


def counterpart_rows(person: Person, rng: random.Random, record_id: str) -> Row:
    family, given, patronymic = _latin_or_ru(person, rng, 0.3)
    kind = rng.choices(("exact", "swap", "year_off", "year"), weights=(85, 5, 5, 5))[0]
    service = _maybe(rng, 0.5, person.service_number)
    if service and rng.random() < 0.1:
        service = ocr_slip(service, rng)
    return {
        "ID": record_id,
        "Фамилия": _typo(rng, 0.06, _caps(rng, 0.5, family)),
        "Имя": _typo(rng, 0.03, given),
        "Отчество": _maybe(rng, 0.8, patronymic),
        "Дата рождения": _dotted(date_variant(person.birth, rng, kind)),
        "Звание": RANK_RU.get(person.rank, ""),
        "Личный номер": service,
        "Статус": _status(person, STATUS_RU, rng),
        "Примечание": "",
    }


RowMaker = Callable[[Person, random.Random, str], Row]


@dataclass(frozen=True)
class Plan:
    """How one file picks its people and writes them."""

    spec: SourceSpec
    make: RowMaker
    include: Callable[[Person, random.Random], bool]
    id_format: str
    duplicate_share: float
    bad_rows: tuple[tuple[dict[str, str], str], ...]  # (values that break it, field named)


def plans() -> list[Plan]:
    def spec(file: str, source: str, agency: str, reliability: str, classification: str,
             fmt: str, encoding: str, delimiter: str, about: str) -> SourceSpec:
        return SourceSpec(file, source, agency, reliability, classification, fmt, encoding,
                          delimiter, about)

    return [
        Plan(spec("mod_personnel.csv", "mod-personnel", "MOD", "A2", "restricted",
                  "csv", "cp1251", ";", "military personnel records"), mod_rows,
             lambda p, r: p.military, "MOD-{:06d}", 0.03,
             (({"Дата народження": "31.02.1991"}, "birth_date"),
              ({"Дата народження": "00.00.1990"}, "birth_date"))),
        Plan(spec("moi_registry.xlsx", "moi-registry", "MOI", "B2", "restricted",
                  "xlsx", "", "", "civilian registry extract"), moi_rows,
             lambda p, r: (not p.military) or r.random() < 0.4, "MOI-{:07d}", 0.0,
             (({"Стать": "невідомо"}, "sex"),)),
        Plan(spec("diu_reports.jsonl", "diu-reports", "DIU", "C3", "secret", "jsonl",
                  "utf-8", "", "intelligence reports (partial, Russian-form or Latin "
                  "names)"), diu_rows,
             lambda p, r: p.military and p.status != "released" and r.random() < 0.45,
             "DIU-{:05d}", 0.02, (({"date_of_birth": "1990-13-01"}, "birth_date"),)),
        Plan(spec("ssu_reports.csv", "ssu-reports", "SSU", "B3", "secret", "csv",
                  "utf-8", ",", "security service reports (Russian forms)"), ssu_rows,
             lambda p, r: p.status in CAPTIVE and r.random() < 0.4, "SSU-{:05d}", 0.01,
             (({"Пол": "неизвестно кто"}, "sex"),)),
        Plan(spec("omb_requests.csv", "omb-requests", "OMB", "D3",
                  "restricted", "csv", "utf-8-sig", "\t", "relatives' requests "
                  "(diminutives, partial dates, free-text notes)"), omb_rows,
             lambda p, r: p.status in ("missing", "captured", "held") and r.random() < 0.4,
             "OMB-{:06d}", 0.12, (({"Дата народження": "весна 1990"}, "birth_date"),
                                  ({"Прізвище": "", "Ім'я": "", "По батькові": ""},
                                   "family_name"))),
        Plan(spec("counterpart_list.csv", "counterpart-list", "HQ", "C3",
                  "confidential", "csv", "utf-8", "|", "the other side's list (their ids, "
                  "Russian-form Cyrillic or Latin)"), counterpart_rows,
             lambda p, r: p.status in CAPTIVE and r.random() < 0.8, "RF-2026-{:06d}", 0.02, ()),
    ]
