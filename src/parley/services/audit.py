"""The audit log as a Merkle tree: verify it, sign checkpoints, prove inclusion and consistency.

Every stored event is re-hashed from its columns (payload hash, event hash, chain link) and its
leaf enters an RFC 9162 tree; each signed checkpoint pins the tree head at one size. Whoever can
write the database can forge a self-consistent chain, but not the checkpoint signatures, so
``verify_log`` locates tampering within a checkpoint interval even after a full rewrite, and
``write_checkpoint`` refuses to sign a tree that does not extend the previous signed one.
"""

from __future__ import annotations

import base64
import json
import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from parley.adapters.sql.store import Store
from parley.adapters.sql.tables import AuditEventRow, AuditHead
from parley.adapters.sql.trust_tables import AuditCheckpoint
from parley.domain.actors import Action, Actor
from parley.domain.audit import (
    GENESIS_HASH,
    event_hash,
    leaf_bytes_of,
    payload_hash,
    utc_text,
)
from parley.errors import Conflict, IntegrityError, InvalidInput, NotFound
from parley.services.journal import record_event
from parley.services.keys import agency_signer, existing_public_key
from parley.services.workspace import Workspace
from parley.trust.errors import TrustError
from parley.trust.event import INCLUSION_PROOF_TYPE
from parley.trust.keys import VerifierKey
from parley.trust.merkle import (
    HASH_SIZE,
    CompactRange,
    MerkleTree,
    leaf_hash,
    verify_consistency,
)
from parley.trust.note import Checkpoint, sign_checkpoint, verify_checkpoint

LOG_ORIGIN = "parley.local/audit"
LOG_SIGNER = "HQ"  # the coordination staff signs every checkpoint; others co-sign
MAX_FAULTS = 100
CONSISTENCY_PROOF_TYPE = "parley.consistency-proof/v1"

@dataclass(frozen=True, slots=True)
class Fault:
    """One thing wrong with the stored log; ``seq`` is the first event it concerns."""

    seq: int
    kind: str  # changed | missing | inserted | reordered | rewritten | checkpoint
    detail: str

    def __str__(self) -> str:
        return f"event {self.seq} {self.kind}: {self.detail}"


@dataclass(frozen=True, slots=True)
class CheckpointRecord:
    id: int
    size: int
    root_hash: str
    origin: str
    note: str
    signers: tuple[str, ...]
    created_by: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class VerifyReport:
    events: int
    root_hash: str
    checkpoints_checked: int
    latest_checkpoint: CheckpointRecord | None
    faults: tuple[Fault, ...]
    fault_count: int

    @property
    def ok(self) -> bool:
        return not self.faults

    @property
    def first_fault(self) -> Fault | None:
        return min(self.faults, key=lambda f: f.seq) if self.faults else None


@dataclass(frozen=True, slots=True)
class LogEntry:
    seq: int
    occurred_at: datetime
    actor: str
    actor_role: str
    actor_agency: str
    action: str
    target: str
    payload: dict[str, Any]
    event_hash: str


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


def _event(raw: Sequence[Any]) -> StoredEvent:
    """Decode what the driver hands back: SQLite gives text for times and JSON, psycopg gives
    ``datetime`` and decoded JSON; either way the values are what SQLAlchemy stored."""
    seq, at, actor, role, agency, action, target, payload, p_hash, prev, e_hash = raw
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    if isinstance(payload, str | bytes):
        payload = json.loads(payload)
    return StoredEvent(seq, at, actor, role, agency, action, target, payload, p_hash, prev,
                       e_hash)


def _leaf(row: StoredEvent, seq: int | None = None) -> bytes:
    return leaf_bytes_of(row, seq)


