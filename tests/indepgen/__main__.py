"""CLI: ``python -m tests.indepgen DATASET --size small --seed 7 --out DIR``."""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from .csvio import HEADER_STYLES, NAME_LAYOUTS
from .damage import DAMAGE_CLASSES, DamageRates
from .options import Options

DATASETS = ("linkage", "dedupe", "reconcile", "inquiries", "vocab")
Generator = Callable[[Options], dict[str, object]]


def _generators() -> dict[str, Generator]:
    gens: dict[str, Generator] = {}
    for name in DATASETS:
        try:
            module = importlib.import_module(f"{__package__}.{name}")
        except ImportError:  # pragma: no cover - a dataset still being written
            continue
        gens[name] = module.generate
    return gens


def _rate(text: str) -> tuple[str, float]:
    name, _, value = text.partition("=")
    if name not in DAMAGE_CLASSES:
        raise argparse.ArgumentTypeError(f"unknown damage class {name!r}")
    return name, float(value)


def main(argv: list[str] | None = None) -> int:
    gens = _generators()
    ap = argparse.ArgumentParser(prog="python -m tests.indepgen", description=__doc__)
    ap.add_argument("dataset", choices=[*sorted(gens), "all"],
                    help="one dataset, or all of them into DIR/<dataset>/")
    ap.add_argument("--size", default="small", choices=("tiny", "small", "medium", "large"))
    ap.add_argument("--seed", type=int, required=True,
                    help="0-99: evaluation only (never tune on them); >= 1000: tuning")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--header-style", default="canonical", choices=HEADER_STYLES)
    ap.add_argument("--name-layout", default="split", choices=NAME_LAYOUTS,
                    help="split columns, one full-name column (ПІБ/ФИО), or mixed by side")
    ap.add_argument("--damage-scale", type=float, default=1.0,
                    help="multiply every damage rate")
    ap.add_argument("--rate", type=_rate, action="append", default=[], metavar="CLASS=P",
                    help="set one damage class's rate (repeatable)")
    ap.add_argument("--left-damage", type=float, default=0.5,
                    help="our side's rates relative to the other side's")
    ap.add_argument("--match-fraction", type=float, default=0.6)
    ap.add_argument("--hard-fraction", type=float, default=0.05)
    a = ap.parse_args(argv)
    rates = DamageRates().scaled(a.damage_scale).with_overrides(dict(a.rate))
    opts = Options(seed=a.seed, out=a.out, size=a.size, header_style=a.header_style,
                   name_layout=a.name_layout, rates=rates, left_damage=a.left_damage,
                   match_fraction=a.match_fraction, hard_fraction=a.hard_fraction)
    names = sorted(gens) if a.dataset == "all" else [a.dataset]
    for name in names:
        t0 = time.perf_counter()
        out = a.out / name if a.dataset == "all" else a.out
        counts = gens[name](replace(opts, out=out))
        summary: dict[str, object] = {"dataset": name}
        summary.update((k, v) for k, v in counts.items() if k != "damage")
        summary["seconds"] = round(time.perf_counter() - t0, 1)
        sys.stdout.write(json.dumps(summary, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
