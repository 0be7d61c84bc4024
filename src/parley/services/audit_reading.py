"""The audit log as its readers see it in the browser: pages of events, the signed
checkpoints, the agencies' public keys, and a verification run on demand.

The checks themselves are :mod:`parley.services.audit`'s (the same ``verify_log`` as
``parley audit verify``); this module only reads and pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from parley.adapters.sql.trust_tables import AuditCheckpoint
from parley.adapters.sql.workplace_reading import EventFilter, WorkplaceReader
from parley.domain.actors import Action, Actor
from parley.errors import InvalidInput
from parley.services.audit import CheckpointRecord, LogEntry, VerifyReport, verify_log
from parley.services.keys import agency_public_key_text, existing_key_codes
from parley.services.workspace import Workspace

MAX_PAGE = 200
"""No page of the log sends more rows than this."""

__all__ = ["MAX_PAGE", "EventFilter", "EventPage", "checkpoints", "event_page", "public_keys",
           "verify_now"]


@dataclass(frozen=True, slots=True)
class EventPage:
    events: list[LogEntry]
    next_before: int | None  # pass as ``before`` for the next (older) page; None: no more
    total: int  # events in the whole log


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def event_page(ws: Workspace, *, actor: Actor, where: EventFilter, before: int | None = None,
               limit: int = 100) -> EventPage:
    """One page of the log, newest first, below event ``before``."""
    actor.require(Action.READ_AUDIT)
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(f"limit: must be between 1 and {MAX_PAGE}, not {limit}")
    with ws.store.reading() as tx:
        reader = WorkplaceReader(tx)
        rows = reader.events(where, before=before, limit=limit + 1)
        total = reader.event_count()
        events = [LogEntry(seq=r.seq, occurred_at=_aware(r.occurred_at), actor=r.actor,
                           actor_role=r.actor_role, actor_agency=r.actor_agency, action=r.action,
                           target=r.target, payload=dict(r.payload), event_hash=r.event_hash)
                  for r in rows[:limit]]
    more = len(rows) > limit
    return EventPage(events, events[-1].seq if more and events else None, total)


def _record(row: AuditCheckpoint) -> CheckpointRecord:
    return CheckpointRecord(id=row.id, size=row.size, root_hash=row.root_hash, origin=row.origin,
                            note=row.note, signers=tuple(str(s) for s in row.signers),
                            created_by=row.created_by, created_at=_aware(row.created_at))


def checkpoints(ws: Workspace, *, actor: Actor, limit: int = MAX_PAGE) -> list[CheckpointRecord]:
    """The newest signed checkpoints (newest first) with their co-signers."""
    actor.require(Action.READ_AUDIT)
    with ws.store.reading() as tx:
        return [_record(row) for row in WorkplaceReader(tx).checkpoints(limit=limit)]


def public_keys(ws: Workspace, *, actor: Actor) -> dict[str, str]:
    """Agency code → signed-note verifier key, for every agency that has signed."""
    actor.require(Action.READ_AUDIT)
    return {code: agency_public_key_text(ws, code) for code in existing_key_codes(ws)}


def verify_now(ws: Workspace, *, actor: Actor) -> VerifyReport:
    """The same verification as ``parley audit verify``."""
    actor.require(Action.READ_AUDIT)
    return verify_log(ws)
