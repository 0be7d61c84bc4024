"""A registry of our agencies' records: persons with one or several records each."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .csvio import RecordWriter
from .dedupe import agency_profiles
from .options import DamageLog, Options
from .people import Person
from .records import render


@dataclass(slots=True)
class Registry:
    """Records written: person id → its record ids, in file order."""

    ids: dict[int, list[str]] = field(default_factory=dict)


def records_per_person(rng: random.Random, extra_rate: float) -> int:
    if rng.random() >= extra_rate:
        return 1
    return 2 if rng.random() < 0.8 else 3


def write_registry(opts: Options, rng: random.Random, entries: list[tuple[Person, int]],
                   prefix: str, log: DamageLog, style: str, layout: str) -> Registry:
    """Write ``registry.csv``: each (person, number of records), shuffled."""
    profiles = agency_profiles(opts)
    slots = [(i, j) for i, (_, k) in enumerate(entries) for j in range(k)]
    rng.shuffle(slots)
    reg = Registry()
    with RecordWriter(opts.out / "registry.csv", style, layout) as w:
        for r, (i, _) in enumerate(slots):
            p = entries[i][0]
            rid = f"{prefix}{r + 1:07d}"
            rec, dlog = render(rng, p, profiles[0] if p.pid not in reg.ids else
                               profiles[int(rng.random() * len(profiles))])
            rec["record_id"] = rid
            w.write(rec)
            log.add(rid, p, dlog)
            reg.ids.setdefault(p.pid, []).append(rid)
    return reg
