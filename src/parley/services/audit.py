"""The audit log as a Merkle tree: verify it, sign checkpoints, prove inclusion and consistency.

Every stored event is re-hashed from its columns (payload hash, event hash, chain link) and its
leaf enters an RFC 9162 tree; each signed checkpoint pins the tree head at one size. Whoever can
write the database can forge a self-consistent chain, but not the checkpoint signatures, so
``verify_log`` locates tampering within a checkpoint interval even after a full rewrite, and
``write_checkpoint`` refuses to sign a tree that does not extend the previous signed one.
"""

from __future__ import annotations

import base64
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from parley.clock import as_utc
from parley.domain.actors import Action, Actor, Role
from parley.domain.audit import GENESIS_HASH, utc_text
from parley.errors import N_, Conflict, IntegrityError, InvalidInput, NotFound, ParleyError, Text
from parley.services.audit_anchor import (
    LOG_ORIGIN,
    LOG_SIGNER,
    export_checkpoint,
    exported_anchors,
    first_bad_event,
    read_anchor,
)
from parley.services.audit_checkpoint import (
    CHECKPOINT_ACTION,
    checkpoint_due,
    extend_signed_tree,
    refuse_if_export_disagrees,
    store_tree,
)
from parley.services.audit_history import audit_log
from parley.services.audit_scan import MAX_FAULTS, Fault, Scan, chunks, leaf_of, row_at, rows
from parley.services.journal import record_event
from parley.services.keys import agency_signer, existing_public_key
from parley.services.ports import Tx, repositories_of
from parley.services.ports.audit import ChainHead, CheckpointRow, LogEntry
from parley.services.workspace import Workspace
from parley.trust.errors import TrustError
from parley.trust.event import INCLUSION_PROOF_TYPE
from parley.trust.keys import VerifierKey
from parley.trust.merkle import HASH_SIZE, CompactRange, MerkleTree, leaf_hash, verify_consistency
from parley.trust.note import Checkpoint, sign_checkpoint, verify_checkpoint

__all__ = [
    "LOG_ORIGIN", "LOG_SIGNER", "MAX_FAULTS", "CheckpointRecord", "Fault", "LogEntry",
    "VerifyReport", "audit_log", "checkpoint_at", "count_events", "latest_checkpoint",
    "maybe_checkpoint", "prove_consistency", "prove_inclusion", "require_intact", "verify_log",
    "write_checkpoint",
]

CONSISTENCY_PROOF_TYPE = "parley.consistency-proof/v1"

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


def checkpoint_record(row: CheckpointRow) -> CheckpointRecord:
    return CheckpointRecord(
        id=row.id,
        size=row.size,
        root_hash=row.root_hash,
        origin=row.origin,
        note=row.note,
        signers=tuple(str(s) for s in row.signers),
        created_by=row.created_by,
        created_at=as_utc(row.created_at),
    )


def _verifier_keys(ws: Workspace, signers: Sequence[str]) -> list[VerifierKey]:
    return [VerifierKey.of(code, existing_public_key(ws, code)) for code in signers]


def _check_checkpoint(ws: Workspace, record: CheckpointRecord) -> Checkpoint:
    """The note's signatures hold and the row's columns say what the note says."""
    try:
        checkpoint = verify_checkpoint(record.note, _verifier_keys(ws, record.signers))
    except (TrustError, NotFound, InvalidInput) as err:
        raise IntegrityError(
            N_("checkpoint #%(record_id)s (size %(record_size)s): %(err)s"),
            record_id=record.id, record_size=record.size, err=err,
        ) from err
    if checkpoint.size != record.size or checkpoint.root_hash.hex() != record.root_hash:
        raise IntegrityError(
            N_("checkpoint #%(record_id)s: its stored size/root differ from its signed note"),
            record_id=record.id,
        )
    return checkpoint


