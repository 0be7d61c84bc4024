"""Reading the audit log as history: who did what, to which target, when."""

from __future__ import annotations

from datetime import datetime

from parley.domain.actors import Action, Actor
from parley.errors import N_, InvalidInput
from parley.services.ports.audit import EventFilter, LogEntry
from parley.services.workspace import Workspace


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
        return list(ws.repos.audit_events.newest(tx, where, limit=limit))
