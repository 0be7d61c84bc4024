"""Stage planner benchmark: 20,000 candidates a side, 5 stages, solved to optimality.

Prints the wall time of the whole plan (ranking, both solves, assignment, constraint check) for
plain parity and for parity per category. Target: under 10 s.
"""

from __future__ import annotations

import time

from parley.services.planning import plan_exchange
from parley.synth.exchange import candidates


def main() -> None:
    cands = {
        "give": candidates(20_000, seed=101, prefix="G"),
        "receive": candidates(20_000, seed=202, prefix="R"),
    }
    for parity in (False, True):
        started = time.perf_counter()
        result = plan_exchange(cands, stages=5, max_per_stage=3_000, category_parity=parity)
        elapsed = time.perf_counter() - started
        label = "category parity" if parity else "parity"
        print(
            f"plan 20,000 a side x 5 stages ({label}): {result.exchanged} a side, "
            f"{result.status}, gap {result.mip_gap:.1g}, solver {result.solve_seconds:.2f} s, "
            f"total {elapsed:.2f} s"
        )


if __name__ == "__main__":
    main()
