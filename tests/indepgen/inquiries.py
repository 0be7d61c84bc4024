"""The ``inquiries`` dataset: relatives ask about a person, the way relatives write.

A mother, wife or brother names the sought person with a diminutive, the Russian form, a
Latin spelling from a passport, an approximate birth year, mostly without numbers. Several
relatives may ask about the same person. ``inquiry_truth.csv`` gives a registry record of the
sought person, or nothing when the person is not in the registry (then the registry may
still hold a look-alike: a twin, a brother, a father or son, a namesake).
"""

from __future__ import annotations

import random
from dataclasses import replace

from .csvio import side_layout, side_style, write_rows
from .damage import DamageRates
from .options import DamageLog, Options, fresh, hard_negative, write_meta
from .people import Person
from .rand import below, pick
from .records import CANONICAL, Profile, render
from .registry import records_per_person, write_registry
from .tables_foreign import CULTURES
from .tables_slavic import FEMALE_GIVEN, MALE_GIVEN, SURNAMES, female_surname
from .translit import romanise

SIZES = {"tiny": (80, 800), "small": (500, 5_000), "medium": (5_000, 50_000),
         "large": (20_000, 200_000)}  # inquiries, registry records
_RELATIONS = (("мати", "F"), ("мама", "F"), ("дружина", "F"), ("жена", "F"), ("брат", "M"),
              ("батько", "M"), ("сестра", "F"), ("син", "M"), ("донька", "F"), ("mother", "F"),
              ("wife", "F"), ("тітка", "F"), ("наречена", "F"))
_CONSENT = ("так", "yes", "1", "згода", "да", "true", "так", "ні")


def relatives_rates(rates: DamageRates) -> DamageRates:
    """Relatives: nicknames, Russian forms, a birth year, hardly ever a number."""
    return rates.with_overrides({
        "diminutive": min(1.0, rates.diminutive * 5), "date_partial_year": 0.25,
        "date_year_off": min(1.0, rates.date_year_off * 2), "number_missing": 0.85,
        "missing_middle_name": min(1.0, rates.missing_middle_name * 2),
        "initials_dots": rates.initials_dots / 8, "initials_no_dots": rates.initials_no_dots / 8,
        "title_in_name": 0.0, "full_name_one_column": min(1.0, rates.full_name_one_column * 3),
    })


def _inquirer(rng: random.Random, p: Person) -> tuple[str, str, str, str, str]:
    relation, sex = pick(rng, _RELATIONS)
    if p.slavic:
        s = SURNAMES[p.family]
        fam = s.uk if rng.random() < 0.7 else s.ru
        if sex == "F":
            fam = female_surname(fam, "uk")
        given = pick(rng, MALE_GIVEN if sex == "M" else FEMALE_GIVEN).uk
    else:
        # a foreign national's relative writes in Ukrainian, often a wife from Ukraine
        fam = (CULTURES[p.culture].family[p.family].cyr[0] if relation not in
               ("дружина", "жена", "wife", "наречена") else pick(rng, SURNAMES).uk)
        if sex == "F":
            fam = female_surname(fam, "uk")
        given = pick(rng, FEMALE_GIVEN if sex == "F" else MALE_GIVEN).uk
    name = f"{fam} {given}" if rng.random() < 0.7 else f"{given} {fam}"
    phone = rng.choice(("+380 {a} {b}-{c}-{d}", "0{a}{b}{c}{d}", "+380({a}){b}{c}{d}"))
    phone = phone.format(a=pick(rng, ("67", "50", "63", "93", "97", "66")),
                         b=f"{below(rng, 1000):03d}", c=f"{below(rng, 100):02d}",
                         d=f"{below(rng, 100):02d}")
    login = romanise(given, "ua_national").lower() + "." + romanise(fam, "ua_national").lower()
    email = (login.replace("'", "") + pick(rng, ("@example.org", "@example.com", "@example.net"))
             if rng.random() < 0.6 else "")
    return name, relation, phone, email, pick(rng, _CONSENT)


def generate(opts: Options) -> dict[str, object]:
    n_inq, n_registry = SIZES[opts.size]
    rng = random.Random(opts.seed)
    opts.out.mkdir(parents=True, exist_ok=True)
    log = DamageLog(opts.out / "damage.csv")
    pid = 0
    sought: list[tuple[Person, bool]] = []  # person, in the registry
    n_asks = 0
    asks: list[int] = []
    while n_asks < n_inq:
        pid += 1
        k = min(1 if rng.random() < 0.6 else (2 if rng.random() < 0.6 else 3), n_inq - n_asks)
        sought.append((fresh(rng, pid), rng.random() < 0.75))
        asks.append(k)
        n_asks += k
    entries: list[tuple[Person, int]] = [(p, records_per_person(rng, 0.2))
                                         for p, inside in sought if inside]
    for p, inside in sought:
        if not inside and rng.random() < 0.3:  # a look-alike sits in the registry instead
            entries.append((hard_negative(rng, p, 10**8 + p.pid), 1))
    total = sum(k for _, k in entries)
    while total < n_registry:
        pid += 1
        k = min(records_per_person(rng, 0.15), n_registry - total)
        entries.append((fresh(rng, pid), k))
        total += k
    rng.shuffle(entries)
    reg = write_registry(opts, rng, entries, "H", log, side_style(opts.header_style, "left"),
                         side_layout(opts.name_layout, "left"))
    profile = Profile("hotline", 0.55, 0.3, (("dotted", 0.7), ("iso", 0.3)), "uk",
                      relatives_rates(opts.rates))
    person_fields = CANONICAL[2:]
    plan = [(p, inside) for (p, inside), k in zip(sought, asks, strict=True) for _ in range(k)]
    rng.shuffle(plan)
    rows: list[tuple[str, ...]] = []
    truth: list[tuple[str, str]] = []
    for n, (p, inside) in enumerate(plan, start=1):
        iid = f"Q{n:06d}"
        rec, dlog = render(rng, replace(p, relation="sought"), profile)
        log.add(iid, p, dlog)
        for key, keep in (("military_unit", 0.4), ("rank", 0.5), ("capture_place", 0.5),
                          ("birth_place", 0.6)):
            if rng.random() > keep:
                rec[key] = ""
        rows.append((iid, *_inquirer(rng, p), *(rec[c] for c in person_fields)))
        truth.append((iid, reg.ids[p.pid][0] if inside else ""))
    log.close()
    write_rows(opts.out / "inquiries.csv",
               ("inquiry_id", "inquirer_name", "inquirer_relation", "inquirer_phone",
                "inquirer_email", "consent", *person_fields), rows)
    write_rows(opts.out / "inquiry_truth.csv", ("inquiry_id", "record_id"), truth)
    counts: dict[str, object] = {
        "inquiries": len(rows), "sought_persons": len(sought),
        "in_registry": sum(1 for t in truth if t[1]), "registry": total,
        "damage": dict(log.counts),
    }
    write_meta(opts, "inquiries", counts)
    return counts
