"""The audit log as its readers see it in the browser: pages of events, the signed
checkpoints, the agencies' public keys, and a verification run on demand.

The checks themselves are :mod:`parley.services.audit`'s (the same ``verify_log`` as
``parley audit verify``); this module only reads and pages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from parley.domain.actors import Action, Actor
from parley.errors import N_, InvalidInput
from parley.services.audit import (
    CheckpointRecord,
    LogEntry,
    VerifyReport,
    checkpoint_record,
    verify_log,
)
from parley.services.keys import agency_public_key_text, existing_key_codes
from parley.services.ports.audit import EventFilter
from parley.services.workspace import Workspace

MAX_PAGE = 200
"""No page of the log sends more rows than this."""

__all__ = ["MAX_PAGE", "VERIFIERS", "EventFilter", "EventPage", "checkpoints", "event_page",
           "public_keys", "require_verifier", "verify_now"]


@dataclass(frozen=True, slots=True)
class EventPage:
    events: list[LogEntry]
    next_before: int | None  # pass as ``before`` for the next (older) page; None: no more
    total: int  # events in the whole log


def event_page(ws: Workspace, *, actor: Actor, where: EventFilter, before: int | None = None,
               limit: int = 100) -> EventPage:
    """One page of the log, newest first, below event ``before``."""
    actor.require(Action.READ_AUDIT)
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(
            N_("limit: must be between 1 and %(MAX_PAGE)s, not %(limit)s"),
            MAX_PAGE=MAX_PAGE, limit=limit,
        )
    events_of = ws.repos.audit_events
    with ws.store.reading() as tx:
        rows = events_of.newest(tx, where, before=before, limit=limit + 1)
        total = events_of.count(tx)
        events = list(rows[:limit])
    more = len(rows) > limit
    return EventPage(events, events[-1].seq if more and events else None, total)


def checkpoints(ws: Workspace, *, actor: Actor, limit: int = MAX_PAGE) -> list[CheckpointRecord]:
    """The newest signed checkpoints (newest first) with their co-signers."""
    actor.require(Action.READ_AUDIT)
    with ws.store.reading() as tx:
        return [checkpoint_record(row)
                for row in ws.repos.audit_checkpoints.newest(tx, limit=limit)]


def public_keys(ws: Workspace, *, actor: Actor) -> dict[str, str]:
    """Agency code → signed-note verifier key, for every agency that has signed."""
    actor.require(Action.READ_AUDIT)
    return {code: agency_public_key_text(ws, code) for code in existing_key_codes(ws)}


VERIFIERS = frozenset({Action.READ_AUDIT, Action.SIGN_CHECKPOINT})
"""Who may run the whole-log check: its readers (the auditor, the staff) and those who co-sign
its checkpoints (the mediator, who must be able to check what they sign without reading
events). The report names events by number and fault, never their content."""


def require_verifier(actor: Actor) -> None:
    if not any(actor.may(a) for a in VERIFIERS):
        actor.require(Action.READ_AUDIT)  # the refusal names the reader's permission


def verify_now(ws: Workspace, *, actor: Actor, workers: int = 1,
               progress: Callable[[int], None] | None = None,
               anchors: Sequence[Path] = ()) -> VerifyReport:
    """The same verification as ``parley audit verify`` (which calls it), for a verifier."""
    require_verifier(actor)
    return verify_log(ws, workers=workers, progress=progress, anchors=anchors)
