"""Repatriations, remains cases, reference samples and lab results in SQL (the
``RemainsRecords`` port)."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import func, select

from parley.adapters.sql.family_tables import Inquiry
from parley.adapters.sql.remains_tables import DnaSample, LabResult, RemainsCase, Repatriation
from parley.adapters.sql.session import session_of
from parley.adapters.sql.tables import Person
from parley.clock import utcnow
from parley.services.ports import Tx

_Row = TypeVar("_Row")


def _add(tx: Tx, row: _Row) -> _Row:
    session = session_of(tx)
    session.add(row)
    session.flush()
    return row


class SqlRemainsRecords:
    def repatriation(self, tx: Tx, key: str) -> Repatriation | None:
        return session_of(tx).scalar(select(Repatriation).where(
            Repatriation.repatriation_key == key))

    def add_repatriation(self, tx: Tx, *, key: str, created_by: str) -> Repatriation:
        return _add(tx, Repatriation(repatriation_key=key, created_by=created_by))

    def repatriations(self, tx: Tx) -> list[Repatriation]:
        return list(session_of(tx).scalars(select(Repatriation).order_by(Repatriation.id)))

    def case(self, tx: Tx, key: str) -> RemainsCase | None:
        return session_of(tx).scalar(select(RemainsCase).where(RemainsCase.case_key == key))

    def add_case(self, tx: Tx, *, key: str, state: str, repatriation_id: int | None,
                 found_place: str, notes: str, file_name: str, line_no: int) -> None:
        _add(tx, RemainsCase(case_key=key, state=state, repatriation_id=repatriation_id,
                             found_place=found_place, notes=notes, file_name=file_name,
                             line_no=line_no))

    def states(self, tx: Tx, repatriation_id: int | None = None) -> dict[str, int]:
        stmt = select(RemainsCase.state, func.count()).group_by(RemainsCase.state)
        if repatriation_id is not None:
            stmt = stmt.where(RemainsCase.repatriation_id == repatriation_id)
        return {str(s): int(n) for s, n in session_of(tx).execute(stmt)}

    def sample(self, tx: Tx, key: str) -> DnaSample | None:
        return session_of(tx).scalar(select(DnaSample).where(DnaSample.sample_key == key))

    def add_sample(self, tx: Tx, *, key: str, lab: str, inquiry_id: int,
                   recorded_by: str) -> DnaSample:
        return _add(tx, DnaSample(sample_key=key, lab=lab, inquiry_id=inquiry_id,
                                  recorded_by=recorded_by))

    def has_result(self, tx: Tx, digest: str) -> bool:
        return session_of(tx).scalar(select(LabResult.id).where(
            LabResult.content_hash == digest)) is not None

    def add_result(self, tx: Tx, *, case_id: int, sample_id: int, inquiry_id: int,
                   result: str, content_hash: str, file_name: str, line_no: int) -> None:
        _add(tx, LabResult(case_id=case_id, sample_id=sample_id, inquiry_id=inquiry_id,
                           result=result, content_hash=content_hash, file_name=file_name,
                           line_no=line_no))

    def inquiry(self, tx: Tx, key: str) -> Inquiry | None:
        session = session_of(tx)
        found = session.scalar(select(Inquiry).where(Inquiry.inquiry_key == key)
                               .order_by(Inquiry.id).limit(1))
        if found is None and key.isdigit():
            found = session.get(Inquiry, int(key))
        return found

    def mark_deceased(self, tx: Tx, person_id: int) -> str | None:
        person = session_of(tx).get(Person, person_id)
        if person is None:
            return None
        previous = person.status
        person.status, person.updated_at = "deceased", utcnow()
        return previous
