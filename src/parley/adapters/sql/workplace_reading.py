"""Read-only queries behind the workplace pages: agencies for forms, the audit log paged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from parley.adapters.sql.tables import Agency, AuditEventRow
from parley.adapters.sql.trust_tables import AuditCheckpoint


@dataclass(frozen=True, slots=True)
class EventFilter:
    """What the audit log is narrowed to; empty fields do not narrow."""

    actor: str = ""
    action: str = ""  # a prefix: "user." finds every user event
    target: str = ""  # a substring
    since: datetime | None = None
    until: datetime | None = None  # exclusive


class WorkplaceReader:
    """Queries inside the caller's (reading) transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def agency_codes(self) -> list[str]:
        return [str(c) for c in self.session.scalars(select(Agency.code).order_by(Agency.code))]

    def events(self, where: EventFilter, *, before: int | None, limit: int
               ) -> list[AuditEventRow]:
        """Up to ``limit`` events matching ``where``, newest first, below seq ``before``."""
        stmt = select(AuditEventRow).order_by(AuditEventRow.seq.desc()).limit(limit)
        if where.actor:
            stmt = stmt.where(AuditEventRow.actor == where.actor)
        if where.action:
            stmt = stmt.where(AuditEventRow.action.startswith(where.action, autoescape=True))
        if where.target:
            stmt = stmt.where(AuditEventRow.target.contains(where.target, autoescape=True))
        if where.since is not None:
            stmt = stmt.where(AuditEventRow.occurred_at >= where.since)
        if where.until is not None:
            stmt = stmt.where(AuditEventRow.occurred_at < where.until)
        if before is not None:
            stmt = stmt.where(AuditEventRow.seq < before)
        return list(self.session.scalars(stmt))

    def event_count(self) -> int:
        return int(self.session.scalar(select(func.count()).select_from(AuditEventRow)) or 0)

    def checkpoints(self, *, limit: int) -> list[AuditCheckpoint]:
        """The newest ``limit`` signed checkpoints, newest first."""
        return list(self.session.scalars(
            select(AuditCheckpoint)
            .order_by(AuditCheckpoint.size.desc(), AuditCheckpoint.id.desc()).limit(limit)))
