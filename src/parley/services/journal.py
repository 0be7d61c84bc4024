"""Appending audit events: the one function every mutation calls inside its transaction."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from parley.adapters.sql.base import utcnow
from parley.adapters.sql.tables import AuditEventRow, AuditHead
from parley.domain.actors import Actor
from parley.domain.audit import GENESIS_HASH, event_hash, event_leaf_bytes, payload_hash


def record_event(
    session: Session,
    *,
    actor: Actor,
    action: str,
    target: str,
    payload: Mapping[str, object] | None = None,
    at: datetime | None = None,
) -> AuditEventRow:
    """Append one chained event in the caller's transaction (so it commits with the change).

    The head row is locked first (``FOR UPDATE`` on PostgreSQL; SQLite's transaction already holds
    the write lock), so concurrent writers extend one linear chain.
    """
    head = session.execute(
        select(AuditHead).where(AuditHead.id == 1).with_for_update()
    ).scalar_one_or_none()
    if head is None:
        head = AuditHead(id=1, seq=0, event_hash=GENESIS_HASH)
        session.add(head)
        session.flush()
    body = dict(payload or {})
    occurred_at = at or utcnow()
    p_hash = payload_hash(body)
    seq = head.seq + 1
    leaf = event_leaf_bytes(
        seq=seq,
        occurred_at=occurred_at,
        actor=actor.username,
        actor_role=actor.role.value,
        actor_agency=actor.agency,
        action=action,
        target=target,
        payload_hash=p_hash,
        prev_hash=head.event_hash,
    )
    row = AuditEventRow(
        seq=seq,
        occurred_at=occurred_at,
        actor=actor.username,
        actor_role=actor.role.value,
        actor_agency=actor.agency,
        action=action,
        target=target,
        payload=body,
        payload_hash=p_hash,
        prev_hash=head.event_hash,
        event_hash=event_hash(leaf),
    )
    session.add(row)
    head.seq = seq
    head.event_hash = row.event_hash
    session.flush()
    return row