def _rows(
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
                yield _event(raw)
    finally:
        cursor.close()


def _row_at(tx: Session, seq: int) -> StoredEvent | None:
    raw = tx.connection().exec_driver_sql(f"{_SELECT} WHERE seq = {int(seq)}").first()
    return None if raw is None else _event(raw)


@dataclass
class _Scan:
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
            if seq >= 1 and seq != row.seq and event_hash(_leaf(row, seq)) == row.event_hash:
                return seq
        return None

    def _holds(self, seq: int, content_seq: int) -> bool:
        """Whether the stored row ``seq`` carries content hashed as event ``content_seq``."""
        other = _row_at(self.tx, seq)
        return other is not None and event_hash(_leaf(other, content_seq)) == other.event_hash

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
        leaf = _leaf(row)
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


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive times; they were written as UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _checkpoint_record(row: AuditCheckpoint) -> CheckpointRecord:
    return CheckpointRecord(
        id=row.id,
        size=row.size,
        root_hash=row.root_hash,
        origin=row.origin,
        note=row.note,
        signers=tuple(str(s) for s in row.signers),
        created_by=row.created_by,
        created_at=_aware(row.created_at),
    )


def _verifier_keys(ws: Workspace, signers: Sequence[str]) -> list[VerifierKey]:
    return [VerifierKey.of(code, existing_public_key(ws, code)) for code in signers]


def _check_checkpoint(ws: Workspace, record: CheckpointRecord) -> Checkpoint:
    """The note's signatures hold and the row's columns say what the note says."""
    try:
        checkpoint = verify_checkpoint(record.note, _verifier_keys(ws, record.signers))
    except (TrustError, NotFound, InvalidInput) as err:
        raise IntegrityError(f"checkpoint #{record.id} (size {record.size}): {err}") from err
    if checkpoint.size != record.size or checkpoint.root_hash.hex() != record.root_hash:
        raise IntegrityError(
            f"checkpoint #{record.id}: its stored size/root differ from its signed note"
        )
    return checkpoint


def _checkpoints(tx: Session) -> list[CheckpointRecord]:
    rows = tx.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.size, AuditCheckpoint.id))
    return [_checkpoint_record(row) for row in rows]


def count_events(ws: Workspace) -> int:
    with ws.store.reading() as tx:
        return int(tx.scalar(select(func.count()).select_from(AuditEventRow)) or 0)


@dataclass(frozen=True, slots=True)
class _Chunk:
    """What one scan of events lo..hi found: their leaf hashes (32 bytes each, in order)."""

    lo: int
    hi: int
    hashes: bytes
    faults: list[Fault]
    fault_count: int
    expected_seq: int
    last_hash: str


def _scan_chunk(
    tx: Session, lo: int, hi: int, prev_hash: str | None,
    progress: Callable[[int], None] | None = None,
) -> _Chunk:
    scan = _Scan(tx, expected_seq=lo, prev_hash=prev_hash)
    hashes = bytearray()
    for count, row in enumerate(_rows(tx, lo=lo, hi=hi), start=1):
        hashes += leaf_hash(scan.check(row))
        if progress is not None and not count % 5000:
            progress(count)
    return _Chunk(lo, hi, bytes(hashes), scan.faults, scan.fault_count, scan.expected_seq,
                  scan.last_hash)


def _scan_chunk_in_worker(url: str, lo: int, hi: int, prev_hash: str | None) -> _Chunk:
    """Entry point of a verification worker process: its own engine, one range of events."""
    store = Store.from_url(url)
    try:
        with store.reading() as tx:
            return _scan_chunk(tx, lo, hi, prev_hash)
    finally:
        store.engine.dispose()


def _chunks(
    ws: Workspace, top: int, workers: int, progress: Callable[[int], None] | None
) -> list[_Chunk]:
    if workers <= 1 or top < 2 * workers:
        with ws.store.reading() as tx:
            return [_scan_chunk(tx, 1, max(top, 1), GENESIS_HASH, progress)]
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


