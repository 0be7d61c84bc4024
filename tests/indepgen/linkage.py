"""The ``linkage`` dataset: left.csv × right.csv, truth.csv of every true pair."""

from __future__ import annotations

import random
from collections import Counter

from .csvio import RecordWriter, side_layout, side_style, write_rows
from .options import DamageLog, Options, common, fresh, hard_negative, write_meta
from .people import Person
from .records import render

SIZES = {"tiny": (300, 300), "small": (2_000, 2_000), "medium": (20_000, 50_000),
         "large": (10_000, 1_000_000)}


def generate(opts: Options) -> dict[str, object]:
    n_left, n_right = SIZES[opts.size]
    rng = random.Random(opts.seed)
    opts.out.mkdir(parents=True, exist_ok=True)
    left_pr, right_pr = opts.profiles()
    log = DamageLog(opts.out / "damage.csv")
    pid = 0
    left: list[Person] = []
    n_common = max(2, int(n_left * opts.common_fraction))
    for i in range(n_left):
        left.append(common(rng, pid) if i < n_common else fresh(rng, pid))
        pid += 1
    rng.shuffle(left)
    n_match = round(n_left * opts.match_fraction)
    matched = set(rng.sample(range(n_left), n_match))
    n_hard = min(int(n_left * opts.hard_fraction), max(0, n_right - n_match))
    hard = [hard_negative(rng, left[i], 10**8 + k)
            for k, i in enumerate(rng.sample(range(n_left), n_hard))]
    n_rcommon = min(max(2, int(n_right * opts.common_fraction / 4)),
                    max(0, n_right - n_match - n_hard))
    rcommon = [common(rng, 2 * 10**8 + k) for k in range(n_rcommon)]
    specials: list[Person | int] = [*sorted(matched), *hard, *rcommon]
    if len(specials) > n_right:
        raise ValueError("right side too small for the matched persons")
    positions = rng.sample(range(n_right), len(specials))
    rng.shuffle(specials)
    at = dict(zip(positions, specials, strict=True))

    truth: list[tuple[str, str]] = []
    left_ids: dict[int, str] = {}
    style_l, style_r = side_style(opts.header_style, "left"), side_style(opts.header_style, "right")
    lay_l, lay_r = side_layout(opts.name_layout, "left"), side_layout(opts.name_layout, "right")
    with RecordWriter(opts.out / "left.csv", style_l, lay_l) as w:
        for i, p in enumerate(left):
            rid = f"L{i + 1:06d}"
            left_ids[i] = rid
            rec, dlog = render(rng, p, left_pr)
            rec["record_id"] = rid
            w.write(rec)
            log.add(rid, p, dlog)
    relations: Counter[str] = Counter()
    with RecordWriter(opts.out / "right.csv", style_r, lay_r) as w:
        for j in range(n_right):
            rid = f"R{j + 1:07d}"
            spec = at.get(j)
            if isinstance(spec, int):
                p = left[spec]
                truth.append((left_ids[spec], rid))
            elif spec is not None:
                p = spec
                relations[p.relation] += 1
            else:
                p = fresh(rng, pid)
                pid += 1
            rec, dlog = render(rng, p, right_pr)
            rec["record_id"] = rid
            w.write(rec)
            log.add(rid, p, dlog)
    log.close()
    truth.sort()
    write_rows(opts.out / "truth.csv", ("left_id", "right_id"), truth)
    counts: dict[str, object] = {
        "left": n_left, "right": n_right, "true_pairs": len(truth),
        "hard_negatives": dict(relations), "damage": dict(log.counts),
    }
    write_meta(opts, "linkage", counts)
    return counts
