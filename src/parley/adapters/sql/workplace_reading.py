"""Read-only queries behind the import page: one batch and its quarantined rows.

(The agencies and the audit log's pages are read through the repositories now:
``adapters/sql/accounts_repo.py`` and ``adapters/sql/audit_repo.py``.)
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from parley.adapters.sql.tables import ImportBatch, QuarantinedRow


class ImportReader:
    """One import batch and its quarantined rows, inside the caller's transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def batch(self, batch_id: int) -> ImportBatch | None:
        return self.session.get(ImportBatch, batch_id)

    def quarantined(self, batch_id: int) -> list[QuarantinedRow]:
        return list(self.session.scalars(
            select(QuarantinedRow).where(QuarantinedRow.batch_id == batch_id)
            .order_by(QuarantinedRow.line_no, QuarantinedRow.id)))
