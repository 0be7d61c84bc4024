"""An audit event's Merkle leaf, rebuilt from the event itself (standard library only).

An inclusion proof carries the event it proves (who, when, what, on which target, with which
payload); a verifier must derive the leaf from those fields, never trust a leaf that sits next to
them, or an edited event would still "verify". The bytes are ``parley.domain.audit``'s leaf bytes:
canonical JSON (sorted keys, no spaces, UTF-8) of the event's fields with the payload replaced by
the SHA-256 of its own canonical JSON (a test holds the two definitions together).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from parley.trust.errors import N_, TrustError

INCLUSION_PROOF_TYPE = "parley.inclusion-proof/v2"  # v2: the verifier rebuilds the leaf

# The fields of the leaf other than ``payload_hash``; each is text except ``seq``.
EVENT_TEXT_FIELDS = ("at", "actor", "role", "agency", "action", "target", "prev")


def canonical_json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def payload_digest(payload: Mapping[str, Any]) -> str:
    """The hex SHA-256 of the payload's canonical JSON, as stored in the log."""
    return hashlib.sha256(canonical_json(dict(payload))).hexdigest()


def event_leaf(event: Mapping[str, Any]) -> bytes:
    """The leaf bytes of ``event`` (keys ``seq``, ``payload`` and ``EVENT_TEXT_FIELDS``); raises
    ``TrustError`` naming the field that is missing or of the wrong type."""
    seq = event.get("seq")
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        raise TrustError(N_("event field 'seq' is missing or not a positive integer"))
    payload = event.get("payload")
    if not isinstance(payload, dict):
        raise TrustError(N_("event field 'payload' is missing or not an object"))
    fields: dict[str, object] = {"seq": seq, "payload_hash": payload_digest(payload)}
    for name in EVENT_TEXT_FIELDS:
        value = event.get(name)
        if not isinstance(value, str):
            raise TrustError(N_("event field %(name)s is missing or not text"), name=repr(name))
        fields[name] = value
    return canonical_json(fields)
