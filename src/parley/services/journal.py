"""Appending audit events: the one function every mutation calls inside its transaction."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime

from parley.clock import utcnow
from parley.domain.actors import Actor
from parley.domain.audit import AuditEvent, event_hash, payload_hash
from parley.services.ports import Tx, repositories_of


def record_event(
    tx: Tx,
    *,
    actor: Actor,
    action: str,
    target: str,
    payload: Mapping[str, object] | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    """Append one chained event in the caller's transaction (so it commits with the change).

    The head row is locked first (``FOR UPDATE`` on PostgreSQL; SQLite's transaction already holds
    the write lock), so concurrent writers extend one linear chain.
    """
    events = repositories_of(tx).audit_events
    head = events.lock_head(tx)
    body = dict(payload or {})
    unsealed = AuditEvent(
        seq=head.seq + 1,
        occurred_at=at or utcnow(),
        actor=actor.username,
        actor_role=actor.role.value,
        actor_agency=actor.agency,
        action=action,
        target=target,
        payload=body,
        payload_hash=payload_hash(body),
        prev_hash=head.event_hash,
        event_hash="",
    )
    event = replace(unsealed, event_hash=event_hash(unsealed.leaf_bytes()))
    events.append(tx, head, event)
    return event