def _checkpoints(tx: Tx) -> list[CheckpointRecord]:
    return [checkpoint_record(row) for row in repositories_of(tx).audit_checkpoints.in_order(tx)]


def count_events(ws: Workspace) -> int:
    with ws.store.reading() as tx:
        return ws.repos.audit_events.count(tx)


def verify_log(
    ws: Workspace, *, progress: Callable[[int], None] | None = None, workers: int = 1,
    anchors: Sequence[Path] = (),
) -> VerifyReport:
    """Recompute every payload hash, event hash and chain link, and the Merkle root at every
    signed checkpoint: those in the database, those exported outside it, and the files in
    ``anchors`` (copies the mediator or an agency kept); the report names the first bad event and
    what is wrong with it (bisecting with the stored tree when history was rewritten cleanly).

    ``workers`` > 1 re-hashes seq ranges in that many processes (the hashing, not the tree, is
    the cost); ``progress`` is called with the number of events checked so far."""
    held = [read_anchor(ws, path) for path in anchors]  # a file given that does not verify
    exported, problems = exported_anchors(ws)           # is an error; a bad export is a fault
    events = ws.repos.audit_events
    with ws.store.reading() as tx:
        checkpoints = _checkpoints(tx)
        head = events.head(tx)
        top = events.last_seq(tx)
        below = events.count_below(tx, 1)
    scan = Scan(tx)  # collects the faults; its session is not used again
    if below:
        scan.fault(1, "inserted", f"{below} event(s) with a seq below 1 were inserted")
    for problem in problems:
        scan.fault(1, "checkpoint", f"an exported {problem}")
    wanted = {c.size for c in checkpoints} | {a.size for a in [*held, *exported]}
    roots: dict[int, bytes] = {}
    tree = CompactRange()
    parts = chunks(ws, top, workers, progress)
    for position, chunk in enumerate(parts):
        scan.faults.extend(chunk.faults)
        scan.fault_count += chunk.fault_count
        if position + 1 < len(parts) and chunk.expected_seq <= chunk.hi:
            gap = f"{chunk.expected_seq}" + (
                f"..{chunk.hi}" if chunk.hi > chunk.expected_seq else "")
            scan.fault(chunk.expected_seq, "missing", f"event(s) {gap} are not in the log")
        for offset in range(0, len(chunk.hashes), HASH_SIZE):
            tree.append(chunk.hashes[offset : offset + HASH_SIZE])
            if tree.size in wanted:
                roots[tree.size] = tree.root()
    last = parts[-1]
    scan.expected_seq = last.expected_seq
    scan.last_hash = last.last_hash if top else GENESIS_HASH
    if progress is not None:
        progress(tree.size)
    if head is not None:
        _check_head(scan, head, tree.size)
    judge = _Judge(ws, scan, roots, tree.size, b"".join(part.hashes for part in parts))
    for record in checkpoints:
        try:
            _check_checkpoint(ws, record)
        except IntegrityError as err:
            scan.fault(max(record.size, 1), "checkpoint", str(err))
            continue
        judge.signed(record.size, bytes.fromhex(record.root_hash),
                     f"checkpoint #{record.id} signed by {', '.join(record.signers)}")
    in_store = {(c.size, c.root_hash) for c in checkpoints}
    for anchor in held:
        judge.signed(anchor.size, anchor.checkpoint.root_hash, f"checkpoint {anchor.where}")
    for anchor in exported:
        judge.signed(anchor.size, anchor.checkpoint.root_hash, f"checkpoint {anchor.where}")
        if (anchor.size, anchor.checkpoint.root_hash.hex()) not in in_store:
            scan.fault(max(anchor.size, 1), "checkpoint", f"checkpoint {anchor.where} is not in "
                       "the database: signed checkpoint rows were deleted")
    return VerifyReport(
        events=tree.size,
        root_hash=tree.root().hex(),
        checkpoints_checked=len(checkpoints) + len(exported) + len(held),
        latest_checkpoint=checkpoints[-1] if checkpoints else None,
        faults=tuple(sorted(scan.faults, key=lambda f: f.seq)),
        fault_count=scan.fault_count,
    )


