"""Reading the stored audit events and re-hashing them: the scan that ``verify``, checkpoints and
proofs share. Every row is re-hashed from its columns (payload hash, event hash, chain link) and
each fault is named and classified (changed, missing, inserted, reordered)."""

from __future__ import annotations

import json
import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from parley.adapters.sql.store import Store
from parley.adapters.sql.tables import AuditEventRow
from parley.domain.audit import GENESIS_HASH, event_hash, leaf_bytes_of, payload_hash
from parley.services.workspace import Workspace
from parley.trust.merkle import HASH_SIZE, leaf_hash

MAX_FAULTS = 100

@dataclass(frozen=True, slots=True)
class Fault:
    """One thing wrong with the stored log; ``seq`` is the first event it concerns."""

    seq: int
    kind: str  # changed | missing | inserted | reordered | rewritten | checkpoint
    detail: str

    def __str__(self) -> str:
        return f"event {self.seq} {self.kind}: {self.detail}"



class StoredEvent(NamedTuple):
    """An ``audit_events`` row as stored, read without ORM or type processing (for speed)."""

    seq: int
    occurred_at: datetime
    actor: str
    actor_role: str
    actor_agency: str
    action: str
    target: str
    payload: Any
    payload_hash: str
    prev_hash: str
    event_hash: str


_SELECT = (
    "SELECT seq, occurred_at, actor, actor_role, actor_agency, action, target, payload, "
    "payload_hash, prev_hash, event_hash FROM audit_events"
)


def decode_event(raw: Sequence[Any]) -> StoredEvent:
    """Decode what the driver hands back: SQLite gives text for times and JSON, psycopg gives
    ``datetime`` and decoded JSON; either way the values are what SQLAlchemy stored."""
    seq, at, actor, role, agency, action, target, payload, p_hash, prev, e_hash = raw
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    if isinstance(payload, str | bytes):
        payload = json.loads(payload)
    return StoredEvent(seq, at, actor, role, agency, action, target, payload, p_hash, prev,
                       e_hash)


def leaf_of(row: StoredEvent, seq: int | None = None) -> bytes:
    return leaf_bytes_of(row, seq)


def rows(
    tx: Session, limit: int | None = None, *, lo: int | None = None, hi: int | None = None
) -> Iterator[StoredEvent]:
    """Stored events in seq order (optionally seq lo..hi), streamed straight from the driver's
    cursor (a named, server-side cursor on PostgreSQL): a million rows through SQLAlchemy's
    result machinery cost more than all the hashing."""
    where = []
    if lo is not None:
        where.append(f"seq >= {int(lo)}")
    if hi is not None:
        where.append(f"seq <= {int(hi)}")
    sql = _SELECT + (f" WHERE {' AND '.join(where)}" if where else "") + " ORDER BY seq"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    dbapi = tx.connection().connection.dbapi_connection
    assert dbapi is not None
    if tx.get_bind().dialect.name == "postgresql":
        cursor = dbapi.cursor(name=f"audit_scan_{id(tx)}")
    else:
        cursor = dbapi.cursor()
    try:
        cursor.execute(sql)
        while batch := cursor.fetchmany(5000):
            for raw in batch:
                yield decode_event(raw)
    finally:
        cursor.close()


def row_at(tx: Session, seq: int) -> StoredEvent | None:
    raw = tx.connection().exec_driver_sql(f"{_SELECT} WHERE seq = {int(seq)}").first()
    return None if raw is None else decode_event(raw)


