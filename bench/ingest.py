"""Ingest benchmark: a 1,000,000-row CSV into a fresh SQLite workspace; rows per second and peak
memory.

    python bench/ingest.py                    # 1,000,000 rows
    python bench/ingest.py --rows 100000      # quicker
    python bench/ingest.py --keep DIR         # keep the CSV and the database in DIR

The file is written by the synthetic generator (canonical-schema rows: Ukrainian, Russian-form
and Latin names, partial dates, numbers with OCR slips) with 1 % deliberately malformed rows, so
validation and quarantine are on the measured path. The import runs in a child process, so its
resident memory is the import's alone; the child notes its resident memory (current and peak)
at 10 %, 25 %, 50 %, 75 % and 100 % of the rows, so a reader sees whether memory levels off, and
the CPU time beside the wall time (on a shared machine the wall time mostly measures waiting).
The file is also imported a second time to time the "adds nothing" path.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from parley.domain.records import CANONICAL_FIELDS
from parley.synth.linkage import render_canonical
from parley.synth.people import population


def write_csv(path: Path, rows: int, seed: int = 1) -> int:
    """Stream ``rows`` canonical rows to ``path``; returns how many are malformed on purpose."""
    rng = random.Random(seed)
    people = population(min(rows, 100_000), rng)
    bad = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(CANONICAL_FIELDS))
        writer.writeheader()
        for i in range(rows):
            row = render_canonical(people[i % len(people)], record_id=f"B{i:08d}",
                                   source="bench", rng=rng, heavy=i % 2 == 1)
            if i % 100 == 50:
                row["birth_date"] = "31.02.1990"
                bad += 1
            writer.writerow(row)
    return bad


CHECKPOINTS = (0.1, 0.25, 0.5, 0.75, 1.0)


def rss_mb() -> tuple[float, float]:
    """(current, peak) resident memory of this process in MB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return peak, peak
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20, peak


def names_cache_entries() -> int | None:
    """Entries held in ``parley.names``'s caches (each bounded by that package): they, not
    ingest, are what grows once the import is under way."""
    import importlib
    import pkgutil

    import parley.names

    total = 0
    for info in pkgutil.iter_modules(parley.names.__path__):
        module = importlib.import_module(f"parley.names.{info.name}")
        for value in vars(module).values():
            cache_info = getattr(value, "cache_info", None)
            if cache_info is not None and getattr(value, "__module__", "") == module.__name__:
                total += int(cache_info().currsize)
    return total


def ingest_child(database: Path, path: Path, rows: int) -> None:
    """Runs in the child: init a workspace, import twice, print one JSON line of figures."""
    from parley.adapters.sql.store import Store
    from parley.config import Settings
    from parley.domain.actors import LOCAL_OPERATOR
    from parley.services.ingest import ingest_file
    from parley.services.setup import init_workspace
    from parley.services.workspace import Workspace

    settings = Settings(database_url=f"sqlite:///{database}", data_dir=database.parent)
    ws = Workspace(store=Store.from_url(settings.effective_database_url), settings=settings)
    init_workspace(ws, actor=LOCAL_OPERATOR)
    marks = [max(int(rows * share), 1) for share in CHECKPOINTS]
    memory: list[dict[str, float | int | None]] = []
    started, cpu_started = time.perf_counter(), time.process_time()

    def progress(_stage: str, done: int, _expected: int | None) -> None:
        if marks and done >= marks[0]:
            while marks and done >= marks[0]:
                marks.pop(0)
            current, peak = rss_mb()
            memory.append({"rows": done, "rss_mb": current, "peak_rss_mb": peak,
                           "cpu_seconds": time.process_time() - cpu_started,
                           "seconds": time.perf_counter() - started,
                           "names_cache": names_cache_entries()})

    report = ingest_file(ws, actor=LOCAL_OPERATOR, path=path, source="bench", agency="MOD",
                         reliability="B2", progress=progress)
    first, first_cpu = time.perf_counter() - started, time.process_time() - cpu_started
    started = time.perf_counter()
    again = ingest_file(ws, actor=LOCAL_OPERATOR, path=path, source="bench", agency="MOD")
    second = time.perf_counter() - started
    figures = {
        "read": report.read, "imported": report.imported, "quarantined": report.quarantined,
        "seconds": first, "cpu_seconds": first_cpu, "reimport_seconds": second,
        "reimport_duplicates": again.duplicates,
        "reimport_imported": again.imported,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "memory": memory,
    }
    print(json.dumps(figures))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, default=None, help="folder to keep files in")
    parser.add_argument("--child", nargs=2, metavar=("DB", "CSV"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        ingest_child(Path(args.child[0]), Path(args.child[1]), args.rows)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        path, database = folder / "bench_ingest.csv", folder / "bench_ingest.db"
        for stale in folder.glob("bench_ingest.db*"):
            stale.unlink()
        started = time.perf_counter()
        bad = write_csv(path, args.rows)
        size_mb = path.stat().st_size / 2**20
        print(f"wrote {args.rows:,} rows ({size_mb:,.0f} MB, {bad:,} malformed on purpose) in "
              f"{time.perf_counter() - started:,.1f} s")
        load_before = os.getloadavg()[0]
        child = subprocess.run([sys.executable, __file__, "--rows", str(args.rows), "--child",
                                str(database), str(path)],
                               capture_output=True, text=True, check=True)
        figures = json.loads(child.stdout.strip().splitlines()[-1])
        rate = figures["read"] / figures["seconds"]
        print(f"ingest: {figures['read']:,} rows read, {figures['imported']:,} imported, "
              f"{figures['quarantined']:,} quarantined in {figures['seconds']:,.1f} s "
              f"= {rate:,.0f} rows/s")
        print(f"  CPU time {figures['cpu_seconds']:,.1f} s = "
              f"{figures['read'] / figures['cpu_seconds']:,.0f} rows per CPU-second; load "
              f"average {load_before:.1f} before and {os.getloadavg()[0]:.1f} after, on "
              f"{os.cpu_count()} cores (the wall time includes waiting for the CPU and for fsync)")
        print("  rows done   CPU s    wall s   RSS now   RSS peak   names cache entries")
        for mark in figures["memory"]:
            print(f"  {mark['rows']:>9,} {mark['cpu_seconds']:>7,.1f} {mark['seconds']:>9,.1f} "
                  f"{mark['rss_mb']:>6,.0f} MB {mark['peak_rss_mb']:>7,.0f} MB   "
                  f"{mark['names_cache'] if mark['names_cache'] is not None else '-'}")
        print(f"re-import: {figures['reimport_duplicates']:,} duplicates, "
              f"{figures['reimport_imported']} imported in {figures['reimport_seconds']:,.1f} s")
        print(f"peak memory of the import process (ru_maxrss): {figures['peak_rss_mb']:,.0f} MB")
        print(f"database size: {database.stat().st_size / 2**20:,.0f} MB")


if __name__ == "__main__":
    main()
