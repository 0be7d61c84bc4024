"""A person's name as one clerk writes it: script and form, then the slips, then the layout."""

from __future__ import annotations

import random

from . import damage as dmg
from .damage import DamageRates
from .people import Person
from .rand import pick
from .tables_foreign import CULTURES, KOREAN_SYLLABLES, Variants, ukrainian_spelling
from .tables_misc import TITLES_LAT, TITLES_RU, TITLES_UK
from .tables_slavic import FEMALE_GIVEN, MALE_GIVEN, SURNAMES, female_patronymic, female_surname
from .translit import APOSTROPHES, romanise, ru_in_ukrainian_letters, uk_in_russian_letters

_APOSTROPHES = frozenset(APOSTROPHES)
_UK_SYSTEMS = (("ua_national", 0.5), ("bgn", 0.15), ("en", 0.2), ("de", 0.08), ("fr", 0.07))
_RU_SYSTEMS = (("ru_passport", 0.45), ("bgn", 0.2), ("en", 0.2), ("de", 0.08), ("fr", 0.07))


def _pick_weighted(rng: random.Random, table: tuple[tuple[str, float], ...]) -> str:
    r = rng.random()
    for name, w in table:
        r -= w
        if r < 0:
            return name
    return table[-1][0]


def _variant(rng: random.Random, v: tuple[str, ...], p_first: float = 0.6) -> str:
    return v[0] if len(v) == 1 or rng.random() < p_first else pick(rng, v)


def _foreign_patr(p: Person, rng: random.Random) -> str:
    if p.patr < 0:
        return ""
    if p.culture == "ko":
        m = MALE_GIVEN[p.patr].ru_patr
    else:
        father = CULTURES[p.culture].given[p.patr].cyr[0].split(",")[0]
        if father.endswith("ий"):
            m = father[:-2] + "иевич"
        elif father.endswith(("а", "я")):
            m = father[:-1] + "ович"
        elif father.endswith(("и", "о", "у", "е")):
            m = father + "евич"
        else:
            m = father + "ович"
    if p.sex == "F":
        return female_patronymic(m, "ru")
    return m


def _korean_given(rng: random.Random, p: Person, latin: bool) -> str:
    parts = [_variant(rng, (KOREAN_SYLLABLES[i].lat if latin else KOREAN_SYLLABLES[i].cyr), 0.7)
             for i in p.given]
    sep = pick(rng, (" ", " ", "-", "")) if latin else pick(rng, (" ", "", "-", ""))
    joined = sep.join(parts)
    if sep in ("-", "") and len(parts) > 1:
        joined = joined[:1] + joined[1:].lower()
    return joined


