"""Tables of the families' side: relatives' inquiries, their candidate persons, the handler's
notifications and the answer tasks with their letters. An inquiry is not a source record: it
never feeds the identity model as evidence."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from parley.adapters.sql.base import Base, utcnow
from parley.adapters.sql.tables import ID


class Inquiry(Base):
    __tablename__ = "inquiries"

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    inquiry_key: Mapped[str] = mapped_column(String(200), default="", index=True)
    channel: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16), default="open", index=True)
    handler: Mapped[str] = mapped_column(String(100))
    # who asks (contact details and consent: the family liaison's and the ombudsman's only)
    inquirer_name: Mapped[str] = mapped_column(String(300))
    inquirer_relation: Mapped[str] = mapped_column(String(100), default="")
    inquirer_phone: Mapped[str] = mapped_column(String(64), default="")
    inquirer_email: Mapped[str] = mapped_column(String(200), default="")
    consent_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_icrc: Mapped[bool] = mapped_column(Boolean, default=False)
    # about whom (the canonical person fields; capture date/place = last known date/place)
    family_name: Mapped[str] = mapped_column(String(200), default="")
    given_name: Mapped[str] = mapped_column(String(200), default="")
    patronymic: Mapped[str] = mapped_column(String(200), default="")
    birth_date: Mapped[str] = mapped_column(String(10), default="")
    birth_place: Mapped[str] = mapped_column(String(300), default="")
    sex: Mapped[str] = mapped_column(String(1), default="")
    citizenship: Mapped[str] = mapped_column(String(16), default="")
    military_unit: Mapped[str] = mapped_column(String(200), default="")
    service_number: Mapped[str] = mapped_column(String(64), default="")
    rank: Mapped[str] = mapped_column(String(64), default="")
    document_number: Mapped[str] = mapped_column(String(64), default="")
    capture_date: Mapped[str] = mapped_column(String(10), default="")
    capture_place: Mapped[str] = mapped_column(String(300), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    extras: Mapped[dict[str, Any]] = mapped_column(default=dict)
    family_key: Mapped[str] = mapped_column(String(200), default="")
    given_key: Mapped[str] = mapped_column(String(200), default="")
    group_key: Mapped[str] = mapped_column(String(500), default="", index=True)
    # where it came from
    file_name: Mapped[str] = mapped_column(String(500), default="")
    line_no: Mapped[int] = mapped_column(Integer, default=0)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # the link (a model's confident match or a reviewer's decision)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), default=None,
                                                  index=True)
    record_ids: Mapped[list[Any]] = mapped_column(default=list)
    probability: Mapped[float | None] = mapped_column(Float, default=None)
    linked_by: Mapped[str] = mapped_column(String(100), default="")
    linked_at: Mapped[datetime | None] = mapped_column(default=None)


class InquiryQuarantine(Base):
    __tablename__ = "inquiry_quarantine"

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(16))
    file_name: Mapped[str] = mapped_column(String(500))
    line_no: Mapped[int] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text)
    raw: Mapped[dict[str, Any]] = mapped_column(default=dict)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    quarantined_at: Mapped[datetime] = mapped_column(default=utcnow)


class InquiryCandidate(Base):
    """A person the model thinks an inquiry may be about, waiting for a reviewer."""

    __tablename__ = "inquiry_candidates"
    __table_args__ = (UniqueConstraint("inquiry_id", "person_id",
                                       name="uq_inquiry_candidates_pair"),)

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    inquiry_id: Mapped[int] = mapped_column(ForeignKey("inquiries.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    record_ids: Mapped[list[Any]] = mapped_column(default=list)
    probability: Mapped[float] = mapped_column(Float)
    explanation: Mapped[dict[str, Any]] = mapped_column(default=dict)
    state: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    decided_by: Mapped[str] = mapped_column(String(100), default="")
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    scored_at: Mapped[datetime] = mapped_column(default=utcnow)


class InquiryNotification(Base):
    """Something the inquiry's handler must be told (a matching record arrived, a link)."""

    __tablename__ = "inquiry_notifications"

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    inquiry_id: Mapped[int] = mapped_column(ForeignKey("inquiries.id"), index=True)
    handler: Mapped[str] = mapped_column(String(100), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    message: Mapped[str] = mapped_column(Text)
    record_ids: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    seen_at: Mapped[datetime | None] = mapped_column(default=None)


class AnswerTask(Base):
    """A change that matters to a family: the liaison sends the drafted letter and records it."""

    __tablename__ = "answer_tasks"
    __table_args__ = (UniqueConstraint("inquiry_id", "event", name="uq_answer_tasks_event"),)

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    inquiry_id: Mapped[int] = mapped_column(ForeignKey("inquiries.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), default=None)
    event: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(16), default="due", index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_how: Mapped[str] = mapped_column(String(32), default="")
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    sent_by: Mapped[str] = mapped_column(String(100), default="")
