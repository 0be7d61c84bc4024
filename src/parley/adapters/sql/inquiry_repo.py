"""Inquiries, their candidates and notifications in SQL (the ``Inquiries`` port)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import func, select

from parley.adapters.sql.family_tables import (
    Inquiry,
    InquiryCandidate,
    InquiryNotification,
    InquiryQuarantine,
)
from parley.adapters.sql.session import session_of
from parley.adapters.sql.tables import Person, Source, SourceRecord
from parley.clock import utcnow
from parley.services.ports import Tx
from parley.services.ports.inquiries import InquiryRow

_CHUNK = 500


class SqlInquiries:
    # --- inquiries ----------------------------------------------------------------------------

    def known_hashes(self, tx: Tx, hashes: Iterable[str]) -> set[str]:
        session = session_of(tx)
        wanted = sorted(set(hashes))
        found: set[str] = set()
        for start in range(0, len(wanted), _CHUNK):
            part = wanted[start:start + _CHUNK]
            found.update(session.scalars(
                select(Inquiry.content_hash).where(Inquiry.content_hash.in_(part))))
            found.update(session.scalars(
                select(InquiryQuarantine.content_hash)
                .where(InquiryQuarantine.content_hash.in_(part))))
        return found

    def add(self, tx: Tx, fields: Mapping[str, Any]) -> Inquiry:
        session = session_of(tx)
        inquiry = Inquiry(**fields)
        session.add(inquiry)
        session.flush()
        return inquiry

    def quarantine(self, tx: Tx, *, channel: str, file_name: str, line_no: int, field: str,
                   reason: str, raw: dict[str, Any], content_hash: str) -> None:
        session = session_of(tx)
        session.add(InquiryQuarantine(channel=channel, file_name=file_name, line_no=line_no,
                                      field=field, reason=reason, raw=raw,
                                      content_hash=content_hash))
        session.flush()

    def get(self, tx: Tx, inquiry_id: int) -> Inquiry | None:
        return session_of(tx).get(Inquiry, inquiry_id)

    def all(self, tx: Tx, *, state: str | None = None, limit: int | None = None,
            offset: int = 0) -> list[Inquiry]:
        stmt = select(Inquiry).order_by(Inquiry.id).offset(offset)
        if state:
            stmt = stmt.where(Inquiry.state == state)
        if limit is not None:
            stmt = stmt.limit(limit)
        return list(session_of(tx).scalars(stmt))

    def in_group(self, tx: Tx, group_key: str) -> list[Inquiry]:
        if not group_key:
            return []
        return list(session_of(tx).scalars(select(Inquiry).where(Inquiry.group_key == group_key)
                                           .order_by(Inquiry.id)))

    def for_person(self, tx: Tx, person_id: int) -> list[Inquiry]:
        return list(session_of(tx).scalars(select(Inquiry).where(Inquiry.person_id == person_id)
                                           .order_by(Inquiry.id)))

    # --- candidates ---------------------------------------------------------------------------

    def candidates(self, tx: Tx, inquiry_id: int, state: str | None = "pending"
                   ) -> list[InquiryCandidate]:
        stmt = select(InquiryCandidate).where(InquiryCandidate.inquiry_id == inquiry_id)
        if state:
            stmt = stmt.where(InquiryCandidate.state == state)
        return list(session_of(tx).scalars(stmt.order_by(InquiryCandidate.probability.desc())))

    def candidate(self, tx: Tx, inquiry_id: int, person_id: int) -> InquiryCandidate | None:
        return session_of(tx).scalar(select(InquiryCandidate).where(
            InquiryCandidate.inquiry_id == inquiry_id, InquiryCandidate.person_id == person_id))

    def put_candidate(self, tx: Tx, *, inquiry_id: int, person_id: int, probability: float,
                      record_ids: Sequence[int], explanation: dict[str, Any]) -> bool:
        row = self.candidate(tx, inquiry_id, person_id)
        if row is None:
            session = session_of(tx)
            session.add(InquiryCandidate(inquiry_id=inquiry_id, person_id=person_id,
                                         probability=probability, record_ids=list(record_ids),
                                         explanation=explanation))
            session.flush()
            return True
        if row.state != "pending":
            return False
        row.probability, row.record_ids, row.explanation = (probability, list(record_ids),
                                                            explanation)
        row.scored_at = utcnow()
        return True

    # --- notifications ------------------------------------------------------------------------

    def notify(self, tx: Tx, *, inquiry: InquiryRow, kind: str, message: str,
               record_ids: Sequence[int] = ()) -> None:
        session = session_of(tx)
        session.add(InquiryNotification(inquiry_id=inquiry.id, handler=inquiry.handler,
                                        kind=kind, message=message,
                                        record_ids=list(record_ids)))
        session.flush()

    def notifications(self, tx: Tx, *, handler: str | None = None, unseen_only: bool = True,
                      limit: int = 200) -> list[InquiryNotification]:
        stmt = select(InquiryNotification).order_by(InquiryNotification.id.desc()).limit(limit)
        if handler is not None:
            stmt = stmt.where(InquiryNotification.handler == handler)
        if unseen_only:
            stmt = stmt.where(InquiryNotification.seen_at.is_(None))
        return list(session_of(tx).scalars(stmt))

    # --- the registry side --------------------------------------------------------------------

    def resolved_records(self, tx: Tx, *, family_keys: Iterable[str], numbers: Iterable[str],
                         sample_every: int) -> list[tuple[SourceRecord, str]]:
        session = session_of(tx)
        found: set[int] = set()
        keys, nums = sorted(set(family_keys) - {""}), sorted(set(numbers) - {""})
        for start in range(0, len(keys), _CHUNK):
            found.update(session.scalars(select(SourceRecord.id).where(
                SourceRecord.family_key.in_(keys[start:start + _CHUNK]),
                SourceRecord.person_id.is_not(None))))
        for column in (SourceRecord.service_number, SourceRecord.document_number):
            for start in range(0, len(nums), _CHUNK):
                found.update(session.scalars(select(SourceRecord.id).where(
                    column.in_(nums[start:start + _CHUNK]), SourceRecord.person_id.is_not(None))))
        found.update(session.scalars(select(SourceRecord.id).where(
            SourceRecord.person_id.is_not(None), SourceRecord.id % sample_every == 0)))
        ids = sorted(found)
        rows: list[tuple[SourceRecord, str]] = []
        for start in range(0, len(ids), _CHUNK):
            rows.extend((rec, str(name)) for rec, name in session.execute(
                select(SourceRecord, Source.name).join(Source, Source.id == SourceRecord.source_id)
                .where(SourceRecord.id.in_(ids[start:start + _CHUNK]))).all())
        return rows

    def resolved_count(self, tx: Tx) -> int:
        return int(session_of(tx).scalar(select(func.count()).select_from(SourceRecord)
                                         .where(SourceRecord.person_id.is_not(None))) or 0)

    def records_of_batch(self, tx: Tx, batch_id: int,
                         family_keys: Iterable[str]) -> list[SourceRecord]:
        """The indexed surname key narrows a million-row batch to the few that could matter."""
        keys = sorted(set(family_keys) - {""})
        found: list[SourceRecord] = []
        for start in range(0, len(keys), _CHUNK):
            found.extend(session_of(tx).scalars(select(SourceRecord).where(
                SourceRecord.family_key.in_(keys[start:start + _CHUNK]),
                SourceRecord.batch_id == batch_id)))
        return found

    def person_exists(self, tx: Tx, person_id: int) -> bool:
        return session_of(tx).get(Person, person_id) is not None