def _check_head(scan: Scan, head: ChainHead, size: int) -> None:
    if head.seq > size and head.seq >= scan.expected_seq:
        scan.fault(scan.expected_seq, "missing",
                   f"the chain head is at event {head.seq} but the log ends at "
                   f"{scan.expected_seq - 1}: events were deleted from the end")
    elif head.seq < scan.expected_seq - 1:
        scan.fault(head.seq + 1, "inserted",
                   f"events {head.seq + 1}..{scan.expected_seq - 1} lie beyond the chain "
                   f"head ({head.seq})")
    elif head.event_hash != scan.last_hash:
        scan.fault(head.seq, "changed", "the chain head's hash differs from the last event's")


@dataclass
class _Judge:
    """Holds the recomputed tree against each signed (size, root) and names what differs."""

    ws: Workspace
    scan: Scan
    roots: dict[int, bytes]
    size: int
    hashes: bytes  # the recomputed leaf hashes, 32 bytes each
    good_size: int = 0
    _stored: bytes | None = None

    def _stored_leaves(self, size: int) -> bytes | None:
        if self._stored is None or len(self._stored) < size * HASH_SIZE:
            repo = self.ws.repos.audit_tree
            with self.ws.store.reading() as tx:
                self._stored = repo.leaf_hashes(tx, min(repo.stored_leaves(tx),
                                                        max(size, self.size)))
        if self._stored is None or len(self._stored) < size * HASH_SIZE:
            return None
        return self._stored[: size * HASH_SIZE]

    def signed(self, size: int, root: bytes, what: str) -> bool:
        """Check the log against one signed tree head; True if it holds."""
        scan = self.scan
        if size > self.size:
            scan.fault(self.size + 1, "missing", f"{what} covers {size} events but the log holds "
                       f"{self.size}: events were deleted from the end")
            return False
        if not size or self.roots.get(size) == root:
            self.good_size = max(self.good_size, size)
            return True
        bad = first_bad_event(self._stored_leaves(size), self.hashes, size, root)
        if bad is not None:
            scan.fault(bad, "rewritten", f"it differs from the event {bad} that {what} holds "
                       f"(found with the stored tree): history from event {bad} on was "
                       "rewritten")
            return False
        # A fault already named inside the range explains the mismatch and comes first;
        # otherwise (a consistent forgery and a rewritten stored tree) the range is all the
        # signed roots can tell.
        named = any(self.good_size < f.seq <= size for f in scan.faults)
        scan.fault(size if named else self.good_size + 1, "rewritten",
                   f"the tree of events 1..{size} does not match {what}: history between "
                   f"events {self.good_size + 1} and {size} was rewritten")
        return False


def require_intact(ws: Workspace) -> VerifyReport:
    """``verify_log`` that raises ``IntegrityError`` naming the first fault."""
    report = verify_log(ws)
    first = report.first_fault
    if first is not None:
        more: Text | str = (Text(N_(" (and %(count)s more)"), count=report.fault_count - 1)
                            if report.fault_count > 1 else "")
        raise IntegrityError(
            N_("audit log does not verify: %(first)s%(more)s"),
            first=first, more=more,
        )
    return report


def _tree(tx: Tx, size: int | None = None, *, strict: bool = True) -> MerkleTree:
    """The tree over the first ``size`` events; with ``strict`` any chain fault is an error."""
    scan = Scan(tx)
    tree = MerkleTree()
    for row in rows(tx, size):
        tree.append(leaf_hash(scan.check(row)))
    if strict and scan.faults:
        first = min(scan.faults, key=lambda f: f.seq)
        raise IntegrityError(
            N_("audit log does not verify: %(first)s; run 'parley audit verify'"),
            first=first,
        )
    if size is not None and tree.size < size:
        raise NotFound(
            N_("the log holds %(tree_size)s events, not %(size)s"),
            tree_size=tree.size, size=size,
        )
    return tree


