"""The ``dedupe`` dataset: one file, several records per person, truth record → cluster."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace

from .csvio import RecordWriter, side_layout, side_style, write_rows
from .options import DamageLog, Options, common, fresh, hard_negative, write_meta
from .people import Person
from .rand import pick
from .records import LEFT, RIGHT, Profile, render

SIZES = {"tiny": 300, "small": 2_000, "medium": 20_000, "large": 200_000}
_CLUSTER_SIZES = ((1, 0.42), (2, 0.3), (3, 0.15), (4, 0.09), (5, 0.04))
_SOURCES = ("defence", "intelligence", "security", "interior", "ombudsman", "hotline")


def agency_profiles(opts: Options) -> list[Profile]:
    """Six agencies: most write Ukrainian forms, one copies the other side's Russian lists."""
    out = []
    for i, src in enumerate(_SOURCES):
        base = RIGHT if i == 2 else LEFT
        k = 1.0 if i in (2, 5) else 0.7
        out.append(replace(base, source=src, rates=opts.rates.scaled(k)))
    return out


def _size(rng: random.Random) -> int:
    r = rng.random()
    for n, w in _CLUSTER_SIZES:
        r -= w
        if r < 0:
            return n
    return 1


def generate(opts: Options) -> dict[str, object]:
    n = SIZES[opts.size]
    rng = random.Random(opts.seed)
    opts.out.mkdir(parents=True, exist_ok=True)
    profiles = agency_profiles(opts)
    people: list[tuple[Person, int]] = []
    total = pid = 0
    relations: Counter[str] = Counter()
    while total < n:
        k = min(_size(rng), n - total)
        p = common(rng, pid) if rng.random() < opts.common_fraction else fresh(rng, pid)
        pid += 1
        people.append((p, k))
        total += k
        if rng.random() < opts.hard_fraction and total < n:
            q = hard_negative(rng, p, pid)
            pid += 1
            k2 = min(_size(rng), n - total)
            people.append((q, k2))
            relations[q.relation] += 1
            total += k2
    slots = [(i, j) for i, (_, k) in enumerate(people) for j in range(k)]
    rng.shuffle(slots)
    log = DamageLog(opts.out / "damage.csv")
    truth: list[tuple[str, str]] = []
    style = side_style(opts.header_style, "left")
    layout = side_layout(opts.name_layout, "left")
    with RecordWriter(opts.out / "records.csv", style, layout) as w:
        for r, (i, _) in enumerate(slots):
            p = people[i][0]
            rid = f"D{r + 1:07d}"
            rec, dlog = render(rng, p, pick(rng, profiles))
            rec["record_id"] = rid
            w.write(rec)
            log.add(rid, p, dlog)
            truth.append((rid, f"P{p.pid + 1:07d}"))
    log.close()
    write_rows(opts.out / "truth.csv", ("record_id", "cluster_id"), truth)
    counts: dict[str, object] = {
        "records": len(truth), "persons": len(people), "hard_negatives": dict(relations),
        "damage": dict(log.counts),
    }
    write_meta(opts, "dedupe", counts)
    return counts