def verify_log(
    ws: Workspace, *, progress: Callable[[int], None] | None = None, workers: int = 1
) -> VerifyReport:
    """Recompute every payload hash, event hash and chain link, and the Merkle root at every
    signed checkpoint; the report names the first bad event and what is wrong with it.

    ``workers`` > 1 re-hashes seq ranges in that many processes (the hashing, not the tree, is
    the cost); ``progress`` is called with the number of events checked so far."""
    with ws.store.reading() as tx:
        checkpoints = _checkpoints(tx)
        head = tx.get(AuditHead, 1)
        top = int(tx.scalar(select(func.max(AuditEventRow.seq))) or 0)
        below = int(tx.scalar(select(func.count()).where(AuditEventRow.seq < 1)) or 0)
    scan = _Scan(tx)  # collects the faults; its session is not used again
    if below:
        scan.fault(1, "inserted", f"{below} event(s) with a seq below 1 were inserted")
    wanted = {c.size for c in checkpoints}
    roots: dict[int, bytes] = {}
    tree = CompactRange()
    chunks = _chunks(ws, top, workers, progress)
    for position, chunk in enumerate(chunks):
        scan.faults.extend(chunk.faults)
        scan.fault_count += chunk.fault_count
        if position + 1 < len(chunks) and chunk.expected_seq <= chunk.hi:
            gap = f"{chunk.expected_seq}" + (
                f"..{chunk.hi}" if chunk.hi > chunk.expected_seq else "")
            scan.fault(chunk.expected_seq, "missing", f"event(s) {gap} are not in the log")
        for offset in range(0, len(chunk.hashes), HASH_SIZE):
            tree.append(chunk.hashes[offset : offset + HASH_SIZE])
            if tree.size in wanted:
                roots[tree.size] = tree.root()
    last = chunks[-1]
    scan.expected_seq = last.expected_seq
    scan.last_hash = last.last_hash if top else GENESIS_HASH
    if progress is not None:
        progress(tree.size)
    if head is not None:
        if head.seq > tree.size and head.seq >= scan.expected_seq:
            scan.fault(scan.expected_seq, "missing",
                       f"the chain head is at event {head.seq} but the log ends at "
                       f"{scan.expected_seq - 1}: events were deleted from the end")
        elif head.seq < scan.expected_seq - 1:
            scan.fault(head.seq + 1, "inserted",
                       f"events {head.seq + 1}..{scan.expected_seq - 1} lie beyond the chain "
                       f"head ({head.seq})")
        elif head.event_hash != scan.last_hash:
            scan.fault(head.seq, "changed", "the chain head's hash differs from the last event's")
    good_size = 0
    for record in checkpoints:
        try:
            _check_checkpoint(ws, record)
        except IntegrityError as err:
            scan.fault(max(record.size, 1), "checkpoint", str(err))
            continue
        if record.size > tree.size:
            scan.fault(tree.size + 1, "missing",
                       f"checkpoint #{record.id} signed {record.size} events but the log holds "
                       f"{tree.size}")
        elif record.size and roots.get(record.size, b"").hex() != record.root_hash:
            # A fault already named inside the range explains the mismatch and comes first;
            # otherwise (a consistent forgery) the range is all the signed roots can tell.
            named = any(good_size < f.seq <= record.size for f in scan.faults)
            scan.fault(record.size if named else good_size + 1, "rewritten",
                       f"the tree of events 1..{record.size} does not match checkpoint "
                       f"#{record.id} signed by {', '.join(record.signers)}: history between "
                       f"events {good_size + 1} and {record.size} was rewritten")
        else:
            good_size = max(good_size, record.size)
    return VerifyReport(
        events=tree.size,
        root_hash=tree.root().hex(),
        checkpoints_checked=len(checkpoints),
        latest_checkpoint=checkpoints[-1] if checkpoints else None,
        faults=tuple(sorted(scan.faults, key=lambda f: f.seq)),
        fault_count=scan.fault_count,
    )


def require_intact(ws: Workspace) -> VerifyReport:
    """``verify_log`` that raises ``IntegrityError`` naming the first fault."""
    report = verify_log(ws)
    first = report.first_fault
    if first is not None:
        more = f" (and {report.fault_count - 1} more)" if report.fault_count > 1 else ""
        raise IntegrityError(f"audit log does not verify: {first}{more}")
    return report