def latest_checkpoint(ws: Workspace) -> CheckpointRecord | None:
    with ws.store.reading() as tx:
        newest = ws.repos.audit_checkpoints.newest(tx, limit=1)
        return checkpoint_record(newest[0]) if newest else None


def checkpoint_at(ws: Workspace, size: int) -> CheckpointRecord:
    """The newest checkpoint signed at exactly ``size`` events."""
    with ws.store.reading() as tx:
        row = ws.repos.audit_checkpoints.at_size(tx, size)
        if row is None:
            raise NotFound(N_("no signed checkpoint at size %(size)s"), size=size)
        return checkpoint_record(row)


def write_checkpoint(
    ws: Workspace, *, actor: Actor, cosigners: Sequence[str] = (), incremental: bool = False
) -> CheckpointRecord:
    """Sign the current tree head (staff key plus each co-signing agency) and export the note
    outside the database, refusing if the stored events do not verify, the new tree does not
    extend the previous signed checkpoint, or the newest exported checkpoint contradicts it.

    ``incremental`` (automatic checkpoints) re-hashes only the events after the previous
    checkpoint, extending its tree from the stored frontier, when that frontier is intact;
    otherwise the whole log is re-hashed and checked."""
    actor.require(Action.SIGN_CHECKPOINT)
    names = list(dict.fromkeys([LOG_SIGNER, *cosigners]))
    signers = [agency_signer(ws, code) for code in names]  # before the write lock is taken
    repos = ws.repos
    with ws.store.transaction() as tx:
        repos.audit_events.head(tx, lock=True)
        newest = repos.audit_checkpoints.newest(tx, limit=1)
        previous = newest[0] if newest else None
        before = None if previous is None else _check_checkpoint(ws, checkpoint_record(previous))
        extension = None
        if incremental and previous is not None and before is not None:
            extension = extend_signed_tree(tx, ws, previous, before.root_hash)
        if extension is not None:
            size, root = extension.tree.size, extension.tree.root()
            start, new_hashes = extension.start, extension.new_hashes
            frontier = extension.tree.frontier
        else:
            tree = _tree(tx)
            if previous is not None and before is not None:
                _refuse_if_inconsistent(tree, before, previous.id)
            refuse_if_export_disagrees(ws, tree.size, tree.root)
            size, root, start = tree.size, tree.root(), 0
            new_hashes, frontier = b"".join(tree.levels[0]), tree.frontier()
        store_tree(tx, start, new_hashes, size, frontier)
        note = sign_checkpoint(Checkpoint(origin=LOG_ORIGIN, size=size, root_hash=root), signers)
        row = repos.audit_checkpoints.add(tx, size=size, root_hash=root.hex(), origin=LOG_ORIGIN,
                                          note=note, signers=names, created_by=actor.username)
        record_event(tx, actor=actor, action=CHECKPOINT_ACTION, target=f"checkpoint:{row.id}",
                     payload={"size": size, "root_hash": row.root_hash, "signers": names})
        record = checkpoint_record(row)
    export_checkpoint(ws, record.size, record.root_hash, record.note)  # once it is committed
    return record


def _refuse_if_inconsistent(tree: MerkleTree, before: Checkpoint, previous_id: int) -> None:
    try:
        verify_consistency(before.size, tree.size, before.root_hash, tree.root(),
                           tree.consistency_proof(before.size))
    except TrustError as err:
        raise IntegrityError(
            N_("refusing to sign: the log at size %(tree_size)s is not consistent with "
               "checkpoint #%(previous_id)s at size %(before_size)s (%(err)s)"),
            tree_size=tree.size, previous_id=previous_id, before_size=before.size, err=err,
        ) from err


