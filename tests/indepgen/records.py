"""A person as one agency's record: name, dates, numbers and coded fields, with the damage
log of what was done to it."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from . import damage as dmg
from .damage import DamageRates
from .names_render import render_name
from .people import Person, Place
from .rand import pick
from .tables_misc import (
    CITIZENSHIP,
    NOTES_RU,
    NOTES_UK,
    PLACE_PREFIX_RU,
    PLACE_PREFIX_UK,
    RANKS,
    SEX,
    STATUSES,
)

CANONICAL = ("record_id", "source", "family_name", "given_name", "patronymic", "birth_date",
             "birth_place", "sex", "citizenship", "military_unit", "service_number", "rank",
             "document_number", "status", "capture_date", "capture_place", "notes")


@dataclass(frozen=True, slots=True)
class Profile:
    """How one agency (or the other side) writes its records."""

    source: str
    form_uk: float  # share of records in Ukrainian Cyrillic forms
    form_ru: float  # … in Russian forms; the rest is Latin
    date_styles: tuple[tuple[str, float], ...] = (("iso", 0.5), ("dotted", 0.5))
    lang: str = "uk"  # language of coded fields (uk | ru | en)
    rates: DamageRates = field(default_factory=DamageRates)


LEFT = Profile("agency_a", 0.72, 0.14, (("iso", 0.55), ("dotted", 0.38), ("unpadded", 0.03),
                                        ("word_uk", 0.04)), "uk")
RIGHT = Profile("agency_b", 0.22, 0.53, (("dotted", 0.55), ("iso", 0.25), ("slashed", 0.09),
                                         ("short_year", 0.04), ("word_ru", 0.04),
                                         ("word_en", 0.03)), "ru")
_DATE_FORM_LOG = {"short_year": "date_two_digit_year", "word_uk": "date_month_word",
                  "word_ru": "date_month_word", "word_en": "date_month_word"}


def _pick(rng: random.Random, table: tuple[tuple[str, float], ...]) -> str:
    r = rng.random()
    for name, w in table:
        r -= w
        if r < 0:
            return name
    return table[-1][0]


def _form(rng: random.Random, pr: Profile, p: Person) -> str:
    r = rng.random()
    uk, ru = pr.form_uk, pr.form_ru
    if not p.slavic:  # foreign nationals are written in Latin more often
        uk, ru = uk * 0.7, ru * 0.7
    if r < uk:
        return "uk"
    if r < uk + ru:
        return "ru"
    return "lat"


def _place(rng: random.Random, place: Place, form: str) -> str:
    uk, ru, lat = place
    if form == "lat":
        return pick(rng, lat)
    if form == "ru":
        return pick(rng, PLACE_PREFIX_RU) + ru
    return pick(rng, PLACE_PREFIX_UK) + uk


def _lang_index(lang: str) -> int:
    return {"uk": 0, "ru": 1}.get(lang, 2)


def _coded(rng: random.Random, p: Person, form: str, pr: Profile, log: list[str],
           out: dict[str, str]) -> None:
    lang = "en" if form == "lat" else ("ru" if form == "ru" else pr.lang)
    unusual = rng.random() < pr.rates.coded_unusual
    if unusual:
        log.append("coded_unusual")
    sexes = SEX[p.sex]
    out["sex"] = pick(rng, sexes) if unusual else sexes[pick(rng, (0, 0, 1, 1, 2))]
    statuses = STATUSES[p.status]
    if unusual:
        out["status"] = pick(rng, statuses)
    else:
        out["status"] = statuses[min(_lang_index(lang) + pick(rng, (0, 0, 1)), len(statuses) - 1)]
    cs = CITIZENSHIP[p.citizenship]
    out["citizenship"] = pick(rng, cs) if unusual else cs[pick(rng, (0, 0, 1, 2))
                                                         if len(cs) > 2 else 0]
    if p.rank:
        forms = RANKS[p.rank][_lang_index(lang)]
        out["rank"] = pick(rng, forms) if unusual else forms[0]
    else:
        out["rank"] = ""
    if p.unit:
        ua_unit = not p.unit[0].isdigit()
        if ua_unit:
            fmt = pick(rng, ("в/ч {}", "{}", "{}", "військова частина {}", "ВЧ {}"))
            unit = p.unit if rng.random() < 0.8 else "A" + p.unit[1:]  # Latin A
        else:
            fmt = pick(rng, ("в/ч {}", "{}", "войсковая часть {}", "military unit {}"))
            unit = p.unit
        out["military_unit"] = fmt.format(unit)
    else:
        out["military_unit"] = ""


def _number(rng: random.Random, value: str, r: DamageRates, log: list[str]) -> str:
    if not value:
        return ""
    if rng.random() < r.number_missing:
        log.append("number_missing")
        return ""
    if rng.random() < r.number_typo:
        value = dmg.number_typo(rng, value)
        log.append("number_typo")
    if rng.random() < r.number_ocr:
        value = dmg.number_ocr(rng, value)
        log.append("number_ocr")
    if rng.random() < r.number_spacing:
        value = dmg.number_spacing(rng, value)
        log.append("number_spacing")
    return value


def _birth(rng: random.Random, p: Person, pr: Profile, log: list[str],
           forced_missing: bool, parts: list[str]) -> str:
    r = pr.rates
    d = p.birth
    if d is None:
        return ""
    if forced_missing:
        log.append("date_missing_russian_form")
        return ""
    style = _pick(rng, pr.date_styles)

    def fmt(day: date) -> str:
        if style in _DATE_FORM_LOG:
            log.append(_DATE_FORM_LOG[style])
        return dmg.fmt_date(day, style)

    u = rng.random()
    acc = r.date_missing
    if u < acc:
        log.append("date_missing")
        return ""
    if u < (acc := acc + r.date_partial_year):
        log.append("date_partial_year")
        return dmg.fmt_date(d, "year")
    if u < (acc := acc + r.date_partial_month):
        log.append("date_partial_month")
        return dmg.fmt_date(d, "month")
    if u < (acc := acc + r.date_day_month_swap):
        s = dmg.swap_day_month(d)
        if s is not None:
            log.append("date_day_month_swap")
            return fmt(s)
        log.append("date_year_off")
        return fmt(dmg.year_off(rng, d))
    if u < (acc := acc + r.date_year_off):
        log.append("date_year_off")
        return fmt(dmg.year_off(rng, d))
    if u < acc + r.date_slip_with_name_slip:
        log.append("date_slip_with_name_slip")
        s = dmg.swap_day_month(d) if rng.random() < 0.5 else None
        new = s if s is not None else dmg.year_off(rng, d)
        i = 0 if parts[0] else 1
        parts[i] = dmg.typo(rng, parts[i])
        return fmt(new)
    return fmt(d)


def render(rng: random.Random, p: Person, pr: Profile) -> tuple[dict[str, str], list[str]]:
    """One record of ``p`` as ``pr`` writes it (without record_id) and its damage log."""
    log: list[str] = []
    r = pr.rates
    forced = p.birth is not None and p.slavic and rng.random() < r.date_missing_russian_form
    form = "ru" if forced else _form(rng, pr, p)
    fam, given, patr = render_name(rng, p, form, r, log)
    parts = [fam, given]
    birth = _birth(rng, p, pr, log, forced, parts)
    fam, given = parts
    out: dict[str, str] = {
        "source": pr.source, "family_name": fam, "given_name": given, "patronymic": patr,
        "birth_date": birth,
        "birth_place": _place(rng, p.birth_place, form) if rng.random() < 0.8 else "",
    }
    _coded(rng, p, form, pr, log, out)
    out["service_number"] = _number(rng, p.service_number, r, log)
    out["document_number"] = _number(rng, p.document_number, r, log)
    out["capture_date"] = (dmg.fmt_date(p.capture_date, _pick(rng, pr.date_styles))
                           if p.capture_date and rng.random() < 0.85 else "")
    out["capture_place"] = (_place(rng, p.capture_place, form)
                            if p.capture_date and rng.random() < 0.7 else "")
    out["notes"] = pick(rng, NOTES_RU if form == "ru" else NOTES_UK)
    return out, log
