"""Benchmark ``parley resolve`` (the workspace form) on ``parley synth`` data.

Generates the six agency files for N synthetic persons, ingests them into a fresh SQLite
workspace, resolves (optionally in two steps, to time an incremental run), and prints timings and
pairwise precision / recall / F1 of the resulting persons against ``truth.csv``.

    python bench/resolve.py --people 2000
    python bench/resolve.py --people 500 --incremental   # last two files in a second run
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

from sqlalchemy import select

from parley.adapters.sql.store import Store
from parley.adapters.sql.tables import Source, SourceRecord
from parley.config import Settings
from parley.domain.actors import LOCAL_OPERATOR
from parley.services.ingest import ingest_file
from parley.services.resolution import resolve_identities
from parley.services.setup import init_workspace
from parley.services.workspace import Workspace


def _pairs(groups: dict[object, list[tuple[str, str]]]) -> set[tuple[tuple[str, str], ...]]:
    return {pair for g in groups.values() for pair in combinations(sorted(g), 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--engine", default="duckdb")
    parser.add_argument("--incremental", action="store_true")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="parley-bench-resolve-"))
    synth = work / "synth"
    subprocess.run([sys.executable, "-c", "from parley.interfaces.cli.main import run; run()",
                    "synth", "--people", str(args.people), "--out", str(synth), "--seed",
                    str(args.seed)], check=True, capture_output=True)
    settings = Settings(database_url=f"sqlite:///{work / 'parley.db'}", data_dir=work,
                        secret_key="bench")
    ws = Workspace(store=Store.from_url(settings.effective_database_url), settings=settings)
    init_workspace(ws, actor=LOCAL_OPERATOR)
    files = json.loads((synth / "manifest.json").read_text(encoding="utf-8"))["files"]

    def ingest(batch: list[dict[str, str]]) -> None:
        for f in batch:
            ingest_file(ws, actor=LOCAL_OPERATOR, path=synth / f["file"], source=f["source"],
                        agency=f["agency"], reliability=f["reliability"],
                        classification=f["classification"])

    steps = [files[:-2], files[-2:]] if args.incremental else [files]
    for i, batch in enumerate(steps):
        ingest(batch)
        started = time.monotonic()
        report = resolve_identities(ws, actor=LOCAL_OPERATOR, engine=args.engine)
        label = "first run" if i == 0 else "incremental run"
        print(f"{label}: {time.monotonic() - started:.1f} s — {report.new_records} new records, "
              f"{report.records} records, {report.persons} persons, {report.links} links, "
              f"{report.pairs_compared} pairs compared, {report.in_review_band} in review band, "
              f"{report.conflicts_open} conflicts open, {report.verified} verified")

    truth: dict[tuple[str, str], str] = {}
    with (synth / "truth.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            truth[(row["source"], row["record_id"])] = row["person_id"]
    with ws.store.reading() as tx:
        rows = tx.execute(select(SourceRecord.record_key, Source.name, SourceRecord.person_id)
                          .join(Source, Source.id == SourceRecord.source_id)).all()
    predicted: dict[object, list[tuple[str, str]]] = defaultdict(list)
    actual: dict[object, list[tuple[str, str]]] = defaultdict(list)
    for key, source, person_id in rows:
        true_person = truth.get((source, key))
        if true_person is not None:
            predicted[person_id].append((source, key))
            actual[true_person].append((source, key))
    p_pairs, t_pairs = _pairs(predicted), _pairs(actual)
    hit = len(p_pairs & t_pairs)
    precision = hit / len(p_pairs) if p_pairs else 1.0
    recall = hit / len(t_pairs) if t_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"people {args.people}: records {len(rows)}, persons {len(predicted)} (true "
          f"{len(actual)}), pairwise precision {precision:.4f}, recall {recall:.4f}, "
          f"F1 {f1:.4f}, peak memory {peak:.0f} MiB")


if __name__ == "__main__":
    main()
