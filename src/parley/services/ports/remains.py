"""Repatriations, remains cases, relatives' reference samples and lab results: what the remains
service needs of storage. Rows are tracked by their transaction (setting a case's ``state`` is
saved when it commits, with the audit event)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from parley.services.ports.inquiries import InquiryRow
from parley.services.ports.tx import Tx


class RepatriationRow(Protocol):
    """One transfer of bodies, with the count each side received."""

    id: int
    repatriation_key: str
    date: str
    place: str
    bodies_received: int
    bodies_handed_over: int


class RemainsCaseRow(Protocol):
    id: int
    case_key: str
    repatriation_id: int | None
    state: str
    person_id: int | None
    inquiry_id: int | None
    updated_at: datetime


class DnaSampleRow(Protocol):
    """A relative's reference sample: its id at the lab, and the lab only."""

    id: int
    sample_key: str
    lab: str
    inquiry_id: int


class RemainsRecords(Protocol):
    def repatriation(self, tx: Tx, key: str) -> RepatriationRow | None: ...

    def add_repatriation(self, tx: Tx, *, key: str, created_by: str) -> RepatriationRow:
        """A new repatriation with no counts yet (its id is set on return)."""

    def repatriations(self, tx: Tx) -> Sequence[RepatriationRow]: ...

    def case(self, tx: Tx, key: str) -> RemainsCaseRow | None: ...

    def add_case(self, tx: Tx, *, key: str, state: str, repatriation_id: int | None,
                 found_place: str, notes: str, file_name: str, line_no: int) -> None: ...

    def states(self, tx: Tx, repatriation_id: int | None = None) -> dict[str, int]:
        """How many cases are in each state (of one repatriation, if given)."""

    def sample(self, tx: Tx, key: str) -> DnaSampleRow | None: ...

    def add_sample(self, tx: Tx, *, key: str, lab: str, inquiry_id: int,
                   recorded_by: str) -> DnaSampleRow: ...

    def has_result(self, tx: Tx, digest: str) -> bool:
        """Whether a lab result with this content hash is stored already."""

    def add_result(self, tx: Tx, *, case_id: int, sample_id: int, inquiry_id: int,
                   result: str, content_hash: str, file_name: str, line_no: int) -> None: ...

    def inquiry(self, tx: Tx, key: str) -> InquiryRow | None:
        """By the inquiry's own id in its file (``inquiry_id``), else by Parley's number."""

    def mark_deceased(self, tx: Tx, person_id: int) -> str | None:
        """Set the person's status to deceased; their status before (None: no such person)."""
