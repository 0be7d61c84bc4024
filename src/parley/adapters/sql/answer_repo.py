"""Storage of answer tasks, and the registry facts that decide them (a person's status, list
entries, plan stages): the answers service's one way in."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from parley.adapters.sql.exchange_tables import ListEntryRow, PlanAssignmentRow
from parley.adapters.sql.family_tables import AnswerTask, Inquiry
from parley.adapters.sql.tables import Person


class AnswerRepository:
    def __init__(self, session: Session) -> None:
        self.tx = session

    def linked_inquiries(self) -> list[Inquiry]:
        return list(self.tx.scalars(select(Inquiry).where(
            Inquiry.person_id.is_not(None), Inquiry.state.in_(("linked", "answered")))
            .order_by(Inquiry.id)))

    def person(self, person_id: int) -> Person | None:
        return self.tx.get(Person, person_id)

    def on_list(self, person_id: int) -> list[str]:
        """Entry keys of the person's current list entries."""
        return list(self.tx.scalars(select(ListEntryRow.entry_key).where(
            ListEntryRow.person_id == person_id, ListEntryRow.valid_to.is_(None))))

    def scheduled(self, entry_keys: list[str]) -> bool:
        if not entry_keys:
            return False
        return self.tx.scalar(select(PlanAssignmentRow.id).where(
            PlanAssignmentRow.record_id.in_(entry_keys), PlanAssignmentRow.active.is_(True),
            PlanAssignmentRow.stage.is_not(None)).limit(1)) is not None

    def task(self, task_id: int) -> AnswerTask | None:
        return self.tx.get(AnswerTask, task_id)

    def task_for(self, inquiry_id: int, event: str) -> AnswerTask | None:
        return self.tx.scalar(select(AnswerTask).where(AnswerTask.inquiry_id == inquiry_id,
                                                       AnswerTask.event == event))

    def add_task(self, task: AnswerTask) -> AnswerTask:
        self.tx.add(task)
        self.tx.flush()
        return task

    def tasks(self, *, state: str | None = None, limit: int = 500) -> list[tuple[AnswerTask,
                                                                                  Inquiry]]:
        stmt = (select(AnswerTask, Inquiry).join(Inquiry, Inquiry.id == AnswerTask.inquiry_id)
                .order_by(AnswerTask.id).limit(limit))
        if state:
            stmt = stmt.where(AnswerTask.state == state)
        return [(t, i) for t, i in self.tx.execute(stmt).all()]

    def inquiry(self, inquiry_id: int) -> Inquiry | None:
        return self.tx.get(Inquiry, inquiry_id)
