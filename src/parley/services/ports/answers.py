"""Answer tasks, and the registry facts that decide them (a person's status, their list
entries, plan stages): what the answers service needs of storage."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from parley.services.ports.inquiries import InquiryRow
from parley.services.ports.tx import Tx


class AnswerTaskRow(Protocol):
    """One letter due to (or sent to) a family about one event."""

    id: int
    inquiry_id: int
    person_id: int | None
    event: str
    detail: str
    state: str
    created_at: datetime
    sent_how: str
    sent_at: datetime | None
    sent_by: str


class AnswerTasks(Protocol):
    def linked_inquiries(self, tx: Tx) -> Sequence[InquiryRow]:
        """Inquiries linked to a person (linked or already answered), in id order."""

    def person_status(self, tx: Tx, person_id: int) -> str | None:
        """The person's registry status, or None if there is no such person."""

    def on_list(self, tx: Tx, person_id: int) -> list[str]:
        """Entry keys of the person's current list entries."""

    def scheduled(self, tx: Tx, entry_keys: Sequence[str]) -> bool:
        """Whether any of these entries has an active assignment to a plan stage."""

    def task(self, tx: Tx, task_id: int) -> AnswerTaskRow | None: ...

    def task_for(self, tx: Tx, inquiry_id: int, event: str) -> AnswerTaskRow | None: ...

    def add(self, tx: Tx, *, inquiry_id: int, person_id: int | None, event: str,
            detail: str) -> AnswerTaskRow:
        """Store a new task (its id is set on return)."""

    def tasks(self, tx: Tx, *, state: str | None = None,
              limit: int = 500) -> Sequence[tuple[AnswerTaskRow, InquiryRow]]:
        """Tasks (of one state, if given) with their inquiries, in task order."""

    def inquiry(self, tx: Tx, inquiry_id: int) -> InquiryRow | None: ...
