"""Answers to families: registry changes make tasks, letters render in Ukrainian (read back from
the PDF), the outbox lists what is due, and sending is recorded by a person."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

import pypdf
import pytest
from sqlalchemy import select

from parley.adapters.sql.family_tables import Inquiry
from parley.adapters.sql.tables import AuditEventRow, Person
from parley.domain.actors import Actor, Role
from parley.errors import AccessDenied, InvalidInput
from parley.services.answers import (
    letter_pdf,
    list_tasks,
    record_sent,
    sync_answer_tasks,
    write_outbox,
)
from parley.services.inquiries import take_inquiry
from parley.services.inquiry_links import decide_candidate
from parley.services.workspace import Workspace

LIAISON = Actor(username="liaison", role=Role.FAMILY_LIAISON, agency="OMB")


def _linked(ws: Workspace, operator: Actor, status: str) -> tuple[int, int]:
    with ws.store.transaction() as tx:
        person = Person(display_name="Коваленко Іван Петрович", status=status)
        tx.add(person)
        tx.flush()
        person_id = person.id
    inquiry = take_inquiry(ws, actor=LIAISON, values={
        "inquiry_id": "H-77", "inquirer_name": "Коваленко Марія", "inquirer_relation": "мати",
        "inquirer_phone": "+380501234567", "consent": "так", "family_name": "Коваленко",
        "given_name": "Іван", "patronymic": "Петрович", "birth_date": "04.05.1990"})
    decide_candidate(ws, actor=operator, inquiry_id=inquiry, person_id=person_id,
                     decision="link")
    return inquiry, person_id


def _text(pdf: bytes) -> str:
    pages = pypdf.PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join(p.extract_text() for p in pages).split())  # lines wrap anywhere


def test_held_person_gives_one_task_with_a_ukrainian_letter_and_sending_answers(
    ws: Workspace, operator: Actor, tmp_path: Path
) -> None:
    inquiry, person_id = _linked(ws, operator, "captured")
    assert sync_answer_tasks(ws, actor=LIAISON) == 1
    assert sync_answer_tasks(ws, actor=LIAISON) == 0  # one task per event, however often
    [task] = list_tasks(ws, actor=LIAISON)
    assert task["event"] == "confirmed_held" and task["inquirer_phone"] == "+380501234567"

    text = _text(letter_pdf(ws, actor=LIAISON, task_id=task["task_id"]))
    assert "Шановний (шановна) Коваленко Марія!" in text
    assert "Коваленко Іван Петрович за підтвердженими даними перебуває" in text
    assert "Answer to your inquiry no. H-77" in text  # the English page follows

    out = tmp_path / "outbox.csv"
    assert write_outbox(ws, actor=LIAISON, path=out) == 1
    [row] = list(csv.DictReader(out.open(encoding="utf-8")))
    assert row["event"] == "confirmed_held" and row["inquirer_phone"] == "+380501234567"
    assert row["sought"] == "Коваленко Іван Петрович" and row["inquiry_id"] == "H-77"

    with pytest.raises(InvalidInput, match="how"):
        record_sent(ws, actor=LIAISON, task_id=task["task_id"], how="pigeon")
    done = record_sent(ws, actor=LIAISON, task_id=task["task_id"], how="post",
                       at=datetime(2026, 12, 1, 10, 0))
    assert done == {"task_id": task["task_id"], "state": "sent", "inquiry_state": "answered"}
    assert write_outbox(ws, actor=LIAISON, path=out) == 0
    with ws.store.reading() as tx:
        assert tx.get_one(Inquiry, inquiry).state == "answered"
        actions = tx.scalars(select(AuditEventRow.action)).all()
        assert {"answers.tasks", "answers.letter", "answers.sent"} <= set(actions)

    # the person is reported dead later: a second task, the inquiry stays answered
    with ws.store.transaction() as tx:
        tx.get_one(Person, person_id).status = "deceased"
    assert sync_answer_tasks(ws, actor=LIAISON) == 1
    events = [t["event"] for t in list_tasks(ws, actor=LIAISON, state="due")]
    assert events == ["reported_dead"]


def test_letters_and_contacts_stay_with_the_liaison(
    ws: Workspace, operator: Actor, tmp_path: Path
) -> None:
    _linked(ws, operator, "held")
    sync_answer_tasks(ws, actor=LIAISON)
    analyst = Actor(username="a", role=Role.ANALYST, agency="MOD")
    [task] = list_tasks(ws, actor=analyst)
    assert "inquirer_phone" not in task and task["event"] == "confirmed_held"
    with pytest.raises(AccessDenied):
        letter_pdf(ws, actor=analyst, task_id=task["task_id"])
    out = tmp_path / "outbox.csv"
    write_outbox(ws, actor=analyst, path=out)
    assert "+380501234567" not in out.read_text(encoding="utf-8")
    with pytest.raises(AccessDenied):
        list_tasks(ws, actor=Actor(username="l", role=Role.LOGISTICS, agency="HQ"))
