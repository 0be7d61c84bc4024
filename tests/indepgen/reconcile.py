"""The ``reconcile`` dataset: our list, our registry, the other side's answer and its truth.

Answer rows are ``confirmed`` (a person on our list), ``duplicate`` (the same list person a
second time), ``registry_not_on_list`` (someone we hold records of but did not list) and
``unknown`` (not in our registry, often a look-alike of a listed person: a twin, a brother,
a father or son, a namesake). List entries the answer leaves out are in
``not_mentioned.csv``.
"""

from __future__ import annotations

import random
from dataclasses import replace

from .csvio import HEADERS, side_layout, side_style, write_rows
from .damage import DamageRates
from .options import DamageLog, Options, fresh, hard_negative, write_meta
from .people import Person
from .records import LEFT, RIGHT, render
from .registry import records_per_person, write_registry

SIZES = {"tiny": (60, 600), "small": (300, 3_000), "medium": (1_000, 20_000),
         "large": (5_000, 200_000)}  # list entries, registry records
_ANSWER_COLS = ("family_name", "given_name", "patronymic", "birth_date", "rank",
                "service_number", "notes")


def _answer_rates(rates: DamageRates) -> DamageRates:
    return rates.with_overrides({"given_patronymic_one_field": 0.2,
                                 "number_missing": min(1.0, rates.number_missing * 3)})


def generate(opts: Options) -> dict[str, object]:
    n_list, n_registry = SIZES[opts.size]
    rng = random.Random(opts.seed)
    opts.out.mkdir(parents=True, exist_ok=True)
    log = DamageLog(opts.out / "damage.csv")
    pid = 0

    def person() -> Person:
        nonlocal pid
        pid += 1
        return fresh(rng, pid)

    listed = [person() for _ in range(n_list)]
    entries: list[tuple[Person, int]] = [(p, records_per_person(rng, 0.35)) for p in listed]
    total = sum(k for _, k in entries)
    others: list[Person] = []
    while total < n_registry:
        q = person()
        if rng.random() < 0.08:  # a relative of a listed person, also held on our records
            q = hard_negative(rng, rng.choice(listed), q.pid)
        k = min(records_per_person(rng, 0.15), n_registry - total)
        entries.append((q, k))
        others.append(q)
        total += k
    rng.shuffle(entries)
    style = side_style(opts.header_style, "left")
    layout = side_layout(opts.name_layout, "left")
    reg = write_registry(opts, rng, entries, "G", log, style, layout)

    list_rows = []
    wounded: dict[int, bool] = {}
    clean = replace(LEFT, source="list", form_uk=0.9, form_ru=0.1,
                    rates=opts.rates.scaled(0.15))
    for p in listed:
        rec, _ = render(rng, p, clean)  # our staff type the list with care, from the registry
        rid = reg.ids[p.pid][0]
        wounded[p.pid] = rng.random() < 0.1
        list_rows.append((rid, rec["family_name"], rec["given_name"], rec["patronymic"],
                          rec["birth_date"], "military" if p.military else "civilian",
                          "yes" if wounded[p.pid] else "no",
                          p.capture_date.isoformat() if p.capture_date else ""))
    list_rows.sort()
    write_rows(opts.out / "list.csv", ("record_id", "family_name", "given_name", "patronymic",
                                       "birth_date", "category", "seriously_wounded",
                                       "captivity_start"), list_rows)

    # the other side's answer
    answer: list[tuple[Person, str, str, str]] = []  # person, expected, entry id, registry id
    mentioned = [p for p in listed if rng.random() < 0.85]
    for p in mentioned:
        answer.append((p, "confirmed", reg.ids[p.pid][0], ""))
    for p in rng.sample(mentioned, max(1, len(mentioned) // 20)):
        answer.append((p, "duplicate", reg.ids[p.pid][0], ""))
    for q in rng.sample(others, min(len(others), max(2, n_list // 15))):
        answer.append((q, "registry_not_on_list", "", reg.ids[q.pid][0]))
    n_unknown = max(2, n_list // 12)
    for i in range(n_unknown):
        if i % 2 == 0:
            u = hard_negative(rng, rng.choice(listed), 10**8 + i)
        else:
            u = replace(person(), relation="stranger")
        answer.append((u, "unknown", "", ""))
    rng.shuffle(answer)
    profile = replace(RIGHT, source="counterpart", rates=_answer_rates(opts.rates))
    names = HEADERS["uk" if opts.header_style == "uk" else "ru"]
    header = ("№", *(names[c] for c in _ANSWER_COLS))
    rows: list[tuple[str, ...]] = []
    truth: list[tuple[int, str, str, str]] = []
    seen: set[int] = set()
    for n, (p, expected, entry, regid) in enumerate(answer, start=1):
        if expected == "duplicate" and p.pid not in seen:
            expected = "confirmed"  # the first of the two rows is the confirmation
        elif expected == "confirmed" and p.pid in seen:
            expected = "duplicate"
        if expected in ("confirmed", "duplicate"):
            seen.add(p.pid)
        rec, dlog = render(rng, p, profile)
        log.add(f"answer:{n}", p, dlog)
        rows.append((str(n), *(rec[c] for c in _ANSWER_COLS)))
        truth.append((n, expected, entry, regid))
    write_rows(opts.out / "answer.csv", header, rows)
    write_rows(opts.out / "answer_truth.csv",
               ("answer_row", "expected", "entry_record_id", "registry_record_id"), truth)
    mentioned_ids = {p.pid for p in mentioned}
    write_rows(opts.out / "not_mentioned.csv", ("record_id",),
               sorted((reg.ids[p.pid][0],) for p in listed if p.pid not in mentioned_ids))
    log.close()
    counts: dict[str, object] = {
        "list": n_list, "registry": total, "answer_rows": len(rows),
        "expected": {k: sum(1 for t in truth if t[1] == k) for k in
                     ("confirmed", "duplicate", "registry_not_on_list", "unknown")},
        "not_mentioned": n_list - len(mentioned_ids), "damage": dict(log.counts),
    }
    write_meta(opts, "reconcile", counts)
    return counts