def base_tokens(rng: random.Random, p: Person, form: str, log: list[str],
                rates: DamageRates) -> tuple[str, str, str, str]:
    """(family, given, patronymic, middle) in ``form`` (uk | ru | lat), diminutives applied."""
    if p.slavic:
        lang = "ru" if form == "ru" else "uk"
        if form == "lat" and (p.culture == "ru" or rng.random() < 0.25):
            lang = "ru"
        s = SURNAMES[p.family]
        fam = s.uk if lang == "uk" else s.ru
        table = MALE_GIVEN if p.sex == "M" else FEMALE_GIVEN
        g = table[p.given[0]]
        given = g.uk if lang == "uk" else g.ru
        if p.sex == "F":
            fam = female_surname(fam, lang)
        father = MALE_GIVEN[p.patr] if p.patr >= 0 else None
        patr = ""
        if father is not None:
            patr = father.uk_patr if lang == "uk" else father.ru_patr
            if p.sex == "F":
                patr = female_patronymic(patr, lang)
        middle = ""
        if p.second_given >= 0:
            m = table[p.second_given]
            middle = m.uk if lang == "uk" else m.ru
        latin_nick = ""
        if rng.random() < rates.diminutive:
            log.append("diminutive")
            dims = g.uk_dims if lang == "uk" else g.ru_dims
            if form == "lat" and g.latin_dims and rng.random() < 0.5:
                latin_nick = pick(rng, g.latin_dims)
            given = pick(rng, dims)
        if form == "lat":
            system = _pick_weighted(rng, _UK_SYSTEMS if lang == "uk" else _RU_SYSTEMS)
            log.append("latin_" + system)
            fam, given, patr, middle = (romanise(x, system) for x in (fam, given, patr, middle))
            if latin_nick:
                given = latin_nick
        else:
            log.append("form_" + lang)
            if form == "ru" and p.culture == "ua" and rng.random() < rates.uk_in_russian_letters:
                # their clerk keeps the Ukrainian name but types it with Russian letters
                s, g = SURNAMES[p.family], table[p.given[0]]
                fam = female_surname(s.uk, "uk") if p.sex == "F" else s.uk
                given = given if given != g.ru else g.uk
                if father is not None:
                    patr = (father.uk_patr if p.sex == "M"
                            else female_patronymic(father.uk_patr, "uk"))
                fam, given, patr = (uk_in_russian_letters(x) for x in (fam, given, patr))
                log.append("uk_in_russian_letters")
            elif (form == "uk" and p.culture == "ru"
                  and rng.random() < rates.ru_in_ukrainian_letters):
                s, g = SURNAMES[p.family], table[p.given[0]]
                fam = female_surname(s.ru, "ru") if p.sex == "F" else s.ru
                given = given if given != g.uk else g.ru
                if father is not None:
                    patr = (father.ru_patr if p.sex == "M"
                            else female_patronymic(father.ru_patr, "ru"))
                fam, given, patr = (ru_in_ukrainian_letters(x) for x in (fam, given, patr))
                log.append("ru_in_ukrainian_letters")
        return fam, given, patr, middle
    c = CULTURES[p.culture]
    latin = form == "lat"
    log.append("foreign_latin" if latin else "foreign_cyrillic")

    def choose(v: Variants) -> str:
        s = _variant(rng, v.lat if latin else v.cyr, 0.45 if latin else 0.7)
        return ukrainian_spelling(s) if form == "uk" else s

    fam = choose(c.family[p.family])
    if c.korean_syllables:
        given = _korean_given(rng, p, latin)
        if form == "uk":
            given = ukrainian_spelling(given)
    else:
        given = choose(c.given[p.given[0]])
    middle = choose(c.given[p.second_given]) if p.second_given >= 0 else ""
    if middle and p.culture == "ar" and rng.random() < 0.4:  # the father's name, "son of"
        link = (pick(rng, ("bin", "ibn", "Bin", "bin")) if latin
                else pick(rng, ("бин", "ибн", "бен")))
        middle = link + " " + middle
    patr = _foreign_patr(p, rng)
    if patr and latin:
        patr = romanise(patr, pick(rng, ("ru_passport", "en", "bgn")))
    return fam, given, patr, middle


def _extra_middle(rng: random.Random, p: Person, form: str) -> str:
    if p.slavic or p.culture == "ko":
        g = pick(rng, MALE_GIVEN if p.sex == "M" else FEMALE_GIVEN)
        name = g.uk if form == "uk" else g.ru
        return romanise(name, "en") if form == "lat" else name
    v = pick(rng, CULTURES[p.culture].given)
    return v.lat[0] if form == "lat" else v.cyr[0]


def _slips(rng: random.Random, parts: list[str], r: DamageRates, log: list[str],
           latin: bool) -> None:
    """Typing and reading slips on [family, given, patronymic] in place."""
    has_apostrophe = not _APOSTROPHES.isdisjoint("".join(parts))
    if has_apostrophe and rng.random() < r.apostrophe_variant:
        for i, s in enumerate(parts):
            new = dmg.apostrophe_variant(rng, s)
            if new is not None:
                parts[i] = new
                log.append("apostrophe_variant")
                break
    if parts[0] and rng.random() < r.typo_surname_start:
        parts[0] = dmg.typo_start(rng, parts[0])
        log.append("typo_surname_start")
    if rng.random() < r.typo:
        i = pick(rng, (0, 0, 1, 2)) if parts[2] else pick(rng, (0, 1))
        if parts[i]:
            parts[i] = dmg.typo(rng, parts[i])
            log.append("typo")
    if not latin and rng.random() < r.ocr_cyrillic:
        i = pick(rng, (0, 0, 1, 2))
        new = dmg.ocr_cyrillic(rng, parts[i])
        if new is None:
            i, new = 0, dmg.ocr_cyrillic(rng, parts[0])
        if new is not None:
            parts[i] = new
            log.append("ocr_cyrillic")
    if latin and rng.random() < r.ocr_latin:
        for i in rng.sample((0, 1, 2), 3):
            new = dmg.ocr_latin(rng, parts[i])
            if new is not None:
                parts[i] = new
                log.append("ocr_latin")
                break
    if rng.random() < r.digit_for_letter:
        for i in (0, 1, 2):
            new = dmg.digit_for_letter(rng, parts[i])
            if new is not None:
                parts[i] = new
                log.append("digit_for_letter")
                break
    if not latin and rng.random() < r.homoglyph:
        for i in rng.sample((0, 1, 2), 3):
            new = dmg.homoglyph(rng, parts[i])
            if new is not None:
                parts[i] = new
                log.append("homoglyph")
                break
    if rng.random() < r.doubled_letter:
        i = pick(rng, (0, 0, 1))
        if parts[i]:
            parts[i] = dmg.doubled_letter(rng, parts[i])
            log.append("doubled_letter")


