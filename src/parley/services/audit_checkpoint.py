"""The parts of signing a checkpoint that go beyond the signature: checking the newest exported
checkpoint, extending the previous signed tree from its stored frontier (so an automatic
checkpoint re-hashes only the new events), storing the tree, and deciding when one is due."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from parley.adapters.sql.audit_tree import AuditTreeRepository
from parley.adapters.sql.tables import AuditEventRow, AuditHead
from parley.adapters.sql.trust_tables import AuditCheckpoint
from parley.domain.audit import GENESIS_HASH
from parley.errors import IntegrityError
from parley.services.audit_anchor import newest_exported
from parley.services.audit_scan import Scan, rows
from parley.services.workspace import Workspace
from parley.trust.errors import TrustError
from parley.trust.merkle import HASH_SIZE, CompactRange, leaf_hash

CHECKPOINT_ACTION = "audit.checkpoint"


def refuse_if_export_disagrees(ws: Workspace, size: int, root_at: Callable[[int], bytes]) -> None:
    """Refuse to sign a tree of ``size`` leaves that the newest exported checkpoint contradicts:
    it covers more events than the log holds, or its root is not the log's at its size."""
    anchor = newest_exported(ws)
    if anchor is None:
        return
    if anchor.size > size:
        raise IntegrityError(
            f"refusing to sign: checkpoint {anchor.where} covers {anchor.size} events but the log "
            f"holds {size}: events were deleted; run 'parley audit verify'")
    if root_at(anchor.size) != anchor.checkpoint.root_hash:
        raise IntegrityError(
            f"refusing to sign: the log's first {anchor.size} events are not those of "
            f"checkpoint {anchor.where}: history was rewritten; run 'parley audit verify'")


@dataclass(frozen=True, slots=True)
class Extension:
    """The previous signed tree (restored from its frontier) extended by the events after it."""

    tree: CompactRange
    start: int  # leaves before the new ones
    new_hashes: bytes


def extend_signed_tree(
    tx: Session, ws: Workspace, previous: AuditCheckpoint, previous_root: bytes
) -> Extension | None:
    """Extend the previous checkpoint's tree by the events after it, re-hashing only those, or
    None when that cannot be trusted (no stored frontier, a frontier that does not fold to the
    signed root, or an exported checkpoint the previous one is not) — the caller then re-hashes
    the whole log. A chain fault in the new events is an error."""
    anchor = newest_exported(ws)
    if anchor is not None and (anchor.size, anchor.checkpoint.root_hash) != (
            previous.size, previous_root):
        return None
    frontier = AuditTreeRepository(tx).frontier(previous.size)
    if frontier is None:
        return None
    try:
        tree = CompactRange.from_frontier(previous.size, frontier)
    except TrustError:
        return None
    if tree.root() != previous_root:
        return None
    link = tx.scalar(select(AuditEventRow.event_hash).where(AuditEventRow.seq == previous.size))
    scan = Scan(tx, expected_seq=previous.size + 1,
                prev_hash=link if previous.size else GENESIS_HASH)
    hashes = bytearray()
    for row in rows(tx, lo=previous.size + 1):
        item = leaf_hash(scan.check(row))
        hashes += item
        tree.append(item)
    if scan.faults:
        first = min(scan.faults, key=lambda f: f.seq)
        raise IntegrityError(f"audit log does not verify: {first}; run 'parley audit verify'")
    return Extension(tree, previous.size, bytes(hashes))


def store_tree(tx: Session, start: int, new_hashes: bytes, size: int,
               frontier: list[bytes]) -> None:
    """Keep the leaf hashes from ``start`` on and the frontier at ``size`` with the checkpoint."""
    repo = AuditTreeRepository(tx)
    stored = repo.stored_leaves()
    if stored < start:  # tiles from before this feature: leave the gap, bisect falls back
        return
    skip = (stored - start) * HASH_SIZE
    if skip < len(new_hashes):
        repo.append_leaves(stored, new_hashes[skip:])
    repo.save_frontier(size, frontier)


def checkpoint_due(ws: Workspace, now: datetime | None = None) -> bool:
    """Whether enough events (``checkpoint_every_events``) or enough time since the oldest
    unsigned one (``checkpoint_every_minutes``) have passed; checkpoint events do not count."""
    every_events = ws.settings.checkpoint_every_events
    every_minutes = ws.settings.checkpoint_every_minutes
    if not every_events and not every_minutes:
        return False
    with ws.store.reading() as tx:
        signed = int(tx.scalar(select(func.max(AuditCheckpoint.size))) or 0)
        head = tx.get(AuditHead, 1)
        if head is None or head.seq <= signed:
            return False
        pending = (AuditEventRow.seq > signed) & (AuditEventRow.action != CHECKPOINT_ACTION)
        count, oldest = tx.execute(
            select(func.count(), func.min(AuditEventRow.occurred_at)).where(pending)).one()
    if not count:
        return False
    if every_events and count >= every_events:
        return True
    if every_minutes and oldest is not None:
        oldest = oldest.replace(tzinfo=UTC) if oldest.tzinfo is None else oldest
        return (now or datetime.now(UTC)) - oldest >= timedelta(minutes=every_minutes)
    return False
