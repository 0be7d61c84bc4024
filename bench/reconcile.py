"""Reconciliation on independently generated data (``tests/indepgen reconcile``).

    .venv/bin/python bench/reconcile.py --seed 1000 [--size small] [--no-resolve]

Generates a list, a registry and the other side's answer with the independent generator,
resolves the registry into persons (``parley.adapters.linkage.dedupe`` at the auto-accept
threshold, as a workspace's resolution would), maps every registry record of a listed person to
its entry, reconciles the answer and scores each row against ``answer_truth.csv``: the share of
rows classified correctly, the share left doubtful and the precision of ``confirmed``. Seeds
0–99 are for evaluation only; tune on seeds ≥ 1000.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from parley.domain.identity import AUTO_ACCEPT

ROOT = Path(__file__).resolve().parent.parent


def _generate(size: str, seed: int, out: Path) -> None:
    subprocess.run([sys.executable, "-m", "tests.indepgen", "reconcile", "--size", size,
                    "--seed", str(seed), "--out", str(out)],
                   check=True, cwd=ROOT, capture_output=True)  # fmt: skip


def _persons(registry: pd.DataFrame, list_keys: set[str]) -> dict[str, str]:
    """Registry record id → the list entry of the same resolved person."""
    from parley.adapters.linkage import dedupe

    clusters = dedupe(registry, threshold=AUTO_ACCEPT).clusters
    assert clusters is not None
    cluster_of = dict(zip(clusters["record_id"].astype(str), clusters["cluster_id"].astype(str),
                          strict=True))  # fmt: skip
    entry_of_cluster = {cluster_of[k]: k for k in list_keys if k in cluster_of}
    return {rid: entry_of_cluster[c] for rid, c in cluster_of.items() if c in entry_of_cluster}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--size", default="small")
    parser.add_argument("--no-resolve", action="store_true",
                        help="no resolved persons: only a record named by an entry is the entry")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--show", action="store_true", help="print each wrong row (tuning seeds)")
    args = parser.parse_args()
    from parley.services.reconciliation import read_answer, reconcile_rows

    out = (args.workdir or Path(tempfile.mkdtemp(prefix="parley-rec-"))) / f"rec_{args.seed}"
    if not (out / "answer.csv").exists():
        _generate(args.size, args.seed, out)
    t0 = time.perf_counter()
    lst = pd.read_csv(out / "list.csv", dtype=str).fillna("")
    reg = pd.read_csv(out / "registry.csv", dtype=str).fillna("")
    keys = set(lst["record_id"])
    same = {k: k for k in keys} if args.no_resolve else _persons(reg, keys)
    result = reconcile_rows(
        list_rows={r["record_id"]: dict(r) for r in lst.to_dict("records")},
        registry_rows={r["record_id"]: dict(r) for r in reg.to_dict("records")},
        answer=read_answer(out / "answer.csv"), same_person=same,
    )
    wall = time.perf_counter() - t0
    truth = pd.read_csv(out / "answer_truth.csv", dtype=str).fillna("")
    expected = {int(r["answer_row"]): r for r in truth.to_dict("records")}
    rows = [r for r in result.rows if r.line is not None]
    first_line = min(r.line for r in rows if r.line is not None)
    right = doubtful = confirmed = confirmed_right = 0
    for r in rows:
        want = expected[(r.line or 0) - first_line + 1]
        ok = r.outcome == want["expected"]
        if ok and r.outcome in ("confirmed", "duplicate") and want["entry_record_id"]:
            ok = r.entry_key == want["entry_record_id"] or r.outcome == "duplicate"
        right += ok
        if args.show and not ok:
            print(f"# line {r.line}: {r.outcome} (want {want['expected']} "
                  f"{want['entry_record_id'] or want['registry_record_id']}) {r.reason}",
                  file=sys.stderr)
        doubtful += r.outcome == "doubtful"
        if r.outcome == "confirmed":
            confirmed += 1
            confirmed_right += ok
    omitted = set(pd.read_csv(out / "not_mentioned.csv", dtype=str).iloc[:, 0])
    reported = {r.entry_key for r in result.rows if r.outcome == "not_mentioned"}
    print(f"| seed {args.seed} {args.size} | {'no persons' if args.no_resolve else 'resolved'} | "
          f"{len(rows)} | {right / len(rows):.1%} | {doubtful / len(rows):.1%} | "
          f"{confirmed_right / max(1, confirmed):.4f} | "
          f"{len(omitted & reported)}/{len(omitted)} | {wall:.0f} s |")  # fmt: skip


if __name__ == "__main__":
    main()
