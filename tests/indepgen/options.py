"""Options shared by every dataset: seed, output folder, header style, damage rates."""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .damage import DamageRates
from .people import HARD_KINDS, Person, common_person, new_person, relative
from .rand import pick
from .records import LEFT, RIGHT, Profile


@dataclass(frozen=True, slots=True)
class Options:
    seed: int
    out: Path
    size: str = "small"
    header_style: str = "canonical"
    name_layout: str = "split"
    rates: DamageRates = field(default_factory=DamageRates)
    left_damage: float = 0.5  # our side's files are cleaner: its rates are scaled by this
    match_fraction: float = 0.6
    hard_fraction: float = 0.05  # hard negatives per left person
    common_fraction: float = 0.01  # very common names with no date and no number

    def profiles(self) -> tuple[Profile, Profile]:
        left = Profile(LEFT.source, LEFT.form_uk, LEFT.form_ru, LEFT.date_styles, LEFT.lang,
                       self.rates.scaled(self.left_damage))
        right = Profile(RIGHT.source, RIGHT.form_uk, RIGHT.form_ru, RIGHT.date_styles,
                        RIGHT.lang, self.rates)
        return left, right


class DamageLog:
    """Counts damage classes and writes ``damage.csv``: record_id, person_id, relation (how a
    look-alike was made: twin, brother, father, son, namesake, common) and the classes."""

    def __init__(self, path: Path) -> None:
        self.counts: Counter[str] = Counter()
        self._fh = path.open("w", encoding="utf-8", newline="")
        self._fh.write("record_id,person_id,relation,damage\n")

    def add(self, record_id: str, p: Person, log: list[str]) -> None:
        self.counts.update(log)
        self._fh.write(f"{record_id},{p.pid},{p.relation},{';'.join(log)}\n")

    def close(self) -> None:
        self._fh.close()


def hard_negative(rng: random.Random, p: Person, pid: int) -> Person:
    kind = pick(rng, HARD_KINDS)
    if p.sex == "F" and kind in ("father", "son", "brother"):
        kind = "twin"
    return relative(rng, p, pid, kind)


def fresh(rng: random.Random, pid: int) -> Person:
    return new_person(rng, pid)


def common(rng: random.Random, pid: int) -> Person:
    return common_person(rng, pid)


def write_meta(opts: Options, name: str, counts: dict[str, object]) -> None:
    meta = {
        "dataset": name, "seed": opts.seed, "size": opts.size,
        "header_style": opts.header_style, "name_layout": opts.name_layout,
        "left_damage": opts.left_damage, "match_fraction": opts.match_fraction,
        "rates": asdict(opts.rates), **counts,
    }
    (opts.out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1),
                                        encoding="utf-8")
