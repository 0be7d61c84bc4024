"""In-memory canonical-schema record pairs with ground truth, for the linkage benchmark.

``linkage_pair(n_left, n_right, overlap, seed, lookalike_share=0.2)`` returns
``LinkagePair(left, right, truth)``:

- ``left``: ``n_left`` rows (``dict[str, str]`` keyed by ``CANONICAL_FIELDS``), one per person,
  Ukrainian Cyrillic with light noise, like an agency's own register;
- ``right``: ``n_right`` rows, one per person: ``round(overlap * n_left)`` of the left persons
  plus new persons, spelled as the other side or a foreign registry would (Russian-form
  Cyrillic, Ukrainian Cyrillic, Latin in six romanisations), with typos, OCR slips in numbers,
  partial, swapped or year-off birth dates, missing fields, CAPS surnames and swapped name order;
- ``truth``: ``record_id → person_id`` for every row of both sides; ``truth.pairs(left, right)``
  gives the true ``(left_id, right_id)`` matches.

Look-alike pairs (namesakes, brothers, father and son, twins, sisters) are split at random
between the sides, so the right side holds hard negatives for left records.
``write_linkage_pair(out_dir, ...)`` writes ``left.csv``, ``right.csv`` and ``truth.csv``.
Deterministic for a seed; 1,000,000 right rows take well under a minute.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from parley.domain.records import CANONICAL_FIELDS
from parley.synth.noise import date_variant, ocr_slip, typo
from parley.synth.people import Person, population
from parley.synth.translit import in_system

Row = dict[str, str]
_DATE_KINDS = ("exact", "swap", "year_off", "year", "month", "missing")
_LATIN_FROM_RU = ("icao", "gost", "bgn", "english")
_LATIN_FROM_UA = ("ua_2010", "icao", "adhoc")


class Truth(dict[str, str]):
    """``record_id → person_id`` for generated rows."""

    def pairs(self, left: Iterable[Row], right: Iterable[Row]) -> set[tuple[str, str]]:
        """The true matches between two sides as ``(left_record_id, right_record_id)``."""
        by_person: dict[str, list[str]] = {}
        for row in left:
            by_person.setdefault(self[row["record_id"]], []).append(row["record_id"])
        out: set[tuple[str, str]] = set()
        for row in right:
            for left_id in by_person.get(self[row["record_id"]], ()):
                out.add((left_id, row["record_id"]))
        return out


class LinkagePair(NamedTuple):
    left: list[Row]
    right: list[Row]
    truth: Truth


def render_canonical(
    person: Person, *, record_id: str, source: str, rng: random.Random, heavy: bool
) -> Row:
    """One canonical row for ``person``; ``heavy`` adds the variation of foreign records."""
    roll = rng.random()
    if not heavy or roll < 0.35:
        family, given, patronymic = person.names("ua")
        form = "ua"
    elif roll < 0.65:
        family, given, patronymic = person.names("ru")
        form = "ru"
    else:
        form = "latin"
        if rng.random() < 0.5:
            system = rng.choice(_LATIN_FROM_RU)
            names = person.names("ru")
        else:
            system = rng.choice(_LATIN_FROM_UA)
            names = person.names("ua")
        family, given, patronymic = (in_system(n, system, rng) for n in names)
    typo_rate = 0.12 if heavy else 0.03
    if rng.random() < typo_rate:
        family = typo(family, rng)
    if rng.random() < typo_rate / 2:
        given = typo(given, rng)
    if heavy and rng.random() < 0.15:
        patronymic = ""
    if rng.random() < 0.1:
        family = family.upper()
    if heavy and rng.random() < 0.03:
        family, given = given, family
    if heavy:
        kind = rng.choices(_DATE_KINDS, weights=(70, 5, 5, 6, 4, 10))[0]
    else:
        kind = rng.choices(_DATE_KINDS, weights=(94, 1, 1, 1, 1, 2))[0]
    service_number = person.service_number if (not heavy or rng.random() < 0.5) else ""
    if service_number and rng.random() < (0.06 if heavy else 0.01):
        service_number = ocr_slip(service_number, rng)
    document = person.document_number if rng.random() < (0.3 if heavy else 0.6) else ""
    if document and heavy and rng.random() < 0.06:
        document = ocr_slip(document, rng)
    place_form = "ru" if form == "ru" else "ua"
    return {
        "record_id": record_id,
        "source": source,
        "family_name": family,
        "given_name": given,
        "patronymic": patronymic,
        "birth_date": date_variant(person.birth, rng, kind),
        "birth_place": person.place(place_form) if rng.random() < 0.6 else "",
        "sex": person.sex,
        "citizenship": "UKR",
        "military_unit": person.unit if rng.random() < 0.7 else "",
        "service_number": service_number,
        "rank": person.rank,
        "document_number": document,
        "status": person.status,
        "capture_date": person.capture_date.isoformat() if person.capture_date else "",
        "capture_place": person.capture(place_form) if person.capture_date else "",
        "notes": "",
    }


def linkage_pair(
    n_left: int,
    n_right: int,
    overlap: float,
    seed: int,
    lookalike_share: float = 0.2,
) -> LinkagePair:
    """Two canonical record sets and their truth; see the module docstring."""
    if not 0 <= overlap <= 1:
        raise ValueError("overlap must be between 0 and 1")
    matched = min(round(overlap * n_left), n_right)
    rng = random.Random(seed)
    people = population(n_left + n_right - matched, rng, lookalike_share=lookalike_share)
    rng.shuffle(people)
    left_people = people[:n_left]
    shared = rng.sample(left_people, matched)
    right_people = shared + people[n_left:]
    rng.shuffle(right_people)
    truth = Truth()
    left: list[Row] = []
    for i, person in enumerate(left_people, 1):
        record_id = f"L{i:07d}"
        left.append(render_canonical(person, record_id=record_id, source="left", rng=rng,
                                     heavy=False))
        truth[record_id] = person.person_id
    right: list[Row] = []
    for i, person in enumerate(right_people, 1):
        record_id = f"R{i:07d}"
        right.append(render_canonical(person, record_id=record_id, source="right", rng=rng,
                                      heavy=True))
        truth[record_id] = person.person_id
    return LinkagePair(left, right, truth)


def write_rows(path: Path, rows: Iterable[Row]) -> int:
    """Write canonical rows as a UTF-8 CSV with the canonical header; returns the row count."""
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(CANONICAL_FIELDS))
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def write_linkage_pair(
    out_dir: Path,
    n_left: int,
    n_right: int,
    overlap: float,
    seed: int,
    lookalike_share: float = 0.2,
) -> dict[str, Path]:
    """``left.csv``, ``right.csv`` (canonical columns) and ``truth.csv`` (record_id, person_id)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    pair = linkage_pair(n_left, n_right, overlap, seed, lookalike_share)
    paths = {name: out_dir / f"{name}.csv" for name in ("left", "right", "truth")}
    write_rows(paths["left"], pair.left)
    write_rows(paths["right"], pair.right)
    with paths["truth"].open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["side", "record_id", "person_id"])
        for record_id, person_id in pair.truth.items():
            writer.writerow(["left" if record_id.startswith("L") else "right", record_id,
                             person_id])
    return paths
