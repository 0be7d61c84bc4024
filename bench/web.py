"""Web pages under load: p50/p99 per page with 8 concurrent users on a large registry.

Builds (or reuses, cached under ``bench/out/``) a workspace of N source records — 60 % of them
sharing one surname, 15 % from intelligence agencies, some secret — with P resolved persons,
a list drawn from the registry, a list to hand over, both confirmed and released, and a plan;
serves it with ``parley serve`` (uvicorn) on 127.0.0.1; drives C concurrent clients (httpx),
each with its own user's API token, over the main pages for a bounded number of requests; and
prints p50/p99 per page and the server's memory.

    python bench/web.py [--records 1000000] [--persons 5000] [--clients 8] [--rounds 25]
                        [--out /tmp/w] [--database-url postgresql+psycopg://…] [--build-only]

``bench/web_cost.py`` measures what each page costs on the same built workspace.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
from sqlalchemy import insert, text

from parley.adapters.sql.base import utcnow
from parley.adapters.sql.store import Store
from parley.adapters.sql.tables import ImportBatch, Person, Source, SourceRecord
from parley.config import Settings
from parley.domain.actors import LOCAL_OPERATOR, Role
from parley.domain.lists import Entry, Status
from parley.services import accounts, lists
from parley.services.setup import init_workspace
from parley.services.workspace import Workspace

OUT = Path(__file__).resolve().parent / "out"
COMMON = "Петренко"
FAMILIES = ["Коваленко", "Шевченко", "Бондаренко", "Ткаченко", "Кравченко", "Олійник",
            "Мельник", "Кузьменко", "Поліщук", "Савченко", "Руденко", "Лисенко"]
GIVEN = ["Іван", "Олександр", "Андрій", "Сергій", "Микола", "Дмитро", "Василь", "Юрій"]
AGENCIES = ["MOD"] * 17 + ["DIU", "SSU", "MOI"]
PASSWORD = "bench password 1"
USERS = {"coord": (Role.COORDINATOR, "HQ"), "analyst": (Role.ANALYST, "MOD"),
         "logistics": (Role.LOGISTICS, "MOD"), "mediator": (Role.MEDIATOR, "MED")}


def _settings(folder: Path, database_url: str = "") -> Settings:
    """SQLite in ``folder`` unless a database URL is given (e.g. a PostgreSQL database of its
    own: a build empties its ``public`` schema)."""
    return Settings(database_url=database_url or f"sqlite:///{folder}/parley.db",
                    data_dir=folder, secret_key="bench-secret-key-of-at-least-32-bytes!")


def _empty(database_url: str) -> None:
    if database_url.startswith("postgresql"):
        store = Store.from_url(database_url)
        with store.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        store.engine.dispose()


def _records(ws: Workspace, n: int, seed: int = 11) -> None:
    from parley.names import normalize_name

    normalize = normalize_name
    rng = random.Random(seed)
    with ws.store.transaction() as tx:
        sources = {}
        for agency in sorted(set(AGENCIES)):
            source = Source(name=f"bench-{agency}", agency_code=agency)
            tx.add(source)
            tx.flush()
            batch = ImportBatch(source_id=source.id, agency_code=agency, file_name="bench.csv",
                                file_sha256="0" * 64, file_format="csv", actor="bench")
            tx.add(batch)
            tx.flush()
            sources[agency] = (source.id, batch.id)
    keys: dict[tuple[str, str], tuple[str, str]] = {}
    chunk: list[dict[str, object]] = []
    for i in range(n):
        family = COMMON if rng.random() < 0.6 else rng.choice(FAMILIES)
        given = rng.choice(GIVEN)
        if (family, given) not in keys:
            normal = normalize(family, given, "") if normalize else None
            keys[(family, given)] = (normal.family_key, normal.given_key) if normal else ("", "")
        agency = rng.choice(AGENCIES)
        source_id, batch_id = sources[agency]
        chunk.append({
            "source_id": source_id, "batch_id": batch_id, "agency_code": agency,
            "file_name": "bench.csv", "line_no": i + 2, "raw": {"n": i}, "raw_text": "",
            "content_hash": f"{i:064d}", "family_name": family, "given_name": given,
            "birth_date": f"{rng.randint(1960, 2004)}-{rng.randint(1, 12):02d}-"
                          f"{rng.randint(1, 28):02d}",
            "service_number": f"SN{i:08d}", "family_key": keys[(family, given)][0],
            "given_key": keys[(family, given)][1], "status": "held",
            "capture_date": f"20{rng.randint(14, 25)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
            "classification": "secret" if rng.random() < 0.05 else "restricted",
        })
        if len(chunk) == 10_000:
            with ws.store.transaction() as tx:
                tx.execute(insert(SourceRecord), chunk)
            chunk = []
    if chunk:
        with ws.store.transaction() as tx:
            tx.execute(insert(SourceRecord), chunk)


def build(folder: Path, records: int, persons: int, database_url: str = "") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    _empty(database_url)
    settings = _settings(folder, database_url)
    ws = Workspace(store=Store.from_url(settings.effective_database_url), settings=settings)
    init_workspace(ws, actor=LOCAL_OPERATOR)
    start = time.perf_counter()
    _records(ws, records)
    print(f"  {records:,} records in {time.perf_counter() - start:.0f} s", flush=True)
    with ws.store.transaction() as tx:
        tx.execute(insert(Person), [{"display_name": "", "status": "held", "verified": False}
                                    for _ in range(persons)])
        tx.execute(text("UPDATE source_records SET person_id = id WHERE id <= :n"),
                   {"n": persons})
    op = LOCAL_OPERATOR
    lists.create_list(ws, actor=op, name="receive", direction="receive")
    lists.add_from_registry(ws, actor=op, name="receive")
    keys = [e.key for e in lists.list_entries(ws, actor=op, name="receive")]
    lists.update_entries(ws, actor=op, name="receive", keys=keys, status="confirmed")
    lists.create_list(ws, actor=op, name="give", direction="give")
    lists.add_entries(ws, actor=op, name="give", entries=[
        Entry(key=f"G{i:06d}", display_name=f"Сидоров Петр {i}", family_name="Сидоров",
              category="civilian" if i % 4 == 0 else "military", status=Status.CONFIRMED)
        for i in range(len(keys))])
    start = time.perf_counter()
    lists.plan_lists(ws, actor=op, give="give", receive="receive", stages=3)
    print(f"  plan of {len(keys):,} a side in {time.perf_counter() - start:.0f} s", flush=True)
    with ws.store.transaction() as tx:
        tx.execute(text("UPDATE list_versions SET released_at = :now WHERE version = "
                        "(SELECT version FROM exchange_lists WHERE id = list_versions.list_id)"),
                   {"now": utcnow()})
    for name, (role, agency) in USERS.items():
        accounts.create_user(ws, actor=op, username=name, password=PASSWORD, role=role,
                             agency=agency, clearance="secret")
    with ws.store.engine.begin() as conn:  # committed: PostgreSQL keeps the statistics
        conn.execute(text("ANALYZE"))
    ws.store.engine.dispose()
    (folder / "ready").write_text(f"{records} {persons}\n")


def workspace_folder(out: Path, records: int, persons: int, database_url: str = "") -> Path:
    """Where a built workspace (its data, and the ``ready`` mark) is kept."""
    kind = "pg" if database_url.startswith("postgresql") else "web"
    return out / f"{kind}-{records}-{persons}"


def tokens(folder: Path, database_url: str = "") -> dict[str, str]:
    settings = _settings(folder, database_url)
    ws = Workspace(store=Store.from_url(settings.effective_database_url), settings=settings)
    out = {}
    for name in USERS:
        actor = accounts.authenticate(ws, username=name, password=PASSWORD)
        out[name] = accounts.create_api_token(ws, actor=actor, name="bench",
                                              scopes=accounts.parse_scopes("all")).token
    ws.store.engine.dispose()
    return out


def operator_token(folder: Path) -> str:
    """A token of an administrator, whom ``parley serve`` acts as (serving is theirs to do)."""
    settings = _settings(folder)
    ws = Workspace(store=Store.from_url(settings.effective_database_url), settings=settings)
    users = {u.username for u in accounts.list_users(ws, actor=LOCAL_OPERATOR)}
    if "bench.admin" not in users:
        accounts.create_user(ws, actor=LOCAL_OPERATOR, username="bench.admin",
                             password=PASSWORD, role=Role.ADMIN, agency="HQ")
    actor = accounts.authenticate(ws, username="bench.admin", password=PASSWORD)
    token = accounts.create_api_token(ws, actor=actor, name="bench serve",
                                      scopes=accounts.parse_scopes("all")).token
    ws.store.engine.dispose()
    return token


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _rss(pid: int) -> tuple[int, int]:
    """(current, peak) resident memory of a process in MiB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        fields[name] = value.strip()
    return (int(fields.get("VmRSS", "0 kB").split()[0]) // 1024,
            int(fields.get("VmHWM", "0 kB").split()[0]) // 1024)


def pages(persons: int) -> list[tuple[str, str, str]]:
    """(label, user, path) of the pages every client visits once per round."""
    last = max(1, -(-persons // 200))
    return [
        ("/lists", "coord", "/lists"),
        ("/lists/{name} first page", "coord", "/lists/receive"),
        ("/lists/{name} last page", "coord", f"/lists/receive?page={last}"),
        ("/lists/{name} filtered, by name", "coord",
         "/lists/receive?status=confirmed&sort=name&q=1"),
        ("/lists/{name} (mediator)", "mediator", "/lists/give"),
        ("/plan", "coord", "/plan"),
        ("/plan page 3", "logistics", "/plan?page=3"),
        ("/search common surname", "analyst", f"/search?name={COMMON}"),
        ("/api/search common surname", "analyst", f"/api/search?name={COMMON}"),
        ("/api/search Latin spelling", "analyst", "/api/search?name=Petrenko%20Ivan"),
        ("/records/{id}", "analyst", "/records/{rid}"),
        ("/api/persons/{id}", "analyst", "/api/persons/{pid}"),
    ]


def drive(base: str, tokens_of: dict[str, str], clients: int, rounds: int, persons: int,
          records: int) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {label: [] for label, _, _ in pages(persons)}
    failures: list[str] = []
    lock = threading.Lock()

    def client(n: int) -> None:
        rng = random.Random(n)
        with httpx.Client(base_url=base, timeout=60) as http:
            for _ in range(rounds):
                visit = pages(persons)
                rng.shuffle(visit)
                for label, user, path in visit:
                    path = path.format(rid=rng.randint(1, records),
                                       pid=rng.randint(1, persons))
                    start = time.perf_counter()
                    r = http.get(path, headers={"Authorization": f"Bearer {tokens_of[user]}"})
                    ms = (time.perf_counter() - start) * 1000
                    with lock:
                        timings[label].append(ms)
                        if r.status_code not in (200, 404):
                            failures.append(f"{label}: {r.status_code}")

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        print(f"  {len(failures)} failed requests, e.g. {failures[:3]}")
    return timings


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--persons", type=int, default=5_000,
                        help="resolved persons, drawn onto the list to receive")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=25,
                        help="passes over every page per client (bounds the requests)")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--out", type=Path, default=OUT,
                        help="where built workspaces are kept (e.g. under /tmp)")
    parser.add_argument("--build-only", action="store_true",
                        help="build (or keep) the workspace, serve nothing")
    parser.add_argument("--database-url", default="",
                        help="a PostgreSQL database to build in (emptied); SQLite by default")
    args = parser.parse_args()
    folder = workspace_folder(args.out, args.records, args.persons, args.database_url)
    if args.rebuild and folder.exists():
        shutil.rmtree(folder)
    if not (folder / "ready").exists():
        print(f"building {folder} …", flush=True)
        shutil.rmtree(folder, ignore_errors=True)
        build(folder, args.records, args.persons, args.database_url)
    if args.build_only:
        return
    tokens_of = tokens(folder, args.database_url)
    settings = _settings(folder, args.database_url)
    port = _free_port()
    env = {**os.environ, "PARLEY_DATABASE_URL": settings.effective_database_url,
           "PARLEY_DATA_DIR": str(folder), "PARLEY_SECRET_KEY": settings.secret_key,
           "PARLEY_TOKEN": operator_token(folder)}
    server = subprocess.Popen(
        [sys.executable, "-c", "from parley.interfaces.cli.main import run; run()", "serve",
         "--host", "127.0.0.1", "--port", str(port)], env=env, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                httpx.get(f"{base}/login", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        rss_start, _ = _rss(server.pid)
        drive(base, tokens_of, 1, 1, args.persons, args.records)  # warm-up: one pass
        start = time.perf_counter()
        timings = drive(base, tokens_of, args.clients, args.rounds, args.persons, args.records)
        wall = time.perf_counter() - start
        rss, peak = _rss(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    total = sum(len(v) for v in timings.values())
    print(f"{args.records:,} records, {args.persons:,} a side on the lists; {args.clients} "
          f"clients × {args.rounds} rounds = {total:,} requests in {wall:.0f} s "
          f"({total / wall:.1f} req/s); os.cpu_count() = {os.cpu_count()}, "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"{'page':40} {'n':>5} {'p50 ms':>8} {'p99 ms':>8}")
    for label, values in timings.items():
        print(f"{label:40} {len(values):5d} {statistics.median(values):8.1f} "
              f"{_pct(values, 0.99):8.1f}")
    print(f"server memory: {rss_start} MiB at start, {rss} MiB after, peak {peak} MiB")


if __name__ == "__main__":
    main()
