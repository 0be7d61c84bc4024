"""Relatives' inquiries, their candidate persons and the handler's notifications, as the
families' services (inquiries, links, answers, PFIF, remains) read and change them.

Rows are tracked by their transaction: setting an attribute (an inquiry's ``state``, its
``person_id``) is saved when the transaction commits, together with the audit event.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from parley.services.ports.records import SourceRecordRow
from parley.services.ports.tx import Tx


class InquiryRow(Protocol):
    """A relative's inquiry: who asks, about whom, where it came from, and its link."""

    id: int
    inquiry_key: str
    channel: str
    state: str
    handler: str
    inquirer_name: str
    inquirer_relation: str
    inquirer_phone: str
    inquirer_email: str
    consent_contact: bool
    consent_icrc: bool
    family_name: str
    given_name: str
    patronymic: str
    birth_date: str
    birth_place: str
    sex: str
    citizenship: str
    military_unit: str
    service_number: str
    rank: str
    document_number: str
    capture_date: str
    capture_place: str
    notes: str
    extras: dict[str, Any]
    family_key: str
    given_key: str
    group_key: str
    file_name: str
    line_no: int
    content_hash: str
    created_at: datetime
    person_id: int | None
    record_ids: list[Any]
    probability: float | None
    linked_by: str
    linked_at: datetime | None


class CandidateRow(Protocol):
    """A person the model thinks an inquiry may be about, waiting for a reviewer."""

    id: int
    inquiry_id: int
    person_id: int
    record_ids: list[Any]
    probability: float
    explanation: dict[str, Any]
    state: str
    decided_by: str
    decided_at: datetime | None


class NotificationRow(Protocol):
    """Something the inquiry's handler must be told (a matching record arrived, a link)."""

    id: int
    inquiry_id: int
    kind: str
    message: str
    record_ids: list[Any]
    created_at: datetime


MatchableRecord = SourceRecordRow
"""A source record as inquiry matching reads it (the canonical person fields are read by
name, too)."""


class Inquiries(Protocol):
    # --- inquiries ----------------------------------------------------------------------------
    def known_hashes(self, tx: Tx, hashes: Iterable[str]) -> set[str]:
        """Which of these content hashes an inquiry or a quarantined row has already."""

    def add(self, tx: Tx, fields: Mapping[str, Any]) -> InquiryRow:
        """Store a new inquiry from its column values (its id is set on return)."""

    def quarantine(self, tx: Tx, *, channel: str, file_name: str, line_no: int, field: str,
                   reason: str, raw: dict[str, Any], content_hash: str) -> None: ...

    def get(self, tx: Tx, inquiry_id: int) -> InquiryRow | None: ...

    def all(self, tx: Tx, *, state: str | None = None, limit: int | None = None,
            offset: int = 0) -> Sequence[InquiryRow]:
        """Inquiries (of one state, if given) in id order."""

    def in_group(self, tx: Tx, group_key: str) -> Sequence[InquiryRow]: ...

    def for_person(self, tx: Tx, person_id: int) -> Sequence[InquiryRow]: ...

    # --- candidates ---------------------------------------------------------------------------
    def candidates(self, tx: Tx, inquiry_id: int, state: str | None = "pending"
                   ) -> Sequence[CandidateRow]:
        """The inquiry's candidates (of one state, if given), most probable first."""

    def candidate(self, tx: Tx, inquiry_id: int, person_id: int) -> CandidateRow | None: ...

    def put_candidate(self, tx: Tx, *, inquiry_id: int, person_id: int, probability: float,
                      record_ids: Sequence[int], explanation: dict[str, Any]) -> bool:
        """Store or refresh a pending candidate; ``False`` when a reviewer already decided it."""

    # --- notifications ------------------------------------------------------------------------
    def notify(self, tx: Tx, *, inquiry: InquiryRow, kind: str, message: str,
               record_ids: Sequence[int] = ()) -> None:
        """A notification for the inquiry's handler."""

    def notifications(self, tx: Tx, *, handler: str | None = None, unseen_only: bool = True,
                      limit: int = 200) -> Sequence[NotificationRow]:
        """Newest first."""

    # --- the registry side --------------------------------------------------------------------
    def resolved_records(self, tx: Tx, *, family_keys: Iterable[str], numbers: Iterable[str],
                         sample_every: int) -> Sequence[tuple[MatchableRecord, str]]:
        """Records that belong to a person and could match (same surname key, same service or
        document number), plus an even sample of resolved records for the model to train on;
        each with its source's name."""

    def resolved_count(self, tx: Tx) -> int: ...

    def records_of_batch(self, tx: Tx, batch_id: int,
                         family_keys: Iterable[str]) -> Sequence[MatchableRecord]:
        """Records of one import whose surname key is among ``family_keys``."""

    def person_exists(self, tx: Tx, person_id: int) -> bool: ...
