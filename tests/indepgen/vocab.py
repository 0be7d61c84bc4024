"""The ``vocab`` dataset: a valid registry whose coded columns use unfamiliar phrasings.

``expected.csv``: ``record_id, expected`` (the canonical status, or ``unknown`` for words no
table can map), plus ``expected_sex`` and ``expected_citizenship`` (ISO alpha-3). Every row is
a valid record and must be imported; an unmappable word is a warning, not a quarantine.
"""

from __future__ import annotations

import random
from dataclasses import replace

from .csvio import RecordWriter, side_layout, side_style, write_rows
from .options import DamageLog, Options, fresh, write_meta
from .rand import pick
from .records import LEFT, render
from .tables_misc import CITIZENSHIP, RANKS, SEX, STATUSES, UNKNOWN_STATUS_TEXTS

SIZES = {"tiny": 200, "small": 1_000, "medium": 10_000, "large": 100_000}
_DECOR = ("{}", "{}", "{}", "{} ", " {}", "{}.", "({})", "статус: {}", "{} (підтверджено)",
          "{} - дані уточнюються", "{} /за даними МКЧХ/", "{};")


_PLAIN = ("{}", "{}", "{} ", "{}.", "({})")


def _phrase(rng: random.Random, words: tuple[str, ...] | list[str],
            decor: tuple[str, ...] = _DECOR) -> str:
    w = pick(rng, words)
    k = rng.random()
    if k < 0.2:
        w = w.upper()
    elif k < 0.3:
        w = w.capitalize()
    return pick(rng, decor).format(w)


def generate(opts: Options) -> dict[str, object]:
    n = SIZES[opts.size]
    rng = random.Random(opts.seed)
    opts.out.mkdir(parents=True, exist_ok=True)
    log = DamageLog(opts.out / "damage.csv")
    # plain dates only: this file tests the coded columns, every other field must be valid
    profile = replace(LEFT, source="vocab", rates=opts.rates.scaled(0.3),
                      date_styles=(("iso", 0.5), ("dotted", 0.5)))
    expected: list[tuple[str, str, str, str]] = []
    ranks = [w for forms in RANKS.values() for lang in forms for w in lang]
    with RecordWriter(opts.out / "registry.csv", side_style(opts.header_style, "left"),
                      side_layout(opts.name_layout, "left")) as w:
        for i in range(n):
            p = fresh(rng, i)
            rid = f"V{i + 1:06d}"
            rec, dlog = render(rng, p, profile)
            rec["record_id"] = rid
            if rng.random() < 0.12:
                status = "unknown"
                rec["status"] = pick(rng, UNKNOWN_STATUS_TEXTS)
            else:
                status = p.status
                rec["status"] = _phrase(rng, STATUSES[p.status])
            rec["sex"] = _phrase(rng, SEX[p.sex], _PLAIN)
            rec["citizenship"] = _phrase(rng, CITIZENSHIP[p.citizenship], _PLAIN)
            if rec["rank"]:
                rec["rank"] = _phrase(rng, ranks, _PLAIN)  # any rank word, any language
            w.write(rec)
            log.add(rid, p, dlog)
            expected.append((rid, status, p.sex, p.citizenship))
    log.close()
    write_rows(opts.out / "expected.csv",
               ("record_id", "expected", "expected_sex", "expected_citizenship"), expected)
    counts: dict[str, object] = {"records": n, "unknown_status": sum(
        1 for e in expected if e[1] == "unknown"), "damage": dict(log.counts)}
    write_meta(opts, "vocab", counts)
    return counts
