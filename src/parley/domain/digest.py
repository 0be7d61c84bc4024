"""Canonical JSON and its SHA-256: the one way Parley turns a value into bytes it hashes or signs.

Sorted keys, no spaces, UTF-8, so one value has one digest on every machine; the audit log, list
versions and approvals all hash through here, and a mediator can recompute any of them offline.
(A source record's row hash, ``domain.records.content_hash``, keeps the encoding its stored
hashes were made with, so a re-import still recognises every row already held.)
"""

from __future__ import annotations

import hashlib
import json

# One encoder made once: ``json.dumps`` with options builds a new encoder on every call, which
# is a third of the cost of re-hashing a payload when a million events are verified.
_CANONICAL = json.JSONEncoder(
    ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str
)


def canonical_json(value: object) -> bytes:
    """Deterministic JSON bytes (sorted keys, no spaces, UTF-8) for hashing and signing."""
    return _CANONICAL.encode(value).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def canonical_sha256(value: object) -> str:
    """The SHA-256 (hex) of ``canonical_json(value)``."""
    return sha256_hex(canonical_json(value))
