"""Approvals of list versions in SQL (the ``ListApprovals`` port)."""

from __future__ import annotations

from sqlalchemy import select

from parley.adapters.sql.exchange_tables import ListApproval
from parley.adapters.sql.session import session_of
from parley.services.ports import Tx


class SqlListApprovals:
    def of_version(self, tx: Tx, list_id: int, version: int) -> list[ListApproval]:
        return list(session_of(tx).scalars(select(ListApproval).where(
            ListApproval.list_id == list_id, ListApproval.version == version)
            .order_by(ListApproval.id)))

    def by_user(self, tx: Tx, list_id: int, version: int, username: str) -> ListApproval | None:
        return session_of(tx).scalars(select(ListApproval).where(
            ListApproval.list_id == list_id, ListApproval.version == version,
            ListApproval.username == username)).first()

    def add(self, tx: Tx, *, list_id: int, version: int, content_hash: str, agency_code: str,
            username: str, signature: str) -> None:
        session = session_of(tx)
        session.add(ListApproval(list_id=list_id, version=version, content_hash=content_hash,
                                 agency_code=agency_code, username=username,
                                 signature=signature))
        session.flush()