_AUTO = threading.Lock()
RETRY_AFTER_REFUSAL_S = 600.0
_REFUSED_UNTIL: dict[str, float] = {}  # database URL -> monotonic time of the next try
# Who signs automatic checkpoints: the system itself, named apart from any person.
AUTO_SIGNER = Actor(username="auto-checkpoint", role=Role.OPERATOR, agency="LOCAL")


def maybe_checkpoint(ws: Workspace, *, actor: Actor = AUTO_SIGNER) -> CheckpointRecord | None:
    """Sign and export a checkpoint if one is due (``PARLEY_CHECKPOINT_EVERY_EVENTS`` /
    ``_MINUTES``); called after each commit. A log that does not verify is not signed: the
    refusal is logged and ``parley audit verify`` names the fault."""
    if not _AUTO.acquire(blocking=False):  # the checkpoint's own commit, or another thread
        return None
    key = ws.store.label()
    refusals: tuple[type[Exception], ...] = (ParleyError, OSError, *ws.store.errors)
    try:
        if time.monotonic() < _REFUSED_UNTIL.get(key, 0.0) or not checkpoint_due(ws):
            return None
        return write_checkpoint(ws, actor=actor, incremental=True)
    except refusals as err:
        # A refusal may have re-hashed the whole log; do not pay that again on every commit.
        _REFUSED_UNTIL[key] = time.monotonic() + RETRY_AFTER_REFUSAL_S
        logging.getLogger("parley.audit").warning("automatic checkpoint not signed: %s", err)
        return None
    finally:
        _AUTO.release()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def prove_inclusion(ws: Workspace, seq: int, *, actor: Actor) -> dict[str, Any]:
    """A self-contained proof that event ``seq`` is in the newest signed checkpoint covering it:
    the leaf, its index, the tree size, the audit path and the signed checkpoint note."""
    actor.require(Action.READ_AUDIT)
    if seq < 1:
        raise InvalidInput(N_("event id must be 1 or more, not %(seq)s"), seq=seq)
    with ws.store.reading() as tx:
        row = ws.repos.audit_checkpoints.covering(tx, seq)
        if row is None:
            if ws.repos.audit_events.hash_at(tx, seq) is None:
                raise NotFound(N_("no audit event %(seq)s"), seq=seq)
            raise Conflict(
                N_("event %(seq)s is not yet covered by a signed checkpoint: run 'parley "
                   "audit checkpoint' first"),
                seq=seq,
            )
        record = checkpoint_record(row)
        tree = _tree(tx, record.size)
        stored = row_at(tx, seq)
        assert stored is not None
        leaf = leaf_of(stored)
    if tree.root().hex() != record.root_hash:
        raise IntegrityError(
            N_("the log's tree at size %(record_size)s does not match checkpoint "
               "#%(record_id)s: run 'parley audit verify'"),
            record_size=record.size, record_id=record.id,
        )
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
        raise InvalidInput(
            N_("new size %(new_size)s is smaller than old size %(old_size)s"),
            new_size=new.size, old_size=old.size,
        )
    with ws.store.reading() as tx:
        tree = _tree(tx, new.size, strict=False)
    path = tree.consistency_proof(old.size, new.size)
    try:
        verify_consistency(old.size, new.size, bytes.fromhex(old.root_hash),
                           bytes.fromhex(new.root_hash), path)
    except TrustError as err:
        raise IntegrityError(
            N_("the stored log is not consistent with the signed checkpoints at sizes "
               "%(old_size)s and %(new_size)s: %(err)s"),
            old_size=old.size, new_size=new.size, err=err,
        ) from err
    return {
        "type": CONSISTENCY_PROOF_TYPE,
        "old_size": old.size,
        "new_size": new.size,
        "path": [_b64(item) for item in path],
        "old_checkpoint": old.note,
        "new_checkpoint": new.note,
    }
