"""Conflict items in SQL (the ``Conflicts`` port)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from parley.adapters.sql.identity_tables import IdentityConflict
from parley.adapters.sql.session import session_of
from parley.services.ports import Tx
from parley.services.ports.conflicts import ConflictView


def _view(row: IdentityConflict) -> ConflictView:
    return ConflictView(row.id, row.kind, row.person_id, row.description,
                        [int(r) for r in row.record_ids], [str(v) for v in row.values],
                        row.state, row.raised_at, row.resolved_at, row.resolved_by,
                        row.resolution, row.settled_value, row.fingerprint)


class SqlConflicts:
    def newest(self, tx: Tx, *, state: str | None, person_id: int | None,
               limit: int) -> list[ConflictView]:
        stmt = select(IdentityConflict).order_by(IdentityConflict.id.desc()).limit(limit)
        if state is not None:
            stmt = stmt.where(IdentityConflict.state == state)
        if person_id is not None:
            stmt = stmt.where(IdentityConflict.person_id == person_id)
        return [_view(row) for row in session_of(tx).scalars(stmt)]

    def get(self, tx: Tx, conflict_id: int) -> ConflictView | None:
        row = session_of(tx).get(IdentityConflict, conflict_id)
        return _view(row) if row is not None else None

    def resolve(self, tx: Tx, conflict_id: int, *, at: datetime, by: str, resolution: str,
                settled_value: str | None) -> ConflictView:
        session = session_of(tx)
        row = session.get(IdentityConflict, conflict_id)
        if row is None:
            raise LookupError(f"no conflict {conflict_id}")
        row.state = "resolved"
        row.resolved_at = at
        row.resolved_by = by
        row.resolution = resolution
        row.settled_value = settled_value
        session.flush()
        return _view(row)
