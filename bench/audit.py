"""Audit log benchmark: appends per second (SQLite and PostgreSQL), time to verify 1,000,000
events (target: under 30 s), and the sizes of inclusion and consistency proofs (about log2 n).

    python bench/audit.py                       # 1,000,000 events on SQLite, PostgreSQL if set
    python bench/audit.py --events 100000       # quicker
    PARLEY_BENCH_POSTGRES_URL=postgresql+psycopg://USER@HOST/DB python bench/audit.py

Appends go through ``record_event`` in one transaction each (as every service call does), and
in batches of 100 per transaction. The million-event log is bulk-loaded with the same hashing
code (a real chain, not random bytes), then ``verify_log`` recomputes every payload hash, event
hash, chain link and the Merkle root against a signed checkpoint.
"""

from __future__ import annotations

import argparse
import math
import os
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, insert, text

from parley.adapters.sql.store import Store
from parley.adapters.sql.tables import AuditEventRow, AuditHead
from parley.config import Settings
from parley.domain.actors import LOCAL_OPERATOR, Actor, Role
from parley.domain.audit import event_hash, event_leaf_bytes, payload_hash
from parley.services import audit
from parley.services.journal import record_event
from parley.services.setup import init_workspace
from parley.services.workspace import Workspace
from parley.trust.merkle import MerkleTree, leaf_hash

ANALYST = Actor(username="analyst.mod", role=Role.ANALYST, agency="MOD")


def _workspace(url: str, data_dir: Path) -> Workspace:
    settings = Settings(database_url=url, data_dir=data_dir, secret_key="bench")
    ws = Workspace(store=Store.from_url(url), settings=settings)
    init_workspace(ws, actor=LOCAL_OPERATOR)
    return ws


def _appends(ws: Workspace, count: int, batch: int) -> float:
    started = time.perf_counter()
    done = 0
    while done < count:
        with ws.store.transaction() as tx:
            for _ in range(min(batch, count - done)):
                record_event(tx, actor=ANALYST, action="record.review", target=f"record:{done}",
                             payload={"decision": "same", "score": 0.97, "note": "bench"})
                done += 1
    return count / (time.perf_counter() - started)


def _chain(start_seq: int, prev: str, count: int) -> Iterator[dict[str, Any]]:
    """Real chained events, exactly as ``record_event`` would write them."""
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    for offset in range(count):
        seq = start_seq + offset
        body = {"decision": "same", "record": seq, "score": 0.97}
        p_hash = payload_hash(body)
        at = moment + timedelta(milliseconds=seq)
        leaf = event_leaf_bytes(seq=seq, occurred_at=at, actor="analyst.mod", actor_role="analyst",
                                actor_agency="MOD", action="record.review",
                                target=f"record:{seq}", payload_hash=p_hash, prev_hash=prev)
        e_hash = event_hash(leaf)
        yield {"seq": seq, "occurred_at": at, "actor": "analyst.mod", "actor_role": "analyst",
               "actor_agency": "MOD", "action": "record.review", "target": f"record:{seq}",
               "payload": body, "payload_hash": p_hash, "prev_hash": prev, "event_hash": e_hash}
        prev = e_hash


def _bulk_load(ws: Workspace, total: int) -> float:
    """Grow the log to ``total`` events with one bulk insert per 20,000 rows."""
    with ws.store.reading() as tx:
        head = tx.get(AuditHead, 1)
        assert head is not None
        seq, prev = head.seq, head.event_hash
    if total <= seq:  # the timed appends alone already reach the size asked for
        return 0.0
    started = time.perf_counter()
    rows = _chain(seq + 1, prev, total - seq)
    chunk: list[dict[str, Any]] = []
    with ws.store.engine.begin() as conn:
        for row in rows:
            chunk.append(row)
            if len(chunk) == 20_000:
                conn.execute(insert(AuditEventRow.__table__), chunk)
                chunk = []
        if chunk:
            conn.execute(insert(AuditEventRow.__table__), chunk)
        last = row
        conn.execute(AuditHead.__table__.update().values(seq=last["seq"],
                                                         event_hash=last["event_hash"]))
    return time.perf_counter() - started


def _verify(ws: Workspace, label: str, events: int) -> None:
    load = _bulk_load(ws, events)
    started = time.perf_counter()
    checkpoint = audit.write_checkpoint(ws, actor=LOCAL_OPERATOR, cosigners=["MED"])
    signed = time.perf_counter() - started
    print(f"{label}: bulk-loaded {events:,} chained events in {load:.1f} s; signed a checkpoint "
          f"at size {checkpoint.size:,} in {signed:.1f} s (tree + consistency check)")
    for workers in (1, 2):
        started, cpu = time.perf_counter(), time.process_time()
        report = audit.verify_log(ws, workers=workers)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        assert report.ok, report.first_fault
        own = f", {cpu:.1f} s CPU in this process" if workers == 1 else ""
        print(f"{label}: verify_log of {report.events:,} events, {workers} process(es): "
              f"{elapsed:.1f} s wall{own} ({report.events / elapsed:,.0f} events/s) — target "
              f"< 30 s for 1,000,000")


