"""Fast draws from ``random.Random`` (one ``random()`` call each; the generator makes
millions of them for the 1,000,000-record side)."""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def pick(rng: random.Random, seq: Sequence[T]) -> T:
    return seq[int(rng.random() * len(seq))]


def below(rng: random.Random, n: int) -> int:
    return int(rng.random() * n)


def between(rng: random.Random, a: int, b: int) -> int:
    """An integer in [a, b], both ends included."""
    return a + int(rng.random() * (b - a + 1))


def weighted(rng: random.Random, keys: Sequence[T], cum: Sequence[float]) -> T:
    return keys[bisect(cum, rng.random() * cum[-1])]
