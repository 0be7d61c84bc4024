"""What must hold after any import, finished, killed or raced: the log covers every stored row
and the batches count only what was committed."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from parley.adapters.sql.tables import AuditEventRow, ImportBatch, QuarantinedRow, SourceRecord
from parley.services.audit import verify_log
from parley.services.workspace import Workspace


def assert_log_covers_store(ws: Workspace) -> None:
    report = verify_log(ws)
    assert report.ok, report.first_fault
    with ws.store.reading() as s:
        stored = Counter(dict(s.execute(
            select(SourceRecord.batch_id, func.count()).group_by(SourceRecord.batch_id)).all()))
        held = Counter(dict(s.execute(
            select(QuarantinedRow.batch_id, func.count()).group_by(QuarantinedRow.batch_id)
        ).all()))
        logged: Counter[int] = Counter()
        logged_bad: Counter[int] = Counter()
        for event in s.scalars(select(AuditEventRow).where(AuditEventRow.action == "ingest.chunk")):
            batch_id = int(event.target.split(":")[1])
            logged[batch_id] += int(event.payload["imported"])
            logged_bad[batch_id] += int(event.payload["quarantined"])
        batches = s.scalars(select(ImportBatch)).all()
    assert +logged == +stored
    assert +logged_bad == +held
    for batch in batches:
        assert (batch.rows_imported, batch.rows_quarantined) == (
            stored[batch.id], held[batch.id]), batch.id
        assert batch.rows_read == (batch.rows_imported + batch.rows_duplicate
                                   + batch.rows_quarantined)


def record_keys(ws: Workspace) -> Counter[str]:
    """Each stored record's content hash, counted (a duplicate would count 2)."""
    with ws.store.reading() as s:
        return Counter(s.scalars(select(SourceRecord.content_hash)).all())
