"""Conflict items as their readers and resolvers see them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from parley.services.ports.tx import Tx


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
    fingerprint: str = ""
    """What makes a contradiction the same one when it is found again (kept out of
    ``as_dict``: it is the store's key, not something a reader acts on)."""

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


class Conflicts(Protocol):
    def newest(self, tx: Tx, *, state: str | None, person_id: int | None,
               limit: int) -> list[ConflictView]:
        """Conflicts (of one state and person, if given), newest first."""

    def get(self, tx: Tx, conflict_id: int) -> ConflictView | None: ...

    def resolve(self, tx: Tx, conflict_id: int, *, at: datetime, by: str, resolution: str,
                settled_value: str | None) -> ConflictView:
        """Mark the conflict resolved (the change is flushed, so an audit event can follow)."""
