"""Start-up cost of the command line: CPU seconds of `parley --help` and `parley names compare`
against `python -c pass`, in the same run (each the median of several runs, children's
user + system CPU from getrusage, so a busy machine changes little).

    python bench/cli.py [--runs 7]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import time

PARLEY = [sys.executable, "-c", "from parley.interfaces.cli.main import run; run()"]
CASES: dict[str, list[str]] = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "parley --help": [*PARLEY, "--help"],
    "parley names compare A B": [*PARLEY, "names", "compare", "Коваленко Олександр Петрович",
                                 "KOVALENKO Oleksandr"],
    "parley lists --help": [*PARLEY, "lists", "--help"],
}


def cpu_of(argv: list[str]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one run of ``argv``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}; parley at {shutil.which('parley') or 'module'}; "
          f"median of {args.runs} runs")
    print(f"{'command':<28} {'CPU s':>7} {'wall s':>7} {'CPU over python':>16}")
    base = 0.0
    for label, argv in CASES.items():
        cpu_of(argv)  # warm the file cache
        runs = [cpu_of(argv) for _ in range(args.runs)]
        cpu = statistics.median(c for c, _ in runs)
        wall = statistics.median(w for _, w in runs)
        if label == "python -c pass":
            base = cpu
        print(f"{label:<28} {cpu:>7.3f} {wall:>7.3f} {cpu - base:>16.3f}")


if __name__ == "__main__":
    main()
