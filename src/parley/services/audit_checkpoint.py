"""The parts of signing a checkpoint that go beyond the signature: checking the newest exported
checkpoint, extending the previous signed tree from its stored frontier (so an automatic
checkpoint re-hashes only the new events), storing the tree, and deciding when one is due."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from parley.clock import as_utc, utcnow
from parley.domain.audit import GENESIS_HASH
from parley.errors import N_, IntegrityError
from parley.services.audit_anchor import newest_exported
from parley.services.audit_scan import Scan, rows
from parley.services.ports import Tx, repositories_of
from parley.services.ports.audit import CheckpointRow
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
            N_("refusing to sign: checkpoint %(anchor_where)s covers %(anchor_size)s events "
               "but the log holds %(size)s: events were deleted; run 'parley audit verify'"),
            anchor_where=anchor.where, anchor_size=anchor.size, size=size,
        )
    if root_at(anchor.size) != anchor.checkpoint.root_hash:
        raise IntegrityError(
            N_("refusing to sign: the log's first %(anchor_size)s events are not those of "
               "checkpoint %(anchor_where)s: history was rewritten; run 'parley audit verify'"),
            anchor_size=anchor.size, anchor_where=anchor.where,
        )


@dataclass(frozen=True, slots=True)
class Extension:
    """The previous signed tree (restored from its frontier) extended by the events after it."""

    tree: CompactRange
    start: int  # leaves before the new ones
    new_hashes: bytes


def extend_signed_tree(
    tx: Tx, ws: Workspace, previous: CheckpointRow, previous_root: bytes
) -> Extension | None:
    """Extend the previous checkpoint's tree by the events after it, re-hashing only those, or
    None when that cannot be trusted (no stored frontier, a frontier that does not fold to the
    signed root, or an exported checkpoint the previous one is not) — the caller then re-hashes
    the whole log. A chain fault in the new events is an error."""
    anchor = newest_exported(ws)
    if anchor is not None and (anchor.size, anchor.checkpoint.root_hash) != (
            previous.size, previous_root):
        return None
    frontier = ws.repos.audit_tree.frontier(tx, previous.size)
    if frontier is None:
        return None
    try:
        tree = CompactRange.from_frontier(previous.size, frontier)
    except TrustError:
        return None
    if tree.root() != previous_root:
        return None
    link = ws.repos.audit_events.hash_at(tx, previous.size)
    scan = Scan(tx, expected_seq=previous.size + 1,
                prev_hash=link if previous.size else GENESIS_HASH)
    hashes = bytearray()
    for row in rows(tx, lo=previous.size + 1):
        item = leaf_hash(scan.check(row))
        hashes += item
        tree.append(item)
    if scan.faults:
        first = min(scan.faults, key=lambda f: f.seq)
        raise IntegrityError(
            N_("audit log does not verify: %(first)s; run 'parley audit verify'"),
            first=first,
        )
    return Extension(tree, previous.size, bytes(hashes))


def store_tree(tx: Tx, start: int, new_hashes: bytes, size: int,
               frontier: list[bytes]) -> None:
    """Keep the leaf hashes from ``start`` on and the frontier at ``size`` with the checkpoint."""
    repo = repositories_of(tx).audit_tree
    stored = repo.stored_leaves(tx)
    if stored < start:  # tiles from before this feature: leave the gap, bisect falls back
        return
    skip = (stored - start) * HASH_SIZE
    if skip < len(new_hashes):
        repo.append_leaves(tx, stored, new_hashes[skip:])
    repo.save_frontier(tx, size, frontier)


def checkpoint_due(ws: Workspace, now: datetime | None = None) -> bool:
    """Whether enough events (``checkpoint_every_events``) or enough time since the oldest
    unsigned one (``checkpoint_every_minutes``) have passed; checkpoint events do not count."""
    every_events = ws.settings.checkpoint_every_events
    every_minutes = ws.settings.checkpoint_every_minutes
    if not every_events and not every_minutes:
        return False
    repos = ws.repos
    with ws.store.reading() as tx:
        signed = repos.audit_checkpoints.largest_size(tx)
        head = repos.audit_events.head(tx)
        if head is None or head.seq <= signed:
            return False
        count, oldest = repos.audit_events.pending(tx, after=signed,
                                                   except_action=CHECKPOINT_ACTION)
    if not count:
        return False
    if every_events and count >= every_events:
        return True
    if every_minutes and oldest is not None:
        return (now or utcnow()) - as_utc(oldest) >= timedelta(minutes=every_minutes)
    return False
