"""Ingest benchmark: the real ``parley ingest`` on a synthetic CSV, into a fresh SQLite workspace
and a fresh PostgreSQL schema; rows per CPU-second for both.

    python bench/ingest.py                        # 1,000,000 rows, SQLite and PostgreSQL
    python bench/ingest.py --rows 200000          # quicker
    python bench/ingest.py --postgres URL         # default: PARLEY_TEST_POSTGRES_URL
    python bench/ingest.py --keep DIR             # keep the CSV and the SQLite file in DIR

The file is written by the synthetic generator (canonical-schema rows: Ukrainian, Russian-form
and Latin names, partial dates, numbers with OCR slips) with 1 % deliberately malformed rows, so
validation and quarantine are on the measured path. Each import is the command a user types,
run as a child process (``parley ingest FILE --json``); its CPU time (user + system, from the
kernel's accounting of the child) is what "rows per CPU-second" divides by, start-up included.
The start-up alone (``parley ingest --help``) is measured too, so a reader can take it out.
The CPU is the client's: on PostgreSQL the server's own work (COPY parsing, index upkeep) runs
in the server process and is not counted; SQLite does all of it in the client. Wall time is
printed beside it; on a shared machine it mostly measures waiting. The file is imported a
second time to time the "adds nothing" path.
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
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from parley.domain.records import CANONICAL_FIELDS
from parley.synth.linkage import render_canonical
from parley.synth.people import population

CLI = [sys.executable, "-c", "from parley.interfaces.cli.main import run; run()"]


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


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def server_cpu() -> float | None:
    """CPU seconds of the local PostgreSQL server so far: every live ``postgres`` process, plus
    the backends that have exited (the postmaster's reaped children), from ``/proc``; ``None``
    when the server is not a process this machine shows. Every session counts, so on a shared
    machine other users' queries during the run are in it too."""
    tick = os.sysconf("SC_CLK_TCK")
    total, seen = 0, False
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name, rest = text[text.index("(") + 1:text.rindex(")")], text[text.rindex(")") + 2:]
        if name != "postgres":
            continue
        fields = rest.split()  # from field 3 (state); utime is field 14, cutime 16
        total += int(fields[11]) + int(fields[12])
        if fields[1] == "1" or not Path(f"/proc/{fields[1]}").exists():  # the postmaster
            total += int(fields[13]) + int(fields[14])
        seen = True
    return total / tick if seen else None


def run_cli(args: list[str], env: dict[str, str]) -> tuple[str, float, float]:
    """(standard output, CPU seconds, wall seconds) of one ``parley`` command."""
    cpu, wall = children_cpu(), time.perf_counter()
    done = subprocess.run([*CLI, *args], capture_output=True, text=True, env=env, check=False)
    cpu, wall = children_cpu() - cpu, time.perf_counter() - wall
    if done.returncode != 0:
        raise SystemExit(f"parley {' '.join(args[:1])} failed ({done.returncode}): "
                         f"{done.stderr.strip()[-2000:]}")
    return done.stdout, cpu, wall


@contextmanager
def postgres_schema(admin_url: str) -> Iterator[str]:
    """A fresh schema, dropped afterwards; the URL points its search path there."""
    from sqlalchemy import create_engine, text

    schema = f"bench_{uuid.uuid4().hex[:12]}"
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in admin_url else "?"
    try:
        yield f"{admin_url}{sep}options=-csearch_path%3D{schema}"
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


def bench_token(url: str, data_dir: Path) -> str:
    """A full-scope token for a fresh admin: every command but ``init`` acts as a signed-in
    person, and the benchmark must not touch the user's saved logins."""
    from parley.adapters.sql.store import Store
    from parley.config import Settings
    from parley.domain.actors import LOCAL_OPERATOR, Action, Role
    from parley.services import accounts
    from parley.services.workspace import Workspace

    settings = Settings(database_url=url, data_dir=data_dir)
    ws = Workspace(store=Store.from_url(settings.effective_database_url), settings=settings)
    try:
        user = accounts.create_user(ws, actor=LOCAL_OPERATOR, username="bench-ingest",
                                    password="bench ingest password 1", role=Role.ADMIN,
                                    agency="HQ", clearance="top_secret")
        return accounts.create_api_token(ws, actor=user, name="bench",
                                         scopes=frozenset(Action)).token
    finally:
        ws.store.engine.dispose()


def measure(name: str, url: str, data_dir: Path, path: Path, rows: int) -> None:
    env = {**os.environ, "PARLEY_DATABASE_URL": url, "PARLEY_DATA_DIR": str(data_dir),
           "PARLEY_CONFIG_DIR": str(data_dir / "config")}
    run_cli(["init"], env)
    env["PARLEY_TOKEN"] = bench_token(url, data_dir)
    _, start_cpu, _ = run_cli(["ingest", "--help"], env)
    args = ["ingest", str(path), "--source", "bench", "--agency", "MOD", "--reliability", "B2",
            "--json"]
    load = os.getloadavg()[0]
    server = server_cpu() if "postgresql" in url else None
    out, cpu, wall = run_cli(args, env)
    after = server_cpu() if server is not None else None
    report = json.loads(out)
    again, again_cpu, again_wall = run_cli(args, env)
    repeat = json.loads(again)
    assert report["read"] == rows and repeat["imported"] == 0, (report, repeat)
    print(f"{name}: {report['read']:,} rows read, {report['imported']:,} imported, "
          f"{report['quarantined']:,} quarantined")
    print(f"  parley ingest: {cpu:,.1f} CPU-s = {report['read'] / cpu:,.0f} rows per "
          f"CPU-second ({report['read'] / max(cpu - start_cpu, 1e-9):,.0f} without the "
          f"{start_cpu:,.1f} s start-up); wall {wall:,.1f} s, load {load:.1f} → "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    if server is not None and after is not None:
        both = cpu + after - server
        print(f"  with the server's CPU (all PostgreSQL processes, {after - server:,.1f} s): "
              f"{both:,.1f} CPU-s = {report['read'] / both:,.0f} rows per CPU-second")
    print(f"  re-import: {repeat['duplicates']:,} duplicates, {repeat['imported']} imported, "
          f"{again_cpu:,.1f} CPU-s = {repeat['read'] / again_cpu:,.0f} rows per CPU-second; "
          f"wall {again_wall:,.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--postgres", default=os.environ.get("PARLEY_TEST_POSTGRES_URL", ""),
                        help="PostgreSQL URL (a schema is made and dropped in it)")
    parser.add_argument("--keep", type=Path, default=None, help="folder to keep files in")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "bench_ingest.csv"
        started = time.perf_counter()
        bad = write_csv(path, args.rows)
        print(f"wrote {args.rows:,} rows ({path.stat().st_size / 2**20:,.0f} MB, {bad:,} "
              f"malformed on purpose) in {time.perf_counter() - started:,.1f} s")
        sqlite_dir = folder / "sqlite"
        sqlite_dir.mkdir(exist_ok=True)
        for stale in sqlite_dir.glob("parley.db*"):
            stale.unlink()
        database = sqlite_dir / "parley.db"
        measure("SQLite", f"sqlite:///{database}", sqlite_dir, path, args.rows)
        print(f"  database size: {database.stat().st_size / 2**20:,.0f} MB")
        if not args.postgres:
            print("PostgreSQL: skipped (give --postgres URL or set PARLEY_TEST_POSTGRES_URL)")
            return
        pg_dir = folder / "postgres"
        pg_dir.mkdir(exist_ok=True)
        with postgres_schema(args.postgres.replace("postgresql://", "postgresql+psycopg://")
                             if args.postgres.startswith("postgresql://")
                             else args.postgres) as url:
            measure("PostgreSQL (COPY)", url, pg_dir, path, args.rows)


if __name__ == "__main__":
    main()
