"""Conflict items: contradictions a person must settle, never a silent pick.

Resolution raises them (``parley.services.resolution``); here users list them and resolve them
with a reason, which is audited. A resolved conflict stays resolved when the same contradiction
is found again (its fingerprint is the same row).
"""

from __future__ import annotations

from typing import Any

from parley.clock import utcnow
from parley.domain.actors import Action, Actor
from parley.domain.policy import Kind
from parley.errors import N_, InvalidInput, NotFound
from parley.services.access import redact_many
from parley.services.journal import record_event
from parley.services.ports import Tx
from parley.services.ports.conflicts import ConflictView
from parley.services.workspace import Workspace

__all__ = ["STATES", "ConflictView", "list_conflicts", "resolve_conflict", "settle_conflict"]

STATES = ("open", "resolved", "lapsed")


def _visible(ws: Workspace, tx: Tx, actor: Actor,
             rows: list[ConflictView]) -> list[ConflictView]:
    """A conflict is shown only to an actor who may see every record it cites (its description
    quotes them)."""
    ids = {r for c in rows for r in c.record_ids}
    if not ids:
        return rows
    items = [
        {"id": o.id, "source_id": o.source_id, **o.gate}
        for o in ws.repos.registry.origins(tx, ids).values()
    ]
    seen = {int(i["id"]) for i in redact_many(actor, Kind.SOURCE_RECORD, items)}
    return [c for c in rows if all(r in seen for r in c.record_ids)]


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
        raise InvalidInput(N_("state: '%(state)s' is not one of %(states)s"), state=state,
                           states=", ".join((*STATES, "all")))
    with ws.store.reading() as tx:
        rows = ws.repos.conflicts.newest(tx, state=None if state == "all" else state,
                                         person_id=person_id, limit=limit)
        return _visible(ws, tx, actor, rows)


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
        raise InvalidInput(N_("reason: resolving a conflict needs a reason"))
    with ws.store.transaction() as tx:
        row = ws.repos.conflicts.get(tx, conflict_id)
        if row is None or not _visible(ws, tx, actor, [row]):
            raise NotFound(N_("no conflict %(conflict_id)s"), conflict_id=conflict_id)
        if row.state != "open":
            raise InvalidInput(N_("conflict %(id)s is %(state)s, not open"), id=conflict_id,
                               state=row.state)
        if value is not None and value not in row.values:
            raise InvalidInput(N_("value: '%(value)s' is not one of the conflict's values "
                                  "(%(values)s)"), value=value, values=", ".join(row.values))
        row = ws.repos.conflicts.resolve(tx, conflict_id, at=utcnow(), by=actor.username,
                                         resolution=reason.strip(), settled_value=value)
        payload: dict[str, Any] = {"kind": row.kind, "person_id": row.person_id,
                                   "reason": row.resolution, "fingerprint": row.fingerprint}
        if value is not None:
            payload["value"] = value
        record_event(tx, actor=actor,
                     action=("identity.conflict_settled" if value is not None
                             else "identity.conflict_resolved"),
                     target=f"conflict:{row.id}", payload=payload)
        return row