def _initial(s: str, dot: bool) -> str:
    return (s[:1] + ("." if dot else "")) if s else ""


def render_name(rng: random.Random, p: Person, form: str, r: DamageRates,
                log: list[str]) -> tuple[str, str, str]:
    """(family_name, given_name, patronymic) fields of one record."""
    fam, given, patr, middle = base_tokens(rng, p, form, log, r)
    latin = form == "lat" and not dmg.is_cyrillic(fam)
    if middle and rng.random() < 0.3:
        middle = ""  # a second name is often left out anyway
    if rng.random() < r.extra_middle_name:
        middle = (middle + " " if middle else "") + _extra_middle(rng, p, form)
        log.append("extra_middle_name")
    if (patr or middle) and rng.random() < r.missing_middle_name:
        patr, middle = ("", "") if rng.random() < 0.8 else (patr, "")
        log.append("missing_middle_name")
    parts = [fam, given + (" " + middle if middle else ""), patr]
    _slips(rng, parts, r, log, latin)
    u = rng.random()
    if u < r.initials_dots + r.initials_no_dots:
        dot = u < r.initials_dots
        log.append("initials_dots" if dot else "initials_no_dots")
        parts[1] = _initial(parts[1], dot)
        if parts[2] and rng.random() < 0.7:
            parts[2] = _initial(parts[2], dot)
            if rng.random() < 0.4:
                parts[1] = parts[1] + " " + parts[2]
                parts[2] = ""
    if rng.random() < r.name_swap:
        parts[0], parts[1] = parts[1], parts[0]
        log.append("name_swap")
    elif rng.random() < r.name_swap_typo:
        parts[0], parts[1] = dmg.typo(rng, parts[1]), dmg.typo(rng, parts[0])
        log.append("name_swap_typo")
    c = rng.random()
    if c < r.case_upper:
        parts = [s.upper() for s in parts]
        log.append("case_upper")
    elif c < r.case_upper + r.case_upper_surname:
        parts[0] = parts[0].upper()
        log.append("case_upper_surname")
    elif c < r.case_upper + r.case_upper_surname + r.case_lower:
        parts = [s.lower() for s in parts]
        log.append("case_lower")
    f, g, pa = parts
    title = ""
    if rng.random() < r.title_in_name:
        title = pick(rng, TITLES_LAT if latin else (TITLES_RU if form == "ru" else TITLES_UK))
        log.append("title_in_name")
    k = rng.random()
    acc = r.full_name_one_column
    if k < acc:
        order = pick(rng, ("FGP", "FGP", "GPF", "GF", "FG"))
        words = {"F": f, "G": g, "P": pa}
        f, g, pa = " ".join(words[x] for x in order if words[x]), "", ""
        log.append("full_name_one_column")
    elif k < (acc := acc + r.surname_comma):
        f, g, pa = f + ", " + " ".join(x for x in (g, pa) if x), "", ""
        log.append("surname_comma")
    elif k < (acc := acc + r.given_patronymic_one_field) and pa:
        g, pa = g + " " + pa, ""
        log.append("given_patronymic_one_field")
    elif k < (acc := acc + r.run_together):
        if rng.random() < 0.5 or not pa:
            f, g = (g + f if rng.random() < 0.5 else f + g), ""
        else:
            g, pa = g + pa, ""
        log.append("run_together")
    elif k < acc + r.hyphenated:
        f, g = (f + "-" + g if rng.random() < 0.5 else g + "-" + f), ""
        log.append("hyphenated")
    if title:
        f = title + " " + f if rng.random() < 0.7 else f + " (" + title + ")"
    f, g, pa = f.strip(), g.strip(), pa.strip()
    if rng.random() < r.whitespace:
        if g and rng.random() < 0.4:
            g = dmg.whitespace(rng, g)
        else:
            f = dmg.whitespace(rng, f)
        log.append("whitespace")
    return f, g, pa
