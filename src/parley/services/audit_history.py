"""Reading the audit log as history: who did what, to which target, when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from parley.adapters.sql.tables import AuditEventRow
from parley.domain.actors import Action, Actor
from parley.errors import InvalidInput
from parley.services.workspace import Workspace


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


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive times; they were written as UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


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
