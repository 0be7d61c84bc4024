"""Reading the stored audit events and re-hashing them: the scan that ``verify``, checkpoints and
proofs share. Every row is re-hashed from its columns (payload hash, event hash, chain link) and
each fault is named and classified (changed, missing, inserted, reordered)."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from parley.domain.audit import GENESIS_HASH, event_hash, leaf_bytes_of, payload_hash
from parley.services.ports import Storage, Tx, repositories_of
from parley.services.ports.audit import AuditEvents, StoredEvent
from parley.services.workspace import Workspace
from parley.trust.merkle import HASH_SIZE, leaf_hash

__all__ = ["MAX_FAULTS", "Chunk", "Fault", "Scan", "StoredEvent", "chunks", "leaf_of", "row_at",
           "rows", "scan_chunk"]

MAX_FAULTS = 100

@dataclass(frozen=True, slots=True)
class Fault:
    """One thing wrong with the stored log; ``seq`` is the first event it concerns."""

    seq: int
    kind: str  # changed | missing | inserted | reordered | rewritten | checkpoint
    detail: str

    def __str__(self) -> str:
        return f"event {self.seq} {self.kind}: {self.detail}"



def leaf_of(row: StoredEvent, seq: int | None = None) -> bytes:
    return leaf_bytes_of(row, seq)


def rows(
    tx: Tx, limit: int | None = None, *, lo: int | None = None, hi: int | None = None
) -> Iterator[StoredEvent]:
    """Stored events in seq order (optionally seq lo..hi), streamed by the repository."""
    return repositories_of(tx).audit_events.stream(tx, lo, hi, limit=limit)


def row_at(tx: Tx, seq: int) -> StoredEvent | None:
    return repositories_of(tx).audit_events.at(tx, seq)


@dataclass
class Scan:
    """One pass over the stored events: re-hash, check the chain, feed the tree."""

    tx: Tx
    faults: list[Fault] = field(default_factory=list)
    fault_count: int = 0
    expected_seq: int = 1
    prev_hash: str | None = GENESIS_HASH  # None: the event before is missing (already a fault)
    last_hash: str = GENESIS_HASH
    events: AuditEvents = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.events = repositories_of(self.tx).audit_events

    def fault(self, seq: int, kind: str, detail: str) -> None:
        self.fault_count += 1
        if len(self.faults) < MAX_FAULTS:
            self.faults.append(Fault(seq, kind, detail))

    def _seq_of_hash(self, value: str) -> int | None:
        if value == GENESIS_HASH:
            return 0
        return self.events.seq_of_hash(self.tx, value)

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
        other = self.events.at(self.tx, seq)
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
    tx: Tx, lo: int, hi: int, prev_hash: str | None,
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


def _scan_chunk_in_worker(open_store: Callable[[], Storage], lo: int, hi: int,
                          prev_hash: str | None) -> Chunk:
    """Entry point of a verification worker process: its own store, one range of events."""
    store = open_store()
    try:
        with store.reading() as tx:
            return scan_chunk(tx, lo, hi, prev_hash)
    finally:
        store.close()


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
            lo - 1: ws.repos.audit_events.hash_at(tx, lo - 1) for lo, _ in ranges[1:]
        }
    open_store = ws.store.opener()
    context = multiprocessing.get_context("spawn")  # no forked database connections
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = [
            pool.submit(_scan_chunk_in_worker, open_store, lo, hi,
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
