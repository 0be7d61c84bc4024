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


# ------------------------------------------------------------------ the other side's answer

TRUTH_CLASSES = ("confirmed", "unknown", "registry_not_on_list", "duplicate")


@dataclass(frozen=True, slots=True)
class CounterpartScenario:
    """Our list, the rest of our registry, the other side's answer, and the truth about it.

    ``list_rows`` and ``registry_rows`` are canonical rows (Ukrainian Cyrillic, light noise);
    ``answer_rows`` are the other side's rows with Russian headers (names in Russian forms or
    Latin transliterations, dotted dates, typos); ``truth[line]`` is ``(class, list key)`` for
    the answer row on that file line (2 = first data row); ``omitted`` are the list keys the
    answer never mentions.
    """

    list_rows: list[dict[str, str]]
    registry_rows: list[dict[str, str]]
    answer_rows: list[dict[str, str]]
    truth: dict[int, tuple[str, str | None]]
    omitted: frozenset[str]


def counterpart_scenario(
    n_list: int,
    *,
    seed: int,
    n_registry: int | None = None,
    unknown_share: float = 0.08,
    registry_share: float = 0.05,
    duplicate_share: float = 0.04,
    omission_share: float = 0.05,
    lookalike_share: float = 0.1,
) -> CounterpartScenario:
    """A generated answer: most of our list confirmed, some omitted, some rows twice, some people
    on our registry but not on this list, and some nobody here ever listed."""
    from parley.synth.linkage import render_canonical
    from parley.synth.people import Person, population
    from parley.synth.sources import counterpart_rows

    rng = random.Random(seed)
    n_reg = n_registry if n_registry is not None else n_list
    n_unknown = round(unknown_share * n_list)
    people = population(n_list + n_reg + n_unknown, rng, lookalike_share=lookalike_share)
    rng.shuffle(people)
    listed, registry, strangers = (people[:n_list], people[n_list:n_list + n_reg],
                                   people[n_list + n_reg:])
    list_rows = [render_canonical(p, record_id=f"E{i:06d}", source="list", rng=rng, heavy=False)
                 for i, p in enumerate(listed, 1)]
    registry_rows = [render_canonical(p, record_id=f"S{i:06d}", source="registry", rng=rng,
                                      heavy=False) for i, p in enumerate(registry, 1)]
    key_of = {p.person_id: row["record_id"] for p, row in zip(listed, list_rows, strict=True)}
    omitted = {p.person_id for p in rng.sample(listed, round(omission_share * n_list))}
    answer: list[tuple[Person, str, str | None]] = []  # (person, class, list key)
    for p in listed:
        if p.person_id not in omitted:
            answer.append((p, "confirmed", key_of[p.person_id]))
    for p in rng.sample(registry, min(n_reg, round(registry_share * n_list))):
        answer.append((p, "registry_not_on_list", None))
    for p in strangers:
        answer.append((p, "unknown", None))
    rng.shuffle(answer)
    seen_first = list(answer)
    for p, cls, key in rng.sample(
        [a for a in seen_first if a[1] == "confirmed"],
        round(duplicate_share * n_list),
    ):
        # a second row for the same person, spelled independently, later in the file
        at = rng.randrange(seen_first.index((p, cls, key)) + 1, len(answer) + 1)
        answer.insert(at, (p, "duplicate", key))
    rows: list[dict[str, str]] = []
    truth: dict[int, tuple[str, str | None]] = {}
    for line, (person, cls, key) in enumerate(answer, start=2):
        rows.append(counterpart_rows(person, rng, f"RU-{line - 1:06d}"))
        truth[line] = (cls, key)
    return CounterpartScenario(
        list_rows=list_rows, registry_rows=registry_rows, answer_rows=rows, truth=truth,
        omitted=frozenset(key_of[pid] for pid in omitted),
    )
