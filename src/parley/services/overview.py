"""The start page's figures: where each list's people stand along the way, what waits for
review, open conflicts, the newest signed checkpoint, and what waits for the reader.

Only reads, through the services that own each piece (lists, sign-off, review, conflicts,
audit), so every figure obeys the same permissions as the page it links to.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from parley.domain.actors import Action, Actor
from parley.domain.lists import Entry, Status
from parley.services import audit, conflicts, lists, review, signoff
from parley.services.audit import CheckpointRecord
from parley.services.workspace import Workspace

STAGES: tuple[str, ...] = ("candidates", "verified", "confirmed", "approved", "scheduled",
                           "transferred")
"""Along the way, each stage a subset of the one before (a person counts in every stage they
have passed): candidates are all not rejected or withdrawn."""

_OUT = frozenset({Status.REJECTED, Status.WITHDRAWN})
_REACHED: dict[str, frozenset[Status]] = {
    "confirmed": frozenset({Status.CONFIRMED, Status.APPROVED, Status.SCHEDULED,
                            Status.TRANSFERRED}),
    "approved": frozenset({Status.APPROVED, Status.SCHEDULED, Status.TRANSFERRED}),
    "scheduled": frozenset({Status.SCHEDULED, Status.TRANSFERRED}),
    "transferred": frozenset({Status.TRANSFERRED}),
}
BACKLOG_CAP = 200
"""The review backlog is counted up to this many (shown as "200 or more")."""


@dataclass(frozen=True, slots=True)
class ListFunnel:
    name: str
    direction: str
    released: bool
    counts: dict[str, int]  # stage → people


@dataclass(frozen=True, slots=True)
class Overview:
    lists: list[ListFunnel] = field(default_factory=list)
    review_backlog: int | None = None  # None: the reader may not review
    open_conflicts: int | None = None
    checkpoint: CheckpointRecord | None = None
    may_read_audit: bool = False
    awaiting_approval: list[str] = field(default_factory=list)  # lists the reader's agency owes


def funnel(entries: list[Entry]) -> dict[str, int]:
    """People per stage along the way (see ``STAGES``)."""
    live = [e for e in entries if e.status not in _OUT]
    counts = {"candidates": len(live),
              "verified": sum(1 for e in live if e.readiness.identity_verified)}
    for stage, statuses in _REACHED.items():
        counts[stage] = sum(1 for e in live if e.status in statuses)
    return {stage: counts[stage] for stage in STAGES}


def _awaiting(ws: Workspace, actor: Actor, names: list[str]) -> list[str]:
    waiting = []
    for name in names:
        state = signoff.signoff_state(ws, actor=actor, name=name)
        signed = {a.agency for a in state.approvals if a.signature_valid}
        if not state.released and actor.agency in state.required and actor.agency not in signed:
            waiting.append(name)
    return waiting


def overview(ws: Workspace, *, actor: Actor) -> Overview:
    """What the reader's role may see of the whole; parts their role may not read are empty."""
    funnels: list[ListFunnel] = []
    waiting: list[str] = []
    if actor.may(Action.READ_LISTS):
        summaries = [s for s in lists.list_summaries(ws, actor=actor) if s.version]
        for summary in summaries:
            entries = lists.list_entries(ws, actor=actor, name=summary.name)
            funnels.append(ListFunnel(summary.name, summary.direction, summary.released,
                                      funnel(entries)))
        if actor.may(Action.APPROVE_LIST):
            waiting = _awaiting(ws, actor, [s.name for s in summaries if not s.released])
    backlog = (len(review.review_queue(ws, actor=actor, limit=BACKLOG_CAP))
               if actor.may(Action.REVIEW_MATCH) else None)
    open_conflicts = (len(conflicts.list_conflicts(ws, actor=actor, state="open",
                                                   limit=BACKLOG_CAP))
                      if actor.may(Action.READ_RECORD) else None)
    may_audit = actor.may(Action.READ_AUDIT)
    return Overview(lists=funnels, review_backlog=backlog, open_conflicts=open_conflicts,
                    checkpoint=audit.latest_checkpoint(ws) if may_audit else None,
                    may_read_audit=may_audit, awaiting_approval=waiting)
