"""Benchmark of parley.names: normalising person records and comparing name pairs.

    .venv/bin/python bench/names.py [--records 1000000] [--pairs 1000000]

Synthetic records are drawn from pools of surname, given-name and patronymic spellings (Ukrainian
and Russian Cyrillic, several romanisations, typos), with a skewed (Zipf-like) frequency as in
real registries. Normalising caches per distinct string, so the figure is for a realistic mix of
repeats. Pairs are drawn the way a linkage engine asks for them: from one run's input
(100,000 records by default), two records sharing a blocking key (family_key), plus a share
of unblocked random pairs; both counts are printed. Each distinct name string is parsed once
(cached), as in a run.
Targets (issue 3): 1,000,000 records < 30 s, 1,000,000 pairs < 5 s, on one core.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections import defaultdict

from parley.names import SAME_THRESHOLD, NameBatch, compare_names, normalize_name, prepare_names
from parley.names.lexicon import lexicon
from parley.names.translit import romanize_as

STEMS = ["Ковал", "Шевч", "Бондар", "Мельнич", "Ткач", "Гнат", "Савч", "Лис", "Петр", "Олійн",
         "Білоус", "Грищ", "Журавл", "Кузнец", "Мартин", "Яков", "Сидор", "Юрч", "Кравч",
         "Марч", "Руд", "Клим", "Павл", "Гонч", "Литвин", "Захарч", "Остап", "Зінч", "Левч",
         "Тимош", "Гордій", "Пономар", "Кушнір", "Головч", "Приход", "Панч", "Онищ", "Кост",
         "Тарас", "Федор", "Стельмах", "Гуменюк", "Демч", "Сергій", "Соловй", "Воробй", "Фрол",
         "Орл", "Зайц", "Семен", "Смирн", "Лебед", "Богдан", "Чорновол", "Цибул", "Мороз"]
SUFFIXES = ["енко", "ук", "юк", "ов", "ова", "ський", "ська", "ин", "ина", "ак", "ець", "ич",
            "ко", "ишин", "ів", "ан"]
SYSTEMS = ("ua2010", "icao", "gost_b", "bgn", "english")


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def _spellings(cyrillic: list[str], rng: random.Random, per: int) -> list[str]:
    out: list[str] = []
    for word in cyrillic:
        out.append(word)
        for _ in range(per):
            roll = rng.random()
            if roll < 0.7:
                out.append(romanize_as(word, rng.choice(SYSTEMS), rng.choice(("uk", "ru"))))
            elif roll < 0.85:
                out.append(_typo(word, rng))
            else:
                out.append(word.upper())
    return out


def _zipf_pick(pool: list[str], rng: random.Random, n: int) -> list[str]:
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(pool))]
    return rng.choices(pool, weights=weights, k=n)


def build_records(n: int, rng: random.Random) -> list[tuple[str, str, str]]:
    lex = lexicon()
    surnames = _spellings([s + x for s in STEMS for x in SUFFIXES], rng, 6)
    given = [f for name in lex.names.values() for f in (*name.ua, *name.ru, *name.latin)]
    patronymics = [f for forms in lex.patronymic_forms.values() for f in sorted(forms)]
    rng.shuffle(surnames)
    rng.shuffle(given)
    rng.shuffle(patronymics)
    fam = _zipf_pick(surnames, rng, n)
    giv = _zipf_pick(given, rng, n)
    pat = _zipf_pick(patronymics, rng, n)
    return [
        (f, g, p if rng.random() < 0.7 else "") for f, g, p in zip(fam, giv, pat, strict=True)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--pairs", type=int, default=1_000_000)
    parser.add_argument("--random-share", type=float, default=0.1,
                        help="share of pairs drawn without blocking")
    parser.add_argument("--pair-records", type=int, default=100_000,
                        help="records the pairs are drawn from (a linkage run's input)")
    args = parser.parse_args()
    rng = random.Random(7)

    t0 = time.perf_counter()
    lexicon()
    t_lex = time.perf_counter() - t0
    records = build_records(args.records, rng)
    distinct = len(set(records))

    t0, c0 = time.perf_counter(), time.process_time()
    keys = [normalize_name(f, g, p) for f, g, p in records]
    t_norm, c_norm = time.perf_counter() - t0, time.process_time() - c0
    c0 = time.process_time()
    total = 0
    for i in range(10_000_000):
        total += i
    calibration = time.process_time() - c0
    print(f"lexicon built in {t_lex:.2f} s; load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores; a 10,000,000-step Python loop took {calibration:.2f} s CPU "
          f"(about 0.4 s on an idle modern core)")
    print(f"normalised {len(records):,} person records ({distinct:,} distinct) in {t_norm:.2f} s "
          f"wall, {c_norm:.2f} s CPU, on one core (target < 30 s)")

    # Pairs as blocking yields them: records sharing family_key; plus some random pairs.
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, k in enumerate(keys[: args.pair_records]):
        blocks[k.family_key].append(i)
    block_list = [b for b in blocks.values() if len(b) > 1]
    weights = [len(b) for b in block_list]
    names = [" ".join(x for x in (g, p, f) if x) for f, g, p in records[: args.pair_records]]
    n_random = int(args.pairs * args.random_share)
    left: list[int] = []
    right: list[int] = []
    for block in rng.choices(block_list, weights=weights, k=args.pairs - n_random):
        i, j = rng.sample(block, 2)
        left.append(i)
        right.append(j)
    for _ in range(n_random):
        left.append(rng.randrange(len(names)))
        right.append(rng.randrange(len(names)))
    pairs = [(names[i], names[j]) for i, j in zip(left, right, strict=True)]
    what = (f"{len(pairs):,} name pairs among {len(names):,} records ({len(pairs) - n_random:,} "
            f"within family-key blocks, {n_random:,} random)")

    # The bulk path, as a linkage engine calls it: the run's names once, then index pairs.
    t0, c0 = time.perf_counter(), time.process_time()
    batch = NameBatch(names)
    t_prep, c_prep = time.perf_counter() - t0, time.process_time() - c0
    print(f"prepared {len(set(names)):,} distinct full names of {len(names):,} records (parsed "
          f"and resolved once, as a linkage run does on loading) in {t_prep:.2f} s wall, "
          f"{c_prep:.2f} s CPU")
    t0, c0 = time.perf_counter(), time.process_time()
    scores = batch.scores(left, right)
    t_cmp, c_cmp = time.perf_counter() - t0, time.process_time() - c0
    same_bulk = int((scores >= SAME_THRESHOLD).sum())
    print(f"compared {what} with NameBatch.scores in {t_cmp:.2f} s wall, {c_cmp:.2f} s CPU, "
          f"on one core (target < 5 s); {same_bulk:,} judged the same")

    # One call per pair (`compare_names`), pair caches warm from the bulk run as in a review.
    prepare_names(names)
    t0, c0 = time.perf_counter(), time.process_time()
    same = sum(1 for a, b in pairs if compare_names(a, b).same)
    t_one, c_one = time.perf_counter() - t0, time.process_time() - c0
    print(f"compared the same {len(pairs):,} pairs one compare_names call each in "
          f"{t_one:.2f} s wall, {c_one:.2f} s CPU; {same:,} judged the same"
          f"{'' if same == same_bulk else ' (MISMATCH with the bulk path)'}")
    print(f"load average at the end {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
