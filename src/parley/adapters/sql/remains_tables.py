"""The dead: repatriations of bodies, forensic cases of remains, relatives' DNA reference
samples (ids and lab only: no genetic data in Parley) and the lab's match results."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from parley.adapters.sql.base import Base, utcnow
from parley.adapters.sql.tables import ID


class Repatriation(Base):
    """One transfer of bodies; counts per side differ by nature."""

    __tablename__ = "repatriations"

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    repatriation_key: Mapped[str] = mapped_column(String(200), unique=True)
    date: Mapped[str] = mapped_column(String(10), default="")
    place: Mapped[str] = mapped_column(String(300), default="")
    bodies_received: Mapped[int] = mapped_column(Integer, default=0)
    bodies_handed_over: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RemainsCase(Base):
    __tablename__ = "remains_cases"

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    case_key: Mapped[str] = mapped_column(String(200), unique=True)
    repatriation_id: Mapped[int | None] = mapped_column(ForeignKey("repatriations.id"),
                                                        default=None, index=True)
    state: Mapped[str] = mapped_column(String(24), default="received", index=True)
    found_place: Mapped[str] = mapped_column(String(300), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), default=None)
    inquiry_id: Mapped[int | None] = mapped_column(ForeignKey("inquiries.id"), default=None)
    file_name: Mapped[str] = mapped_column(String(500), default="")
    line_no: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class DnaSample(Base):
    """A relative's reference sample: its id at the lab and the lab, linked to an inquiry."""

    __tablename__ = "dna_samples"

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    sample_key: Mapped[str] = mapped_column(String(200), unique=True)
    lab: Mapped[str] = mapped_column(String(200))
    inquiry_id: Mapped[int] = mapped_column(ForeignKey("inquiries.id"), index=True)
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class LabResult(Base):
    __tablename__ = "lab_results"

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("remains_cases.id"), index=True)
    sample_id: Mapped[int] = mapped_column(ForeignKey("dna_samples.id"))
    inquiry_id: Mapped[int] = mapped_column(ForeignKey("inquiries.id"))
    result: Mapped[str] = mapped_column(String(24))
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    file_name: Mapped[str] = mapped_column(String(500), default="")
    line_no: Mapped[int] = mapped_column(Integer, default=0)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
