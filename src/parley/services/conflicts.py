"""Conflict items: contradictions a person must settle, never a silent pick.

Resolution raises them (``parley.services.resolution``); here users list them and resolve them
with a reason, which is audited. A resolved conflict stays resolved when the same contradiction
is found again (its fingerprint is the same row).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from parley.adapters.sql.base import utcnow
from parley.adapters.sql.identity_tables import IdentityConflict
from parley.adapters.sql.tables import SourceRecord
from parley.domain.actors import Action, Actor
from parley.domain.policy import Kind
from parley.errors import InvalidInput, NotFound
from parley.services.access import redact_many
from parley.services.journal import record_event
from parley.services.workspace import Workspace

__all__ = ["STATES", "ConflictView", "list_conflicts", "resolve_conflict", "settle_conflict"]

STATES = ("open", "resolved", "lapsed")


@dataclass(frozen=True)
class ConflictView:
    id: int
    kind: str
    person_id: int | None
    description: str
    record_ids: list[int]
    values: list[str]
    state: str
    raised_at: datetime
    resolved_at: datetime | None
    resolved_by: str | None
    resolution: str
    settled_value: str | None = None

    @classmethod
    def of(cls, row: IdentityConflict) -> ConflictView:
        return cls(row.id, row.kind, row.person_id, row.description,
                   [int(r) for r in row.record_ids], [str(v) for v in row.values], row.state,
                   row.raised_at, row.resolved_at, row.resolved_by, row.resolution,
                   row.settled_value)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "kind": self.kind, "person_id": self.person_id,
            "description": self.description, "record_ids": self.record_ids,
            "values": self.values, "state": self.state,
            "raised_at": self.raised_at.isoformat(),
            "resolved_at": self.resolved_at.isoformat() if self.resolved_at else None,
            "resolved_by": self.resolved_by, "resolution": self.resolution,
            "settled_value": self.settled_value,
        }


def _visible(tx: Any, actor: Actor, rows: list[IdentityConflict]) -> list[IdentityConflict]:
    """A conflict is shown only to an actor who may see every record it cites (its description
    quotes them)."""
    ids = sorted({int(r) for c in rows for r in c.record_ids})
    if not ids:
        return rows
    items = [
        {"id": r.id, "agency_code": r.agency_code, "classification": r.classification,
         "source_id": r.source_id}
        for r in tx.scalars(select(SourceRecord).where(SourceRecord.id.in_(ids)))
    ]
    seen = {int(i["id"]) for i in redact_many(actor, Kind.SOURCE_RECORD, items)}
    return [c for c in rows if all(int(r) in seen for r in c.record_ids)]


def list_conflicts(
    ws: Workspace,
    *,
    actor: Actor,
    state: str = "open",
    person_id: int | None = None,
    limit: int = 200,
) -> list[ConflictView]:
    """Conflicts in a state ("open", "resolved", "lapsed" or "all"), newest first."""
    actor.require(Action.READ_RECORD)
    if state != "all" and state not in STATES:
        raise InvalidInput(f"state: '{state}' is not one of {', '.join((*STATES, 'all'))}")
    stmt = select(IdentityConflict).order_by(IdentityConflict.id.desc()).limit(limit)
    if state != "all":
        stmt = stmt.where(IdentityConflict.state == state)
    if person_id is not None:
        stmt = stmt.where(IdentityConflict.person_id == person_id)
    with ws.store.reading() as tx:
        rows = list(tx.scalars(stmt))
        return [ConflictView.of(c) for c in _visible(tx, actor, rows)]


def resolve_conflict(ws: Workspace, *, actor: Actor, conflict_id: int,
                     reason: str) -> ConflictView:
    """Settle an open conflict with the reason a later reader will need; audited."""
    return _close(ws, actor=actor, conflict_id=conflict_id, reason=reason, value=None)


def settle_conflict(ws: Workspace, *, actor: Actor, conflict_id: int, value: str,
                    reason: str) -> ConflictView:
    """Settle an open conflict by choosing which of its contradicting values stands (e.g.
    "held", not "deceased"), with the reason; the choice is kept on the conflict and audited,
    so the person's page and a later reader see what was decided and why."""
    return _close(ws, actor=actor, conflict_id=conflict_id, reason=reason, value=value)


def _close(ws: Workspace, *, actor: Actor, conflict_id: int, reason: str,
           value: str | None) -> ConflictView:
    actor.require(Action.RESOLVE_CONFLICT)
    if not reason.strip():
        raise InvalidInput("reason: resolving a conflict needs a reason")
    with ws.store.transaction() as tx:
        row = tx.get(IdentityConflict, conflict_id)
        if row is None or not _visible(tx, actor, [row]):
            raise NotFound(f"no conflict {conflict_id}")
        if row.state != "open":
            raise InvalidInput(f"conflict {conflict_id} is {row.state}, not open")
        values = [str(v) for v in row.values]
        if value is not None and value not in values:
            raise InvalidInput(f"value: '{value}' is not one of the conflict's values "
                               f"({', '.join(values)})")
        row.state = "resolved"
        row.resolved_at = utcnow()
        row.resolved_by = actor.username
        row.resolution = reason.strip()
        row.settled_value = value
        tx.flush()
        payload: dict[str, Any] = {"kind": row.kind, "person_id": row.person_id,
                                   "reason": row.resolution, "fingerprint": row.fingerprint}
        if value is not None:
            payload["value"] = value
        record_event(tx, actor=actor,
                     action=("identity.conflict_settled" if value is not None
                             else "identity.conflict_resolved"),
                     target=f"conflict:{row.id}", payload=payload)
        return ConflictView.of(row)
