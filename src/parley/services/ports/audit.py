"""The audit log's storage: the chained events, the signed checkpoints, the stored Merkle tree.

Events are read two ways: as rows for people (``LogEntry``: pages, history) and as
``StoredEvent`` tuples for the re-hashing scan, which ``AuditEvents.stream`` hands out straight
from the driver (a million events through an ORM cost more than all the hashing).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple, Protocol

from parley.domain.audit import AuditEvent
from parley.services.ports.tx import Tx


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


class ChainHead(Protocol):
    """The newest event's seq and hash; every append locks it, so the chain stays linear."""

    seq: int
    event_hash: str


@dataclass(frozen=True, slots=True)
class LogEntry:
    """An event as people read it (pages, history): who did what, to which target, when (in
    UTC, whatever the store keeps), the payload a plain dict."""

    seq: int
    occurred_at: datetime
    actor: str
    actor_role: str
    actor_agency: str
    action: str
    target: str
    payload: dict[str, Any]
    event_hash: str


@dataclass(frozen=True, slots=True)
class EventFilter:
    """What the audit log is narrowed to; empty fields do not narrow."""

    actor: str = ""
    action: str = ""  # a prefix: "user." finds every user event
    target: str = ""  # a substring
    since: datetime | None = None
    until: datetime | None = None  # exclusive


class AuditEvents(Protocol):
    def head(self, tx: Tx, *, lock: bool = False) -> ChainHead | None:
        """The chain head, if any (``lock``: for update, so concurrent writers wait their turn;
        SQLite's transaction already holds the write lock)."""

    def lock_head(self, tx: Tx) -> ChainHead:
        """The chain head locked for update, made at the genesis if the log is empty."""

    def append(self, tx: Tx, head: ChainHead, event: AuditEvent) -> None:
        """Store the event and move the (locked) head to it."""

    def stream(self, tx: Tx, lo: int | None = None, hi: int | None = None, *,
               limit: int | None = None) -> Iterator[StoredEvent]:
        """Events seq ``lo``..``hi`` (inclusive, either open) in seq order, streamed."""

    def at(self, tx: Tx, seq: int) -> StoredEvent | None: ...

    def hash_at(self, tx: Tx, seq: int) -> str | None: ...

    def seq_of_hash(self, tx: Tx, event_hash: str) -> int | None: ...

    def count(self, tx: Tx) -> int: ...

    def last_seq(self, tx: Tx) -> int:
        """The highest stored seq (0: none)."""

    def count_below(self, tx: Tx, seq: int) -> int: ...

    def pending(self, tx: Tx, *, after: int, except_action: str) -> tuple[int, datetime | None]:
        """How many events after seq ``after`` are not ``except_action``, and the oldest's time."""

    def newest(self, tx: Tx, where: EventFilter, *, before: int | None = None,
               limit: int) -> Sequence[LogEntry]:
        """Up to ``limit`` events matching ``where``, newest first, below seq ``before``."""


class CheckpointRow(Protocol):
    id: int
    size: int
    root_hash: str
    origin: str
    note: str
    signers: list[Any]
    created_by: str
    created_at: datetime


class AuditCheckpoints(Protocol):
    def in_order(self, tx: Tx) -> Sequence[CheckpointRow]:
        """Every checkpoint by size, then id."""

    def newest(self, tx: Tx, *, limit: int) -> Sequence[CheckpointRow]:
        """The newest ``limit`` (largest size, then newest id, first)."""

    def at_size(self, tx: Tx, size: int) -> CheckpointRow | None:
        """The newest signed at exactly ``size`` events."""

    def covering(self, tx: Tx, seq: int) -> CheckpointRow | None:
        """The newest (largest) checkpoint that covers event ``seq``."""

    def largest_size(self, tx: Tx) -> int: ...

    def add(self, tx: Tx, *, size: int, root_hash: str, origin: str, note: str,
            signers: list[str], created_by: str) -> CheckpointRow:
        """Store a checkpoint (its id and time are set on return)."""


class AuditTree(Protocol):
    """The leaf hashes and frontiers stored with checkpoints (bisecting, incremental signing)."""

    def stored_leaves(self, tx: Tx) -> int: ...

    def leaf_hashes(self, tx: Tx, size: int) -> bytes | None:
        """The stored hashes of leaves [0, size), or None if not all are stored intact."""

    def append_leaves(self, tx: Tx, start: int, hashes: bytes) -> None: ...

    def frontier(self, tx: Tx, size: int) -> list[bytes] | None: ...

    def save_frontier(self, tx: Tx, size: int, hashes: list[bytes]) -> None: ...
