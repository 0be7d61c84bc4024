"""The audit log in SQL: events (the ``AuditEvents`` port), checkpoints, the stored tree.

``stream`` reads events straight from the driver's cursor (a named, server-side cursor on
PostgreSQL, so a million rows never sit in memory): a million rows through SQLAlchemy's result
machinery cost more than all the hashing the scan does with them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from parley.adapters.sql.audit_tree import AuditTreeRepository
from parley.adapters.sql.session import session_of
from parley.adapters.sql.tables import AuditEventRow, AuditHead
from parley.adapters.sql.trust_tables import AuditCheckpoint
from parley.clock import as_utc
from parley.domain.audit import GENESIS_HASH, AuditEvent
from parley.services.ports import Tx
from parley.services.ports.audit import (
    ChainHead,
    EventFilter,
    LogEntry,
    StoredEvent,
)

_SELECT = (
    "SELECT seq, occurred_at, actor, actor_role, actor_agency, action, target, payload, "
    "payload_hash, prev_hash, event_hash FROM audit_events"
)
_BATCH = 5000


def decode_event(raw: Sequence[Any]) -> StoredEvent:
    """Decode what the driver hands back: SQLite gives text for times and JSON, psycopg gives
    ``datetime`` and decoded JSON; either way the values are what SQLAlchemy stored."""
    seq, at, actor, role, agency, action, target, payload, p_hash, prev, e_hash = raw
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    if isinstance(payload, str | bytes):
        payload = json.loads(payload)
    return StoredEvent(seq, at, actor, role, agency, action, target, payload, p_hash, prev,
                       e_hash)


class SqlAuditEvents:
    def head(self, tx: Tx, *, lock: bool = False) -> AuditHead | None:
        query = select(AuditHead).where(AuditHead.id == 1)
        return session_of(tx).execute(query.with_for_update() if lock else query
                                      ).scalar_one_or_none()

    def lock_head(self, tx: Tx) -> AuditHead:
        head = self.head(tx, lock=True)
        if head is None:
            session = session_of(tx)
            head = AuditHead(id=1, seq=0, event_hash=GENESIS_HASH)
            session.add(head)
            session.flush()
        return head

    def append(self, tx: Tx, head: ChainHead, event: AuditEvent) -> None:
        session = session_of(tx)
        session.add(AuditEventRow(
            seq=event.seq, occurred_at=event.occurred_at, actor=event.actor,
            actor_role=event.actor_role, actor_agency=event.actor_agency, action=event.action,
            target=event.target, payload=dict(event.payload), payload_hash=event.payload_hash,
            prev_hash=event.prev_hash, event_hash=event.event_hash))
        head.seq = event.seq
        head.event_hash = event.event_hash
        session.flush()

    def stream(self, tx: Tx, lo: int | None = None, hi: int | None = None, *,
               limit: int | None = None) -> Iterator[StoredEvent]:
        where = []
        if lo is not None:
            where.append(f"seq >= {int(lo)}")
        if hi is not None:
            where.append(f"seq <= {int(hi)}")
        sql = _SELECT + (f" WHERE {' AND '.join(where)}" if where else "") + " ORDER BY seq"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        session = session_of(tx)
        dbapi = session.connection().connection.dbapi_connection
        assert dbapi is not None
        if session.get_bind().dialect.name == "postgresql":
            cursor = dbapi.cursor(name=f"audit_scan_{id(tx)}")
        else:
            cursor = dbapi.cursor()
        try:
            cursor.execute(sql)
            while batch := cursor.fetchmany(_BATCH):
                for raw in batch:
                    yield decode_event(raw)
        finally:
            cursor.close()

    def at(self, tx: Tx, seq: int) -> StoredEvent | None:
        raw = session_of(tx).connection().exec_driver_sql(
            f"{_SELECT} WHERE seq = {int(seq)}").first()
        return None if raw is None else decode_event(raw)

    def hash_at(self, tx: Tx, seq: int) -> str | None:
        return session_of(tx).scalar(
            select(AuditEventRow.event_hash).where(AuditEventRow.seq == seq))

    def seq_of_hash(self, tx: Tx, event_hash: str) -> int | None:
        found = session_of(tx).scalar(
            select(AuditEventRow.seq).where(AuditEventRow.event_hash == event_hash))
        return int(found) if found is not None else None

    def count(self, tx: Tx) -> int:
        return int(session_of(tx).scalar(select(func.count()).select_from(AuditEventRow)) or 0)

    def last_seq(self, tx: Tx) -> int:
        return int(session_of(tx).scalar(select(func.max(AuditEventRow.seq))) or 0)

    def count_below(self, tx: Tx, seq: int) -> int:
        return int(session_of(tx).scalar(
            select(func.count()).where(AuditEventRow.seq < seq)) or 0)

    def pending(self, tx: Tx, *, after: int, except_action: str) -> tuple[int, datetime | None]:
        where = (AuditEventRow.seq > after) & (AuditEventRow.action != except_action)
        count, oldest = session_of(tx).execute(
            select(func.count(), func.min(AuditEventRow.occurred_at)).where(where)).one()
        return int(count or 0), oldest

    def newest(self, tx: Tx, where: EventFilter, *, before: int | None = None,
               limit: int) -> list[LogEntry]:
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
        return [LogEntry(seq=r.seq, occurred_at=as_utc(r.occurred_at), actor=r.actor,
                         actor_role=r.actor_role, actor_agency=r.actor_agency, action=r.action,
                         target=r.target, payload=dict(r.payload), event_hash=r.event_hash)
                for r in session_of(tx).scalars(stmt)]


_NEWEST_FIRST = (AuditCheckpoint.size.desc(), AuditCheckpoint.id.desc())


class SqlAuditCheckpoints:
    def in_order(self, tx: Tx) -> list[AuditCheckpoint]:
        return list(session_of(tx).scalars(
            select(AuditCheckpoint).order_by(AuditCheckpoint.size, AuditCheckpoint.id)))

    def newest(self, tx: Tx, *, limit: int) -> list[AuditCheckpoint]:
        return list(session_of(tx).scalars(
            select(AuditCheckpoint).order_by(*_NEWEST_FIRST).limit(limit)))

    def at_size(self, tx: Tx, size: int) -> AuditCheckpoint | None:
        return session_of(tx).scalars(
            select(AuditCheckpoint).where(AuditCheckpoint.size == size)
            .order_by(AuditCheckpoint.id.desc())).first()

    def covering(self, tx: Tx, seq: int) -> AuditCheckpoint | None:
        return session_of(tx).scalars(
            select(AuditCheckpoint).where(AuditCheckpoint.size >= seq)
            .order_by(*_NEWEST_FIRST)).first()

    def largest_size(self, tx: Tx) -> int:
        return int(session_of(tx).scalar(select(func.max(AuditCheckpoint.size))) or 0)

    def add(self, tx: Tx, *, size: int, root_hash: str, origin: str, note: str,
            signers: list[str], created_by: str) -> AuditCheckpoint:
        session = session_of(tx)
        row = AuditCheckpoint(size=size, root_hash=root_hash, origin=origin, note=note,
                              signers=signers, created_by=created_by)
        session.add(row)
        session.flush()
        return row


class SqlAuditTree:
    def stored_leaves(self, tx: Tx) -> int:
        return AuditTreeRepository(session_of(tx)).stored_leaves()

    def leaf_hashes(self, tx: Tx, size: int) -> bytes | None:
        return AuditTreeRepository(session_of(tx)).leaf_hashes(size)

    def append_leaves(self, tx: Tx, start: int, hashes: bytes) -> None:
        AuditTreeRepository(session_of(tx)).append_leaves(start, hashes)

    def frontier(self, tx: Tx, size: int) -> list[bytes] | None:
        return AuditTreeRepository(session_of(tx)).frontier(size)

    def save_frontier(self, tx: Tx, size: int, hashes: list[bytes]) -> None:
        AuditTreeRepository(session_of(tx)).save_frontier(size, hashes)
