"""Relatives' inquiries, their candidate persons and the handler's notifications, as the
families' services (inquiries, links, answers, PFIF, remains) read and change them.

Rows are tracked by their transaction: setting an attribute (an inquiry's ``state``, its
``person_id``) is saved when the transaction commits, together with the audit event.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol


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
