"""Generated exchange scenarios: planner candidates, and the other side's answer to a list.

Only synthetic people. The planner needs no names, only the facts the priority rules read; the
reconciliation scenario needs names, which come from the project's person generator.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from parley.domain.plan import Candidate

_EPOCH_CAPTURE = date(2014, 3, 1)
_CAPTURE_SPAN = (date(2025, 6, 1) - _EPOCH_CAPTURE).days


def candidates(
    n: int,
    *,
    seed: int,
    prefix: str,
    wounded_share: float = 0.05,
    civilian_share: float = 0.3,
    confirmed_share: float = 0.9,
) -> list[Candidate]:
    """``n`` candidates with random facts; ids ``{prefix}-{i:06d}``."""
    rng = random.Random(seed)
    out: list[Candidate] = []
    for i in range(n):
        civilian = rng.random() < civilian_share
        capture = _EPOCH_CAPTURE + timedelta(days=rng.randrange(_CAPTURE_SPAN))
        age = rng.randint(18, 70 if civilian else 60)
        birth = date(2025 - age, rng.randint(1, 12), rng.randint(1, 28))
        out.append(Candidate(
            record_id=f"{prefix}-{i:06d}",
            category="civilian" if civilian else "military",
            seriously_wounded=rng.random() < wounded_share,
            captivity_start=capture if rng.random() > 0.02 else None,
            birth_date=birth if rng.random() > 0.02 else None,
            confirmed=rng.random() < confirmed_share,
        ))
    return out


CANDIDATE_COLUMNS = (
    "record_id", "category", "seriously_wounded", "captivity_start", "birth_date", "confirmed",
)


def candidate_rows(people: Sequence[Candidate]) -> list[dict[str, str]]:
    """CSV rows in the planner's input format."""
    return [
        {
            "record_id": c.record_id,
            "category": c.category,
            "seriously_wounded": "true" if c.seriously_wounded else "false",
            "captivity_start": c.captivity_start.isoformat() if c.captivity_start else "",
            "birth_date": c.birth_date.isoformat() if c.birth_date else "",
            "confirmed": "true" if c.confirmed else "false",
        }
        for c in people
    ]


@dataclass(frozen=True, slots=True)
class _Unused:
    """Placeholder keeping the dataclass import used until the reconciliation scenario lands."""
