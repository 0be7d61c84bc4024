"""Benchmark ``parley resolve`` (the workspace form) on ``parley synth`` data.

Generates the six agency files for enough synthetic persons to give about N records, ingests them
into a fresh SQLite workspace, then runs ``parley resolve`` as its own process (optionally in two
steps, to time an incremental run) and prints, per run, wall time, CPU time and peak resident
memory of that process alone (``os.wait4``), then pairwise precision / recall / F1 of the
resulting persons against ``truth.csv``.

    python bench/resolve.py --records 100000
    python bench/resolve.py --people 500 --incremental   # last two files in a second run
    python bench/resolve.py --records 1000000 --no-quality --workdir /tmp/resolve-1m

With ``--workdir`` the generated files and the ingested workspace are kept there and reused by
the next run of the same size and seed (synth and ingest of a million records take longer than
resolving them); each run resolves a fresh copy of the ingested database.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
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
from parley.domain.actors import LOCAL_OPERATOR, Role
from parley.services import accounts
from parley.services.ingest import ingest_file
from parley.services.setup import init_workspace
from parley.services.workspace import Workspace

# ``parley synth`` writes about this many records per person (six overlapping agency files).
RECORDS_PER_PERSON = 2.9
CLI = "from parley.interfaces.cli.main import run; run()"


def _pairs(groups: dict[object, list[tuple[str, str]]]) -> set[tuple[tuple[str, str], ...]]:
    return {pair for g in groups.values() for pair in combinations(sorted(g), 2)}


def _timed_resolve(env: dict[str, str], engine: str) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds and peak MiB of one ``parley resolve`` process, and its
    last lines of output."""
    started = time.monotonic()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen([sys.executable, "-c", CLI, "resolve", "--engine", engine],
                                env=env, stdout=out, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.monotonic() - started
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        raise SystemExit(f"parley resolve exited {proc.returncode}:\n{text[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, text


def _token(ws: Workspace) -> str:
    """An API token of a fresh analyst: ``parley resolve`` acts for someone signed in."""
    user = accounts.create_user(ws, actor=LOCAL_OPERATOR, username=f"bench-{os.getpid()}",
                                password="bench password 1", role=Role.ANALYST, agency="MOD",
                                clearance="top_secret")
    return accounts.create_api_token(ws, actor=user, name="bench",
                                     scopes=accounts.parse_scopes("all")).token


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--records", type=int, help="about this many source records")
    size.add_argument("--people", type=int, help="this many synthetic persons")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--engine", default="duckdb")
    parser.add_argument("--incremental", action="store_true")
    parser.add_argument("--no-quality", action="store_true",
                        help="skip precision / recall (slow on millions of records)")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="keep (and reuse) the synthetic files and ingested workspace here")
    parser.add_argument("--prepare-only", action="store_true",
                        help="generate and ingest into --workdir, do not resolve")
    args = parser.parse_args()
    people = args.people or max(10, round((args.records or 5800) / RECORDS_PER_PERSON))

    if args.workdir is None:
        work = Path(tempfile.mkdtemp(prefix="parley-bench-resolve-"))
    else:
        work = args.workdir / f"people{people}-seed{args.seed}"
        work.mkdir(parents=True, exist_ok=True)
    synth = work / "synth"
    if not (synth / "manifest.json").exists():
        started = time.monotonic()
        subprocess.run([sys.executable, "-c", CLI, "synth", "--people", str(people), "--out",
                        str(synth), "--seed", str(args.seed), "--difficulty", "clean"],
                       check=True, capture_output=True)
        print(f"synth: {people} people in {time.monotonic() - started:.1f} s", flush=True)
    db, pristine = work / "parley.db", work / "ingested.db"
    reuse = args.workdir is not None and not args.incremental and pristine.exists()
    db.unlink(missing_ok=True)
    if reuse:
        shutil.copyfile(pristine, db)
    url = f"sqlite:///{db}"
    settings = Settings(database_url=url, data_dir=work, secret_key="bench")
    ws = Workspace(store=Store.from_url(settings.effective_database_url), settings=settings)
    if not reuse:
        init_workspace(ws, actor=LOCAL_OPERATOR)
    files = json.loads((synth / "manifest.json").read_text(encoding="utf-8"))["files"]
    env = {**os.environ, "PARLEY_DATABASE_URL": url, "PARLEY_DATA_DIR": str(work),
           "PARLEY_SECRET_KEY": "bench", "PARLEY_TOKEN": _token(ws)}

    steps = [files[:-2], files[-2:]] if args.incremental else [files]
    for i, batch in enumerate(steps):
        started = time.monotonic()
        for f in [] if reuse else batch:
            ingest_file(ws, actor=LOCAL_OPERATOR, path=synth / f["file"], source=f["source"],
                        agency=f["agency"], reliability=f["reliability"],
                        classification=f["classification"])
        if reuse:
            print("ingest: reused the ingested workspace", flush=True)
        else:
            print(f"ingest: {len(batch)} files in {time.monotonic() - started:.1f} s",
                  flush=True)
            if args.workdir is not None and not args.incremental:
                ws.store.close()
                shutil.copyfile(db, pristine)
        if args.prepare_only:
            return
        wall, cpu, peak, _ = _timed_resolve(env, args.engine)
        with ws.store.reading() as tx:
            records = len(tx.execute(select(SourceRecord.id)).all())
        label = "first run" if i == 0 else "incremental run"
        print(f"resolve {label}: {records} records, wall {wall:.1f} s, CPU {cpu:.1f} s, "
              f"peak memory {peak:.0f} MiB", flush=True)

    if args.no_quality:
        return
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
    print(f"records {len(rows)}, persons {len(predicted)} (true {len(actual)}), pairwise "
          f"precision {precision:.4f}, recall {recall:.4f}, F1 {f1:.4f}")


if __name__ == "__main__":
    main()