def _tree(tx: Session, size: int | None = None, *, strict: bool = True) -> MerkleTree:
    """The tree over the first ``size`` events; with ``strict`` any chain fault is an error."""
    scan = _Scan(tx)
    tree = MerkleTree()
    for row in _rows(tx, size):
        tree.append(leaf_hash(scan.check(row)))
    if strict and scan.faults:
        first = min(scan.faults, key=lambda f: f.seq)
        raise IntegrityError(f"audit log does not verify: {first}; run 'parley audit verify'")
    if size is not None and tree.size < size:
        raise NotFound(f"the log holds {tree.size} events, not {size}")
    return tree


def latest_checkpoint(ws: Workspace) -> CheckpointRecord | None:
    with ws.store.reading() as tx:
        row = tx.scalars(
            select(AuditCheckpoint).order_by(AuditCheckpoint.size.desc(), AuditCheckpoint.id.desc())
        ).first()
        return _checkpoint_record(row) if row is not None else None


def checkpoint_at(ws: Workspace, size: int) -> CheckpointRecord:
    """The newest checkpoint signed at exactly ``size`` events."""
    with ws.store.reading() as tx:
        row = tx.scalars(
            select(AuditCheckpoint)
            .where(AuditCheckpoint.size == size)
            .order_by(AuditCheckpoint.id.desc())
        ).first()
        if row is None:
            raise NotFound(f"no signed checkpoint at size {size}")
        return _checkpoint_record(row)


def write_checkpoint(
    ws: Workspace, *, actor: Actor, cosigners: Sequence[str] = ()
) -> CheckpointRecord:
    """Sign the current tree head (staff key plus each co-signing agency), refusing if the stored
    events do not verify or the new tree does not extend the previous signed checkpoint."""
    actor.require(Action.SIGN_CHECKPOINT)
    names = list(dict.fromkeys([LOG_SIGNER, *cosigners]))
    signers = [agency_signer(ws, code) for code in names]  # before the write lock is taken
    with ws.store.transaction() as tx:
        tx.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update())
        tree = _tree(tx)
        previous = tx.scalars(
            select(AuditCheckpoint).order_by(AuditCheckpoint.size.desc(), AuditCheckpoint.id.desc())
        ).first()
        if previous is not None:
            before = _check_checkpoint(ws, _checkpoint_record(previous))
            try:
                verify_consistency(
                    before.size,
                    tree.size,
                    before.root_hash,
                    tree.root(),
                    tree.consistency_proof(before.size),
                )
            except TrustError as err:
                raise IntegrityError(
                    f"refusing to sign: the log at size {tree.size} is not consistent with "
                    f"checkpoint #{previous.id} at size {previous.size} ({err})"
                ) from err
        checkpoint = Checkpoint(origin=LOG_ORIGIN, size=tree.size, root_hash=tree.root())
        note = sign_checkpoint(checkpoint, signers)
        row = AuditCheckpoint(
            size=tree.size,
            root_hash=checkpoint.root_hash.hex(),
            origin=LOG_ORIGIN,
            note=note,
            signers=names,
            created_by=actor.username,
        )
        tx.add(row)
        tx.flush()
        record_event(
            tx,
            actor=actor,
            action="audit.checkpoint",
            target=f"checkpoint:{row.id}",
            payload={"size": tree.size, "root_hash": row.root_hash, "signers": names},
        )
        return _checkpoint_record(row)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def prove_inclusion(ws: Workspace, seq: int, *, actor: Actor) -> dict[str, Any]:
    """A self-contained proof that event ``seq`` is in the newest signed checkpoint covering it:
    the leaf, its index, the tree size, the audit path and the signed checkpoint note."""
    actor.require(Action.READ_AUDIT)
    if seq < 1:
        raise InvalidInput(f"event id must be 1 or more, not {seq}")
    with ws.store.reading() as tx:
        row = tx.scalars(
            select(AuditCheckpoint)
            .where(AuditCheckpoint.size >= seq)
            .order_by(AuditCheckpoint.size.desc(), AuditCheckpoint.id.desc())
        ).first()
        if row is None:
            known = tx.scalar(select(AuditEventRow.seq).where(AuditEventRow.seq == seq))
            if known is None:
                raise NotFound(f"no audit event {seq}")
            raise Conflict(f"event {seq} is not yet covered by a signed checkpoint: "
                           "run 'parley audit checkpoint' first")
        record = _checkpoint_record(row)
        tree = _tree(tx, record.size)
        stored = _row_at(tx, seq)
        assert stored is not None
        leaf = _leaf(stored)
    if tree.root().hex() != record.root_hash:
        raise IntegrityError(f"the log's tree at size {record.size} does not match checkpoint "
                             f"#{record.id}: run 'parley audit verify'")
    path = tree.inclusion_proof(seq - 1)
    return {
        "type": INCLUSION_PROOF_TYPE,
        "seq": seq,
        "index": seq - 1,
        "tree_size": record.size,
        "leaf": leaf.decode("utf-8"),
        "path": [_b64(item) for item in path],
        "checkpoint": record.note,
        "event": {  # everything the leaf is made of: the verifier rebuilds the leaf from it
            "seq": stored.seq, "at": utc_text(stored.occurred_at), "actor": stored.actor,
            "role": stored.actor_role, "agency": stored.actor_agency, "action": stored.action,
            "target": stored.target, "payload": stored.payload, "prev": stored.prev_hash,
        },
    }


