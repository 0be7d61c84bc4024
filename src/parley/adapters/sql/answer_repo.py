"""Answer tasks in SQL (the ``AnswerTasks`` port), and the registry facts that decide them."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from parley.adapters.sql.exchange_tables import ListEntryRow, PlanAssignmentRow
from parley.adapters.sql.family_tables import AnswerTask, Inquiry
from parley.adapters.sql.session import session_of
from parley.adapters.sql.tables import Person
from parley.services.ports import Tx


class SqlAnswerTasks:
    def linked_inquiries(self, tx: Tx) -> list[Inquiry]:
        return list(session_of(tx).scalars(select(Inquiry).where(
            Inquiry.person_id.is_not(None), Inquiry.state.in_(("linked", "answered")))
            .order_by(Inquiry.id)))

    def person_status(self, tx: Tx, person_id: int) -> str | None:
        person = session_of(tx).get(Person, person_id)
        return None if person is None else person.status

    def on_list(self, tx: Tx, person_id: int) -> list[str]:
        return list(session_of(tx).scalars(select(ListEntryRow.entry_key).where(
            ListEntryRow.person_id == person_id, ListEntryRow.valid_to.is_(None))))

    def scheduled(self, tx: Tx, entry_keys: Sequence[str]) -> bool:
        if not entry_keys:
            return False
        return session_of(tx).scalar(select(PlanAssignmentRow.id).where(
            PlanAssignmentRow.record_id.in_(list(entry_keys)), PlanAssignmentRow.active.is_(True),
            PlanAssignmentRow.stage.is_not(None)).limit(1)) is not None

    def task(self, tx: Tx, task_id: int) -> AnswerTask | None:
        return session_of(tx).get(AnswerTask, task_id)

    def task_for(self, tx: Tx, inquiry_id: int, event: str) -> AnswerTask | None:
        return session_of(tx).scalar(select(AnswerTask).where(
            AnswerTask.inquiry_id == inquiry_id, AnswerTask.event == event))

    def add(self, tx: Tx, *, inquiry_id: int, person_id: int | None, event: str,
            detail: str) -> AnswerTask:
        task = AnswerTask(inquiry_id=inquiry_id, person_id=person_id, event=event,
                          detail=detail)
        session = session_of(tx)
        session.add(task)
        session.flush()
        return task

    def tasks(self, tx: Tx, *, state: str | None = None,
              limit: int = 500) -> list[tuple[AnswerTask, Inquiry]]:
        stmt = (select(AnswerTask, Inquiry).join(Inquiry, Inquiry.id == AnswerTask.inquiry_id)
                .order_by(AnswerTask.id).limit(limit))
        if state:
            stmt = stmt.where(AnswerTask.state == state)
        return [(t, i) for t, i in session_of(tx).execute(stmt).all()]

    def inquiry(self, tx: Tx, inquiry_id: int) -> Inquiry | None:
        return session_of(tx).get(Inquiry, inquiry_id)
