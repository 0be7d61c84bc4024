"""The bulk path (`NameBatch`, `compare_many`) scores exactly as `compare_names` does."""

from __future__ import annotations

import random
from pathlib import Path

from parley.names import SAME_THRESHOLD, NameBatch, compare_many, compare_names

DATA = Path(__file__).parent / "data"


def _table_pairs() -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for table in ("true_pairs.tsv", "false_pairs.tsv", "hard_true_pairs.tsv",
                  "hard_false_pairs.tsv"):
        for line in (DATA / table).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                a, b, _ = line.split("\t")
                pairs.append((a, b))
    return pairs


def test_batch_scores_equal_compare_names_on_tables_and_random_pairs() -> None:
    pairs = _table_pairs()
    names = sorted({n for pair in pairs for n in pair} | {"Kovalov", "Sasha", "", "O. M. Kovalov"})
    rng = random.Random(3)
    pairs += [(rng.choice(names), rng.choice(names)) for _ in range(5000)]
    pairs += [(b, a) for a, b in pairs[:200]]
    index = {name: i for i, name in enumerate(names)}
    batch = NameBatch(names)
    scores = batch.scores([index[a] for a, _ in pairs], [index[b] for _, b in pairs])
    expected = [compare_names(a, b).score for a, b in pairs]
    mismatched = [
        (a, b, float(got), want)
        for (a, b), got, want in zip(pairs, scores.tolist(), expected, strict=True)
        if got != want
    ]
    assert not mismatched, mismatched[:5]
    assert ((scores >= SAME_THRESHOLD).sum()) > 300  # the true pairs are in there


def test_compare_many_on_strings() -> None:
    scores = compare_many([("Oleksandr Kovalov", "Александр Ковалёв"),
                           ("Oleksandr Kovalov", "Oleksii Kovalov"),
                           ("Kovalov Oleksandr", "Oleksandr Kovalov")])
    assert scores.tolist()[0] == 1.0
    assert scores.tolist()[1] < SAME_THRESHOLD
    assert scores.tolist()[2] >= SAME_THRESHOLD
    assert compare_many([]).shape == (0,)