def _anchors(ws: Workspace, label: str, events: int, rewrite_at: int) -> None:
    """Item 9/11 figures: a full checkpoint, an automatic (incremental) one after 1,000 more
    events, and verify naming a cleanly rewritten event by bisecting with the stored tree."""
    _bulk_load(ws, events)
    started = time.perf_counter()
    first = audit.write_checkpoint(ws, actor=LOCAL_OPERATOR)
    full = time.perf_counter() - started
    _bulk_load(ws, first.size + 1 + 1_000)
    started = time.perf_counter()
    second = audit.write_checkpoint(ws, actor=LOCAL_OPERATOR, incremental=True)
    incremental = time.perf_counter() - started
    print(f"{label}: checkpoint at {first.size:,} events re-hashing the log: {full:.1f} s; "
          f"automatic checkpoint at {second.size:,} (1,001 new events, from the stored "
          f"frontier): {incremental:.2f} s")
    with ws.store.engine.begin() as conn:  # a careful forger: rewrite one event, re-chain the rest
        rows = conn.execute(AuditEventRow.__table__.select().where(
            AuditEventRow.seq >= rewrite_at - 1).order_by(AuditEventRow.seq)).mappings().all()
        prev = rows[0]["event_hash"]
        for row in rows[1:]:
            body = {"forged": True} if row["seq"] == rewrite_at else row["payload"]
            p_hash = payload_hash(body)
            e_hash = event_hash(event_leaf_bytes(
                seq=row["seq"], occurred_at=row["occurred_at"], actor=row["actor"],
                actor_role=row["actor_role"], actor_agency=row["actor_agency"],
                action=row["action"], target=row["target"], payload_hash=p_hash, prev_hash=prev))
            conn.execute(AuditEventRow.__table__.update().where(
                AuditEventRow.seq == row["seq"]).values(payload=body, payload_hash=p_hash,
                                                        prev_hash=prev, event_hash=e_hash))
            prev = e_hash
        conn.execute(AuditHead.__table__.update().values(event_hash=prev))
    started = time.perf_counter()
    report = audit.verify_log(ws)
    elapsed = time.perf_counter() - started
    first_fault = report.first_fault
    assert first_fault is not None and first_fault.seq == rewrite_at, first_fault
    print(f"{label}: verify_log of {report.events:,} events named the rewritten event "
          f"{first_fault.seq:,} (bisect with the stored tree) in {elapsed:.1f} s")


def _proof_sizes() -> None:
    for n in (1_000, 100_000, 1_000_000):
        tree = MerkleTree([leaf_hash(i.to_bytes(4, "big")) for i in range(n)])
        inclusion = max(len(tree.inclusion_proof(i)) for i in (0, n // 3, n // 2, n - 1))
        consistency = max(len(tree.consistency_proof(m)) for m in (1, n // 3, n // 2 + 1, n - 1))
        print(f"proof sizes at n = {n:>9,}: log2 n = {math.log2(n):4.1f}; inclusion "
              f"{inclusion} hashes ({inclusion * 32} bytes), consistency up to "
              f"{consistency} hashes ({consistency * 32} bytes)")


def _postgres_url(admin_url: str) -> tuple[str, Any]:
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in admin_url else "?"

    def drop() -> None:
        with engine.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()

    return f"{admin_url}{sep}options=-csearch_path%3D{schema}", drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000, help="events to verify")
    parser.add_argument("--pg-events", type=int, default=None,
                        help="events to verify on PostgreSQL (default: same as --events)")
    parser.add_argument("--appends", type=int, default=2_000, help="appends to time")
    parser.add_argument("--anchors", type=int, default=0, metavar="EVENTS",
                        help="only time automatic checkpoints and bisection at EVENTS (SQLite)")
    args = parser.parse_args()
    if args.anchors:
        with tempfile.TemporaryDirectory() as folder:
            ws = _workspace(f"sqlite:///{folder}/bench.db", Path(folder) / "data")
            _anchors(ws, "SQLite", args.anchors, rewrite_at=args.anchors - 5_000)
            ws.store.engine.dispose()
        return
    postgres = os.environ.get("PARLEY_BENCH_POSTGRES_URL") or os.environ.get(
        "PARLEY_TEST_POSTGRES_URL", "")
    with tempfile.TemporaryDirectory() as folder:
        targets = [("SQLite", f"sqlite:///{folder}/bench.db", None, args.events)]
        if postgres:
            url, drop = _postgres_url(postgres)
            targets.append(("PostgreSQL", url, drop, args.pg_events or args.events))
        else:
            print("PostgreSQL: skipped (set PARLEY_BENCH_POSTGRES_URL)")
        for label, url, drop, events in targets:
            try:
                ws = _workspace(url, Path(folder) / label)
                single = _appends(ws, args.appends, batch=1)
                batched = _appends(ws, args.appends * 5, batch=100)
                print(f"{label}: {single:,.0f} appends/s one per transaction; {batched:,.0f} "
                      f"appends/s in transactions of 100")
                _verify(ws, label, events)
                ws.store.engine.dispose()
            finally:
                if drop is not None:
                    drop()
    _proof_sizes()


if __name__ == "__main__":
    main()
