"""Audit events as hashed, chained data; the Merkle log and checkpoints build on these bytes."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

GENESIS_HASH = "0" * 64


def canonical_json(value: object) -> bytes:
    """Deterministic JSON bytes (sorted keys, no spaces, UTF-8) for hashing and signing."""
    return json.dumps(
        value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str
    ).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """One event of the log. ``event_hash`` covers every other field and the previous hash."""

    seq: int
    occurred_at: datetime
    actor: str
    actor_role: str
    actor_agency: str
    action: str
    target: str
    payload: Mapping[str, object]
    payload_hash: str
    prev_hash: str
    event_hash: str

    def leaf_bytes(self) -> bytes:
        """The bytes that enter the Merkle tree as this event's leaf."""
        return event_leaf_bytes(
            seq=self.seq,
            occurred_at=self.occurred_at,
            actor=self.actor,
            actor_role=self.actor_role,
            actor_agency=self.actor_agency,
            action=self.action,
            target=self.target,
            payload_hash=self.payload_hash,
            prev_hash=self.prev_hash,
        )


def event_leaf_bytes(
    *,
    seq: int,
    occurred_at: datetime,
    actor: str,
    actor_role: str,
    actor_agency: str,
    action: str,
    target: str,
    payload_hash: str,
    prev_hash: str,
) -> bytes:
    return canonical_json(
        {
            "seq": seq,
            "at": utc_text(occurred_at),
            "actor": actor,
            "role": actor_role,
            "agency": actor_agency,
            "action": action,
            "target": target,
            "payload_hash": payload_hash,
            "prev": prev_hash,
        }
    )


def utc_text(moment: datetime) -> str:
    """Microsecond UTC text; a naive time (as SQLite returns it) is taken to be UTC already."""
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return aware.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def payload_hash(payload: Mapping[str, object]) -> str:
    return sha256_hex(canonical_json(payload))


def event_hash(leaf: bytes) -> str:
    return sha256_hex(leaf)