def prove_consistency(
    ws: Workspace, old_size: int, new_size: int | None = None, *, actor: Actor
) -> dict[str, Any]:
    """A consistency proof between the signed checkpoints at ``old_size`` and ``new_size``
    (default: the newest). Checked before it is handed out, so a rewritten history is reported
    here rather than discovered by the mediator."""
    actor.require(Action.READ_AUDIT)
    old = checkpoint_at(ws, old_size)
    if new_size is None:
        newest = latest_checkpoint(ws)
        assert newest is not None  # old exists
        new = newest
    else:
        new = checkpoint_at(ws, new_size)
    if new.size < old.size:
        raise InvalidInput(f"new size {new.size} is smaller than old size {old.size}")
    with ws.store.reading() as tx:
        tree = _tree(tx, new.size, strict=False)
    path = tree.consistency_proof(old.size, new.size)
    try:
        verify_consistency(old.size, new.size, bytes.fromhex(old.root_hash),
                           bytes.fromhex(new.root_hash), path)
    except TrustError as err:
        raise IntegrityError(f"the stored log is not consistent with the signed checkpoints "
                             f"at sizes {old.size} and {new.size}: {err}") from err
    return {
        "type": CONSISTENCY_PROOF_TYPE,
        "old_size": old.size,
        "new_size": new.size,
        "path": [_b64(item) for item in path],
        "old_checkpoint": old.note,
        "new_checkpoint": new.note,
    }


def audit_log(
    ws: Workspace,
    *,
    actor: Actor,
    by: str | None = None,
    action: str | None = None,
    target: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 100,
) -> list[LogEntry]:
    """Readable history, newest first, filtered by who, what, which target and when."""
    actor.require(Action.READ_AUDIT)
    if limit < 1:
        raise InvalidInput(f"limit must be 1 or more, not {limit}")
    stmt = select(AuditEventRow).order_by(AuditEventRow.seq.desc()).limit(limit)
    if by:
        stmt = stmt.where(AuditEventRow.actor == by)
    if action:
        stmt = stmt.where(AuditEventRow.action.startswith(action, autoescape=True))
    if target:
        stmt = stmt.where(AuditEventRow.target.contains(target, autoescape=True))
    if since:
        stmt = stmt.where(AuditEventRow.occurred_at >= since)
    if until:
        stmt = stmt.where(AuditEventRow.occurred_at < until)
    with ws.store.reading() as tx:
        return [
            LogEntry(
                seq=row.seq,
                occurred_at=_aware(row.occurred_at),
                actor=row.actor,
                actor_role=row.actor_role,
                actor_agency=row.actor_agency,
                action=row.action,
                target=row.target,
                payload=dict(row.payload),
                event_hash=row.event_hash,
            )
            for row in tx.scalars(stmt)
        ]
