"""What each page costs the server, one request at a time: CPU, SQL statements, SQL time.

On a shared machine a page's latency under load is mostly queueing; its cost is not. This runs
the app in process (no socket, one request at a time) on a workspace ``bench/web.py`` built, and
prints per page the median wall and CPU time of a request (and its least CPU time, the figure
least disturbed by other work on the machine), the SQL statements and pooled connections it
used, the time spent in them, and the garbage collector's time (``--as-served``: tuned as
``parley serve`` tunes it). ``--profile LABEL`` prints the cProfile of that page's requests;
``--plans`` prints the query plan of each distinct statement a page runs (EXPLAIN QUERY PLAN on
SQLite, EXPLAIN ANALYZE on PostgreSQL).

    python bench/web.py --out /tmp/w --build-only     # build once (or reuse)
    python bench/web_cost.py --out /tmp/w [--database-url postgresql+psycopg://…] [--repeat 20]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import pstats
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import fastapi.dependencies.utils
import fastapi.routing
import httpx
from sqlalchemy import event

from parley.adapters.sql.store import Store
from parley.interfaces.web.app import create_app
from parley.interfaces.web.collector import settle_for_serving
from parley.services.workspace import Workspace

sys.path.insert(0, str(Path(__file__).resolve().parent))
import web  # the sibling bench script that builds the workspace


class SqlTally:
    """Statements and their time, counted from the engine's cursor events."""

    def __init__(self) -> None:
        self.count = 0
        self.checkouts = 0
        self.seconds = 0.0
        self.statements: dict[str, Any] = {}
        self._start = 0.0

    def before(self, conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        self._start = time.perf_counter()
        self.statements.setdefault(statement, params)

    def checkout(self, *_: Any) -> None:
        self.checkouts += 1

    def after(self, *_: Any) -> None:
        self.count += 1
        self.seconds += time.perf_counter() - self._start


async def _inline(func: Any, *args: Any, **kwargs: Any) -> Any:
    return func(*args, **kwargs)


def run_inline() -> None:
    """Run sync routes and dependencies in the event loop's thread, not a worker thread: one
    request then runs start to end in this thread, where cProfile and the CPU clock see it."""
    fastapi.routing.run_in_threadpool = _inline  # type: ignore[assignment]
    fastapi.dependencies.utils.run_in_threadpool = _inline  # type: ignore[assignment]


class GcTally:
    """Time the garbage collector spends, per generation, from its start/stop callbacks."""

    def __init__(self) -> None:
        self.seconds = [0.0, 0.0, 0.0]
        self.runs = [0, 0, 0]
        self._start = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.seconds[info["generation"]] += time.perf_counter() - self._start
            self.runs[info["generation"]] += 1


@contextmanager
def collecting() -> Iterator[GcTally]:
    counts = GcTally()
    gc.callbacks.append(counts)
    try:
        yield counts
    finally:
        gc.callbacks.remove(counts)


@contextmanager
def tally(store: Store) -> Iterator[SqlTally]:
    counts = SqlTally()
    event.listen(store.engine, "before_cursor_execute", counts.before)
    event.listen(store.engine, "after_cursor_execute", counts.after)
    event.listen(store.engine.pool, "checkout", counts.checkout)
    try:
        yield counts
    finally:
        event.remove(store.engine, "before_cursor_execute", counts.before)
        event.remove(store.engine, "after_cursor_execute", counts.after)
        event.remove(store.engine.pool, "checkout", counts.checkout)


def _plan(store: Store, statement: str, params: Any) -> list[str]:
    postgres = store.engine.dialect.name == "postgresql"
    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if postgres else "EXPLAIN QUERY PLAN "
    if not statement.lstrip().upper().startswith("SELECT"):
        return []
    with store.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        cursor = raw.cursor()
        cursor.execute(prefix + statement, params)
        rows = cursor.fetchall()
    return [str(r[0]) if postgres else f"{'  ' * int(r[1] > 0)}{r[-1]}" for r in rows]


async def measure(ws: Workspace, args: argparse.Namespace, tokens_of: dict[str, str]) -> None:
    app = create_app(ws)
    transport = httpx.ASGITransport(app=settle_for_serving(app) if args.as_served else app)
    client = httpx.AsyncClient(transport=transport, base_url="https://testserver")
    print(f"{'page':40} {'wall ms':>8} {'cpu ms':>7} {'cpu min':>7} {'sql':>4} {'conn':>4} "
          f"{'sql ms':>7} {'gc ms':>6} {'full gc':>7}")
    for n, (label, user, template) in enumerate(web.pages(args.persons)):
        if args.only not in label:
            continue
        paths = [template.format(rid=1 + (n * 7919 + i * 104729) % args.records,
                                 pid=1 + (i * 7919) % args.persons) for i in range(args.repeat)]
        headers = {"Authorization": f"Bearer {tokens_of[user]}"}
        warm = await client.get(paths[0], headers=headers)
        assert warm.status_code in (200, 404), (label, warm.status_code)
        walls, cpus = [], []
        profiler = cProfile.Profile() if args.profile and args.profile in label else None
        with tally(ws.store) as sql, collecting() as collector:
            for path in paths:
                wall, cpu = time.perf_counter(), time.process_time()
                if profiler:
                    profiler.enable()
                status = (await client.get(path, headers=headers)).status_code
                if profiler:
                    profiler.disable()
                walls.append((time.perf_counter() - wall) * 1000)
                cpus.append((time.process_time() - cpu) * 1000)
                assert status in (200, 404), (label, path, status)
        n = len(paths)
        print(f"{label:40} {statistics.median(walls):8.1f} {statistics.median(cpus):7.1f} "
              f"{min(cpus):7.1f} {sql.count / n:4.0f} {sql.checkouts / n:4.0f} "
              f"{sql.seconds * 1000 / n:7.1f} {sum(collector.seconds) * 1000 / n:6.1f} "
              f"{collector.runs[2]:7d}",
              flush=True)
        if profiler:
            pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.lines)
        if args.plans:
            for statement, params in sql.statements.items():
                print("   ", " ".join(statement.split())[:300])
                for line in _plan(ws.store, statement, params):
                    print("       ", line)
    await client.aclose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--persons", type=int, default=5_000)
    parser.add_argument("--out", type=Path, default=web.OUT)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--repeat", type=int, default=20, help="requests per page")
    parser.add_argument("--profile", default="", help="a page label: print its cProfile")
    parser.add_argument("--sort", default="cumulative", help="cProfile order")
    parser.add_argument("--lines", type=int, default=40, help="cProfile lines")
    parser.add_argument("--as-served", action="store_true",
                        help="tune the collector as `parley serve` does before measuring")
    parser.add_argument("--plans", action="store_true", help="print each statement's plan")
    parser.add_argument("--only", default="", help="pages whose label contains this")
    args = parser.parse_args()
    folder = web.workspace_folder(args.out, args.records, args.persons, args.database_url)
    if not (folder / "ready").exists():
        sys.exit(f"no built workspace in {folder}: run bench/web.py with the same options")
    tokens_of = web.tokens(folder, args.database_url)
    settings = web._settings(folder, args.database_url)
    ws = Workspace(store=Store.from_url(settings.effective_database_url), settings=settings)
    run_inline()
    asyncio.run(measure(ws, args, tokens_of))
    ws.store.engine.dispose()


if __name__ == "__main__":
    main()
