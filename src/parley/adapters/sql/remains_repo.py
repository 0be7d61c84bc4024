"""Storage of repatriations, remains cases, reference samples and lab results."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from parley.adapters.sql.family_tables import Inquiry
from parley.adapters.sql.remains_tables import DnaSample, LabResult, RemainsCase, Repatriation
from parley.adapters.sql.tables import Person


class RemainsRepository:
    def __init__(self, session: Session) -> None:
        self.tx = session

    def repatriation(self, key: str) -> Repatriation | None:
        return self.tx.scalar(select(Repatriation).where(Repatriation.repatriation_key == key))

    def repatriations(self) -> list[Repatriation]:
        return list(self.tx.scalars(select(Repatriation).order_by(Repatriation.id)))

    def case(self, key: str) -> RemainsCase | None:
        return self.tx.scalar(select(RemainsCase).where(RemainsCase.case_key == key))

    def cases(self, *, state: str | None = None, limit: int = 500) -> list[RemainsCase]:
        stmt = select(RemainsCase).order_by(RemainsCase.id).limit(limit)
        if state:
            stmt = stmt.where(RemainsCase.state == state)
        return list(self.tx.scalars(stmt))

    def states(self, repatriation_id: int | None = None) -> dict[str, int]:
        stmt = select(RemainsCase.state, func.count()).group_by(RemainsCase.state)
        if repatriation_id is not None:
            stmt = stmt.where(RemainsCase.repatriation_id == repatriation_id)
        return {str(s): int(n) for s, n in self.tx.execute(stmt)}

    def sample(self, key: str) -> DnaSample | None:
        return self.tx.scalar(select(DnaSample).where(DnaSample.sample_key == key))

    def has_result(self, digest: str) -> bool:
        return self.tx.scalar(select(LabResult.id).where(LabResult.content_hash == digest)
                              ) is not None

    def inquiry(self, key: str) -> Inquiry | None:
        """By the inquiry's own id in its file (``inquiry_id``), else by Parley's number."""
        found = self.tx.scalar(select(Inquiry).where(Inquiry.inquiry_key == key)
                               .order_by(Inquiry.id).limit(1))
        if found is None and key.isdigit():
            found = self.tx.get(Inquiry, int(key))
        return found

    def person(self, person_id: int) -> Person | None:
        return self.tx.get(Person, person_id)

    def add(self, row: object) -> None:
        self.tx.add(row)
        self.tx.flush()
