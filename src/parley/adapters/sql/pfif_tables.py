"""PFIF records exchanged with other tracing systems, kept field for field (lossless)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from parley.adapters.sql.base import Base, utcnow
from parley.adapters.sql.tables import ID


class PfifPerson(Base):
    __tablename__ = "pfif_persons"

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    person_record_id: Mapped[str] = mapped_column(String(500), unique=True)
    source: Mapped[str] = mapped_column(String(200))
    full_name: Mapped[str] = mapped_column(String(500), default="")
    fields: Mapped[dict[str, Any]] = mapped_column(default=dict)  # every PFIF field as text
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)


class PfifNote(Base):
    __tablename__ = "pfif_notes"

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    note_record_id: Mapped[str] = mapped_column(String(500), unique=True)
    person_record_id: Mapped[str] = mapped_column(String(500), index=True)
    source: Mapped[str] = mapped_column(String(200))
    fields: Mapped[dict[str, Any]] = mapped_column(default=dict)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
