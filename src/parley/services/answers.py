"""Answers to families: a change that matters to a family becomes a task for the family liaison
with a drafted letter (Ukrainian and English, PDF); the liaison sends it and records how and
when. Parley never contacts anyone: the outbox lists what is due.

Events come from the registry as it stands (``sync_answer_tasks``: a linked person held, on a
list, scheduled in a plan stage, released, deceased) and from identified remains
(``parley.services.remains``). One task per inquiry and event, however often it is synced.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from parley.adapters.files.csv_export import export_writer
from parley.adapters.pdf import render_letter
from parley.clock import utcnow
from parley.domain.actors import Action, Actor
from parley.domain.answers import SENT_HOW, AnswerEvent, events_for, letter
from parley.domain.families import can_move
from parley.domain.policy import FAMILY_OFFICE, Kind, Op
from parley.errors import N_, AccessDenied, InvalidInput, NotFound
from parley.services.access import redact, redact_many
from parley.services.journal import record_event
from parley.services.ports import Tx, repositories_of
from parley.services.ports.answers import AnswerTaskRow
from parley.services.ports.inquiries import InquiryRow
from parley.services.workspace import Workspace

OUTBOX_COLUMNS = ("task_id", "inquiry_id", "event", "created_at", "sought", "inquirer_name",
                  "inquirer_relation", "inquirer_phone", "inquirer_email", "consent_contact")


def sought_name(inquiry: InquiryRow) -> str:
    return " ".join(p for p in (inquiry.family_name, inquiry.given_name, inquiry.patronymic)
                    if p)


def add_task(tx: Tx, inquiry: InquiryRow, event: AnswerEvent,
             detail: str = "") -> AnswerTaskRow | None:
    """A task for ``event`` unless the inquiry has one already (in the caller's transaction)."""
    tasks = repositories_of(tx).answer_tasks
    if tasks.task_for(tx, inquiry.id, event.value) is not None:
        return None
    return tasks.add(tx, inquiry_id=inquiry.id, person_id=inquiry.person_id, event=event.value,
                     detail=detail)


def sync_answer_tasks(ws: Workspace, *, actor: Actor) -> int:
    """Create the tasks that the registry's current facts call for; returns how many."""
    actor.require(Action.MANAGE_INQUIRIES)
    made: list[dict[str, Any]] = []
    with ws.store.transaction() as tx:
        repo = ws.repos.answer_tasks
        for inquiry in repo.linked_inquiries(tx):
            person_id = int(inquiry.person_id or 0)
            status = repo.person_status(tx, person_id)
            if status is None:
                continue
            entries = repo.on_list(tx, person_id)
            for event in events_for(status=status, on_list=bool(entries),
                                    scheduled=repo.scheduled(tx, entries)):
                task = add_task(tx, inquiry, event)
                if task is not None:
                    made.append({"task_id": task.id, "inquiry_id": inquiry.id,
                                 "event": event.value})
        if made:
            record_event(tx, actor=actor, action="answers.tasks", target="answers",
                         payload={"tasks": made[:200], "count": len(made)})
    return len(made)


def _item(task: AnswerTaskRow, inquiry: InquiryRow) -> dict[str, Any]:
    return {
        "id": inquiry.id, "task_id": task.id, "agency_code": FAMILY_OFFICE,
        "inquiry_key": inquiry.inquiry_key, "person_id": task.person_id, "event": task.event,
        "detail": task.detail, "state": task.state, "created_at": task.created_at.isoformat(),
        "sent_how": task.sent_how, "sent_by": task.sent_by,
        "sent_at": task.sent_at.isoformat() if task.sent_at else "",
        "family_name": inquiry.family_name, "given_name": inquiry.given_name,
        "patronymic": inquiry.patronymic, "inquirer_name": inquiry.inquirer_name,
        "inquirer_relation": inquiry.inquirer_relation,
        "inquirer_phone": inquiry.inquirer_phone, "inquirer_email": inquiry.inquirer_email,
        "consent_contact": inquiry.consent_contact,
    }


def list_tasks(ws: Workspace, *, actor: Actor, state: str | None = None,
               limit: int = 500) -> list[dict[str, Any]]:
    actor.require(Action.READ_INQUIRIES)
    with ws.store.reading() as tx:
        rows = ws.repos.answer_tasks.tasks(tx, state=state, limit=limit)
        return redact_many(actor, Kind.INQUIRY, [_item(t, i) for t, i in rows])


def write_outbox(ws: Workspace, *, actor: Actor, path: Path) -> int:
    """The letters due, as CSV (contact columns empty for a reader the policy refuses them)."""
    actor.require(Action.READ_INQUIRIES)
    with ws.store.reading() as tx:
        rows = ws.repos.answer_tasks.tasks(tx, state="due", limit=100_000)
        items = redact_many(actor, Kind.INQUIRY, [_item(t, i) for t, i in rows], op=Op.EXPORT)
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = export_writer(handle)
        out.writerow(OUTBOX_COLUMNS)
        for item in items:
            sought = " ".join(str(item.get(f) or "") for f in
                              ("family_name", "given_name", "patronymic")).strip()
            out.writerow([item["task_id"], item.get("inquiry_key") or item["id"],
                          item.get("event", ""), item.get("created_at", ""), sought,
                          *(item.get(f, "") for f in OUTBOX_COLUMNS[5:])])
    with ws.store.transaction() as tx:
        record_event(tx, actor=actor, action="answers.outbox", target=f"file:{path.name}",
                     payload={"rows": len(items)})
    return len(items)


def letter_pdf(ws: Workspace, *, actor: Actor, task_id: int) -> bytes:
    """The task's letter (Ukrainian page, then English) as PDF; only for readers who may see
    the inquirer (it is addressed to them)."""
    actor.require(Action.READ_INQUIRIES)
    with ws.store.transaction() as tx:
        repo = ws.repos.answer_tasks
        task = repo.task(tx, task_id)
        inquiry = repo.inquiry(tx, task.inquiry_id) if task is not None else None
        if task is None or inquiry is None:
            raise NotFound(N_("no task %(task_id)s"), task_id=task_id)
        shown = redact(actor, Kind.INQUIRY, _item(task, inquiry), op=Op.EXPORT)
        if "inquirer_name" not in shown:
            raise AccessDenied(N_("letters are for the family liaison and the ombudsman's office"))
        fields = {"sought": sought_name(inquiry), "inquirer": inquiry.inquirer_name,
                  "key": inquiry.inquiry_key or str(inquiry.id)}
        texts = [letter(task.event, language=lang, fields=fields) for lang in ("uk", "en")]
        record_event(tx, actor=actor, action="answers.letter", target=f"task:{task.id}",
                     payload={"event": task.event, "inquiry_id": inquiry.id})
        return render_letter(texts, date=task.created_at.date().isoformat(),
                             reference=f"{fields['key']} / {task.id}")


def record_sent(ws: Workspace, *, actor: Actor, task_id: int, how: str,
                at: datetime | None = None) -> dict[str, Any]:
    """The liaison sent the letter: how (post, email, phone, in_person, icrc) and when."""
    actor.require(Action.MANAGE_INQUIRIES)
    if how not in SENT_HOW:
        raise InvalidInput(
            N_("how: '%(how)s' is not one of %(SENT_HOW)s"),
            how=how, SENT_HOW=', '.join(SENT_HOW),
        )
    when = at or utcnow()
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    with ws.store.transaction() as tx:
        repo = ws.repos.answer_tasks
        task = repo.task(tx, task_id)
        inquiry = repo.inquiry(tx, task.inquiry_id) if task is not None else None
        if task is None or inquiry is None:
            raise NotFound(N_("no task %(task_id)s"), task_id=task_id)
        if task.state != "due":
            raise InvalidInput(
                N_("task %(task_id)s is %(state)s, not due"),
                task_id=task_id, state=task.state,
            )
        task.state, task.sent_how, task.sent_at, task.sent_by = "sent", how, when, actor.username
        if inquiry.state != "closed" and can_move(inquiry.state, "answered"):
            inquiry.state = "answered"
        record_event(tx, actor=actor, action="answers.sent", target=f"task:{task.id}",
                     payload={"how": how, "at": when.isoformat(), "inquiry_id": inquiry.id,
                              "event": task.event})
        return {"task_id": task.id, "state": task.state, "inquiry_state": inquiry.state}