@dataclass
class Scan:
    """One pass over the stored events: re-hash, check the chain, feed the tree."""

    tx: Session
    faults: list[Fault] = field(default_factory=list)
    fault_count: int = 0
    expected_seq: int = 1
    prev_hash: str | None = GENESIS_HASH  # None: the event before is missing (already a fault)
    last_hash: str = GENESIS_HASH

    def fault(self, seq: int, kind: str, detail: str) -> None:
        self.fault_count += 1
        if len(self.faults) < MAX_FAULTS:
            self.faults.append(Fault(seq, kind, detail))

    def _seq_of_hash(self, value: str) -> int | None:
        if value == GENESIS_HASH:
            return 0
        found = self.tx.scalar(select(AuditEventRow.seq).where(AuditEventRow.event_hash == value))
        return int(found) if found is not None else None

    def _original_seq(self, row: StoredEvent) -> int | None:
        """The seq this content was hashed under (its hash commits to it), if it can be found:
        the successor of the event its link points to, or a near neighbour."""
        before = self._seq_of_hash(row.prev_hash)
        candidates = [] if before is None else [before + 1]
        candidates += [row.seq + d for d in (-1, 1, -2, 2, -3, 3)]
        for seq in candidates:
            if seq >= 1 and seq != row.seq and event_hash(leaf_of(row, seq)) == row.event_hash:
                return seq
        return None

    def _holds(self, seq: int, content_seq: int) -> bool:
        """Whether the stored row ``seq`` carries content hashed as event ``content_seq``."""
        other = row_at(self.tx, seq)
        return other is not None and event_hash(leaf_of(other, content_seq)) == other.event_hash

    def _classify_bad_hash(self, row: StoredEvent) -> None:
        """Say whether the event was changed, moved (reordered), or shifted by an insertion or a
        renumbering deletion."""
        seq = row.seq
        if len(self.faults) >= MAX_FAULTS:  # enough named; count the rest without lookups
            self.fault(seq, "changed", "its stored fields do not match its event hash")
            return
        original = self._original_seq(row)
        if original is None:
            self.fault(seq, "changed", "its stored fields do not match its event hash")
        elif self._holds(original, seq):
            self.fault(seq, "reordered", f"events {min(seq, original)} and "
                       f"{max(seq, original)} were swapped: it holds event {original}")
        elif original < seq:
            span = f"{original}" + (f"..{seq - 1}" if seq - 1 > original else "")
            self.fault(original, "inserted", f"event(s) {span} were inserted: event {seq} "
                       f"holds the original event {original}")
        else:
            span = f"{seq}" + (f"..{original - 1}" if original - 1 > seq else "")
            self.fault(seq, "missing", f"event(s) {span} were deleted and the rest renumbered: "
                       f"event {seq} holds the original event {original}")

    def check(self, row: StoredEvent) -> bytes:
        """Check one row and return its leaf bytes (recomputed from the stored columns)."""
        seq = row.seq
        if seq > self.expected_seq:
            gap = f"{self.expected_seq}" + (
                f"..{seq - 1}" if seq - 1 > self.expected_seq else ""
            )
            self.fault(self.expected_seq, "missing", f"event(s) {gap} are not in the log")
        leaf = leaf_of(row)
        if payload_hash(row.payload) != row.payload_hash:
            self.fault(seq, "changed", "its payload does not match its stored payload hash")
        elif event_hash(leaf) != row.event_hash:
            self._classify_bad_hash(row)
        elif (self.prev_hash is not None and row.prev_hash != self.prev_hash
              and seq == self.expected_seq):
            linked = self._seq_of_hash(row.prev_hash)
            if linked is None and seq > 1:
                self.fault(seq - 1, "changed", f"event {seq} links to a different event "
                           f"{seq - 1}: event {seq - 1} was rewritten with fresh hashes")
            elif linked is None:
                self.fault(seq, "changed", "the first event does not start from the genesis hash")
            else:
                self.fault(seq, "reordered", f"it links to event {linked}, not to event "
                           f"{seq - 1}")
        self.prev_hash = row.event_hash
        self.expected_seq = seq + 1
        self.last_hash = row.event_hash
        return leaf


@dataclass(frozen=True, slots=True)
class Chunk:
    """What one scan of events lo..hi found: their leaf hashes (32 bytes each, in order)."""

    lo: int
    hi: int
    hashes: bytes
    faults: list[Fault]
    fault_count: int
    expected_seq: int
    last_hash: str


def scan_chunk(
    tx: Session, lo: int, hi: int, prev_hash: str | None,
    progress: Callable[[int], None] | None = None,
) -> Chunk:
    scan = Scan(tx, expected_seq=lo, prev_hash=prev_hash)
    hashes = bytearray()
    for count, row in enumerate(rows(tx, lo=lo, hi=hi), start=1):
        hashes += leaf_hash(scan.check(row))
        if progress is not None and not count % 5000:
            progress(count)
    return Chunk(lo, hi, bytes(hashes), scan.faults, scan.fault_count, scan.expected_seq,
                  scan.last_hash)


def _scan_chunk_in_worker(url: str, lo: int, hi: int, prev_hash: str | None) -> Chunk:
    """Entry point of a verification worker process: its own engine, one range of events."""
    store = Store.from_url(url)
    try:
        with store.reading() as tx:
            return scan_chunk(tx, lo, hi, prev_hash)
    finally:
        store.engine.dispose()


def chunks(
    ws: Workspace, top: int, workers: int, progress: Callable[[int], None] | None
) -> list[Chunk]:
    if workers <= 1 or top < 2 * workers:
        with ws.store.reading() as tx:
            return [scan_chunk(tx, 1, max(top, 1), GENESIS_HASH, progress)]
    bounds = [1 + (top * i) // workers for i in range(workers)] + [top + 1]
    ranges = [(bounds[i], bounds[i + 1] - 1) for i in range(workers)]
    with ws.store.reading() as tx:
        before = {  # the event hash each later range links back to (None if it is missing)
            lo - 1: tx.scalar(select(AuditEventRow.event_hash).where(AuditEventRow.seq == lo - 1))
            for lo, _ in ranges[1:]
        }
    url = ws.store.engine.url.render_as_string(hide_password=False)
    context = multiprocessing.get_context("spawn")  # no forked database connections
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = [
            pool.submit(_scan_chunk_in_worker, url, lo, hi,
                        GENESIS_HASH if lo == 1 else before[lo - 1])
            for lo, hi in ranges
        ]
        done = 0
        results = []
        for future in futures:
            results.append(future.result())
            done += len(results[-1].hashes) // HASH_SIZE
            if progress is not None:
                progress(done)
    return results
