"""Reading the audit log as history: who did what, to which target, when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from parley.clock import as_utc
from parley.domain.actors import Action, Actor
from parley.errors import N_, InvalidInput
from parley.services.ports.audit import EventFilter, EventRow
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


def log_entry(row: EventRow) -> LogEntry:
    """A stored event as its readers see it (times in UTC, the payload a plain dict)."""
    return LogEntry(seq=row.seq, occurred_at=as_utc(row.occurred_at), actor=row.actor,
                    actor_role=row.actor_role, actor_agency=row.actor_agency, action=row.action,
                    target=row.target, payload=dict(row.payload), event_hash=row.event_hash)


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
        raise InvalidInput(N_("limit must be 1 or more, not %(limit)s"), limit=limit)
    where = EventFilter(actor=by or "", action=action or "", target=target or "", since=since,
                        until=until)
    with ws.store.reading() as tx:
        return [log_entry(row) for row in ws.repos.audit_events.newest(tx, where, limit=limit)]
