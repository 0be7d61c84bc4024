"""Storage of inquiries, their candidates and notifications: the services' one way in."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from parley.adapters.sql.base import utcnow
from parley.adapters.sql.family_tables import (
    Inquiry,
    InquiryCandidate,
    InquiryNotification,
    InquiryQuarantine,
)
from parley.adapters.sql.tables import Person, Source, SourceRecord


class InquiryRepository:
    def __init__(self, session: Session) -> None:
        self.tx = session

    # --- inquiries ----------------------------------------------------------------------------

    def known_hashes(self, hashes: Iterable[str]) -> set[str]:
        wanted = sorted(set(hashes))
        found: set[str] = set()
        for start in range(0, len(wanted), 500):
            part = wanted[start:start + 500]
            found.update(self.tx.scalars(
                select(Inquiry.content_hash).where(Inquiry.content_hash.in_(part))))
            found.update(self.tx.scalars(
                select(InquiryQuarantine.content_hash)
                .where(InquiryQuarantine.content_hash.in_(part))))
        return found

    def add(self, inquiry: Inquiry) -> Inquiry:
        self.tx.add(inquiry)
        self.tx.flush()
        return inquiry

    def quarantine(self, row: InquiryQuarantine) -> None:
        self.tx.add(row)
        self.tx.flush()

    def get(self, inquiry_id: int) -> Inquiry | None:
        return self.tx.get(Inquiry, inquiry_id)

    def all(self, *, state: str | None = None, limit: int | None = None,
             offset: int = 0) -> list[Inquiry]:
        stmt = select(Inquiry).order_by(Inquiry.id).offset(offset)
        if state:
            stmt = stmt.where(Inquiry.state == state)
        if limit is not None:
            stmt = stmt.limit(limit)
        return list(self.tx.scalars(stmt))

    def in_group(self, group_key: str) -> list[Inquiry]:
        if not group_key:
            return []
        return list(self.tx.scalars(select(Inquiry).where(Inquiry.group_key == group_key)
                                    .order_by(Inquiry.id)))

    def for_person(self, person_id: int) -> list[Inquiry]:
        return list(self.tx.scalars(select(Inquiry).where(Inquiry.person_id == person_id)
                                    .order_by(Inquiry.id)))

    def count_by_state(self) -> dict[str, int]:
        rows = self.tx.execute(select(Inquiry.state, func.count()).group_by(Inquiry.state))
        return {str(s): int(n) for s, n in rows}

    def quarantined(self, limit: int = 200) -> list[InquiryQuarantine]:
        return list(self.tx.scalars(select(InquiryQuarantine).order_by(InquiryQuarantine.id)
                                    .limit(limit)))

    # --- candidates ---------------------------------------------------------------------------

    def candidates(self, inquiry_id: int, state: str | None = "pending"
                   ) -> list[InquiryCandidate]:
        stmt = select(InquiryCandidate).where(InquiryCandidate.inquiry_id == inquiry_id)
        if state:
            stmt = stmt.where(InquiryCandidate.state == state)
        return list(self.tx.scalars(stmt.order_by(InquiryCandidate.probability.desc())))

    def pending_candidates(self, limit: int = 200) -> list[InquiryCandidate]:
        return list(self.tx.scalars(
            select(InquiryCandidate).where(InquiryCandidate.state == "pending")
            .order_by(InquiryCandidate.inquiry_id, InquiryCandidate.probability.desc())
            .limit(limit)))

    def candidate(self, inquiry_id: int, person_id: int) -> InquiryCandidate | None:
        return self.tx.scalar(select(InquiryCandidate).where(
            InquiryCandidate.inquiry_id == inquiry_id, InquiryCandidate.person_id == person_id))

    def put_candidate(self, *, inquiry_id: int, person_id: int, probability: float,
                      record_ids: Sequence[int], explanation: dict[str, Any]) -> bool:
        """Store or refresh a pending candidate; ``False`` when a reviewer already decided it."""
        row = self.candidate(inquiry_id, person_id)
        if row is None:
            self.tx.add(InquiryCandidate(inquiry_id=inquiry_id, person_id=person_id,
                                         probability=probability, record_ids=list(record_ids),
                                         explanation=explanation))
            self.tx.flush()
            return True
        if row.state != "pending":
            return False
        row.probability, row.record_ids, row.explanation = (probability, list(record_ids),
                                                            explanation)
        row.scored_at = utcnow()
        return True

    # --- notifications ------------------------------------------------------------------------

    def notify(self, *, inquiry: Inquiry, kind: str, message: str,
               record_ids: Sequence[int] = ()) -> InquiryNotification:
        row = InquiryNotification(inquiry_id=inquiry.id, handler=inquiry.handler, kind=kind,
                                  message=message, record_ids=list(record_ids))
        self.tx.add(row)
        self.tx.flush()
        return row

    def notifications(self, *, handler: str | None = None, unseen_only: bool = True,
                      limit: int = 200) -> list[InquiryNotification]:
        stmt = select(InquiryNotification).order_by(InquiryNotification.id.desc()).limit(limit)
        if handler is not None:
            stmt = stmt.where(InquiryNotification.handler == handler)
        if unseen_only:
            stmt = stmt.where(InquiryNotification.seen_at.is_(None))
        return list(self.tx.scalars(stmt))

    # --- the registry side --------------------------------------------------------------------

    def resolved_records(self, *, family_keys: Iterable[str], numbers: Iterable[str],
                         sample_every: int) -> list[Any]:
        """Records that belong to a person and could match (same surname key, same service or
        document number), plus an even sample of resolved records for the model to train on."""
        found: set[int] = set()
        keys, nums = sorted(set(family_keys) - {""}), sorted(set(numbers) - {""})
        for start in range(0, len(keys), 500):
            found.update(self.tx.scalars(select(SourceRecord.id).where(
                SourceRecord.family_key.in_(keys[start:start + 500]),
                SourceRecord.person_id.is_not(None))))
        for column in (SourceRecord.service_number, SourceRecord.document_number):
            for start in range(0, len(nums), 500):
                found.update(self.tx.scalars(select(SourceRecord.id).where(
                    column.in_(nums[start:start + 500]), SourceRecord.person_id.is_not(None))))
        found.update(self.tx.scalars(select(SourceRecord.id).where(
            SourceRecord.person_id.is_not(None), SourceRecord.id % sample_every == 0)))
        return self.records(sorted(found))

    def records(self, ids: Sequence[int]) -> list[Any]:
        rows: list[Any] = []
        for start in range(0, len(ids), 500):
            rows.extend(self.tx.execute(
                select(SourceRecord, Source.name).join(Source, Source.id == SourceRecord.source_id)
                .where(SourceRecord.id.in_(ids[start:start + 500]))).all())
        return rows

    def resolved_count(self) -> int:
        return int(self.tx.scalar(select(func.count()).select_from(SourceRecord)
                                  .where(SourceRecord.person_id.is_not(None))) or 0)

    def records_of_batch(self, batch_id: int, family_keys: Iterable[str]) -> list[SourceRecord]:
        """Records of one import whose surname key is among ``family_keys`` (the indexed key
        narrows a million-row batch to the few that could matter)."""
        keys = sorted(set(family_keys) - {""})
        found: list[SourceRecord] = []
        for start in range(0, len(keys), 500):
            found.extend(self.tx.scalars(select(SourceRecord).where(
                SourceRecord.family_key.in_(keys[start:start + 500]),
                SourceRecord.batch_id == batch_id)))
        return found

    def person(self, person_id: int) -> Person | None:
        return self.tx.get(Person, person_id)
