"""Reconciliations in SQL (the ``Reconciliations`` port)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select

from parley.adapters.sql.exchange_tables import Reconciliation, ReconciliationRow
from parley.adapters.sql.session import session_of
from parley.adapters.sql.tables import SourceRecord
from parley.services.ports import Tx
from parley.services.ports.reconciliation import LinkableRecord, StoredRun


class SqlReconciliations:
    def registry(self, tx: Tx, fields: Sequence[str]) -> list[LinkableRecord]:
        columns = [getattr(SourceRecord, f) for f in fields]
        return [LinkableRecord(int(rid), pid, key or "",
                               {f: str(v or "") for f, v in zip(fields, values, strict=True)})
                for rid, pid, key, *values in session_of(tx).execute(
                    select(SourceRecord.id, SourceRecord.person_id, SourceRecord.record_key,
                           *columns).order_by(SourceRecord.id))]

    def add(self, tx: Tx, *, list_id: int, list_version: int, file_name: str,
            file_sha256: str, counts: Mapping[str, int], created_by: str,
            rows: Sequence[Mapping[str, Any]]) -> int:
        session = session_of(tx)
        rec = Reconciliation(list_id=list_id, list_version=list_version, file_name=file_name,
                             file_sha256=file_sha256, counts=dict(counts), created_by=created_by)
        session.add(rec)
        session.flush()
        session.add_all(ReconciliationRow(reconciliation_id=rec.id, **row) for row in rows)
        session.flush()
        return rec.id

    def find(self, tx: Tx, list_id: int, reconciliation_id: int | None) -> StoredRun | None:
        query = select(Reconciliation).where(Reconciliation.list_id == list_id)
        query = (query.where(Reconciliation.id == reconciliation_id)
                 if reconciliation_id is not None else query.order_by(Reconciliation.id.desc()))
        rec = session_of(tx).scalars(query).first()
        if rec is None:
            return None
        return StoredRun(rec.id, rec.list_version, rec.file_name, rec.created_at)

    def rows(self, tx: Tx, reconciliation_id: int) -> list[dict[str, Any]]:
        return [{"line": r.line_no, "outcome": r.outcome, "reason": r.reason,
                 "entry_key": r.entry_key, "registry_record_id": r.registry_record_id,
                 "probability": r.probability, "raw": dict(r.raw)}
                for r in session_of(tx).scalars(
                    select(ReconciliationRow)
                    .where(ReconciliationRow.reconciliation_id == reconciliation_id)
                    .order_by(ReconciliationRow.id))]
