"""The foundation tables: agencies, users, sources, batches, records, quarantine, persons,
evidence and the audit log. Feature modules add their own tables to the same metadata."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from parley.adapters.sql.base import Base, utcnow

ID = BigInteger().with_variant(Integer(), "sqlite")


class Agency(Base):
    __tablename__ = "agencies"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(32))
    agency_code: Mapped[str] = mapped_column(ForeignKey("agencies.code"))
    clearance: Mapped[str] = mapped_column(String(32), default="restricted")
    totp_secret: Mapped[str | None] = mapped_column(String(64), default=None)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(default=None)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Source(Base):
    """A named source of records (a register, a report series, the other side's list)."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    agency_code: Mapped[str] = mapped_column(ForeignKey("agencies.code"))
    classification: Mapped[str] = mapped_column(String(32), default="restricted")
    reliability: Mapped[str] = mapped_column(String(2), default="F6")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ImportBatch(Base):
    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    agency_code: Mapped[str] = mapped_column(ForeignKey("agencies.code"))
    file_name: Mapped[str] = mapped_column(String(500))
    file_sha256: Mapped[str] = mapped_column(String(64), index=True)
    file_format: Mapped[str] = mapped_column(String(16))
    encoding: Mapped[str] = mapped_column(String(32), default="")
    delimiter: Mapped[str] = mapped_column(String(4), default="")
    column_map: Mapped[dict[str, Any]] = mapped_column(default=dict)
    classification: Mapped[str] = mapped_column(String(32), default="restricted")
    reliability: Mapped[str] = mapped_column(String(2), default="F6")
    actor: Mapped[str] = mapped_column(String(100))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    rows_imported: Mapped[int] = mapped_column(Integer, default=0)
    rows_duplicate: Mapped[int] = mapped_column(Integer, default=0)
    rows_quarantined: Mapped[int] = mapped_column(Integer, default=0)


class SourceRecord(Base):
    """A row as it came (verbatim), its canonical parse, and where it came from."""

    __tablename__ = "source_records"
    __table_args__ = (
        UniqueConstraint("source_id", "content_hash", name="uq_source_records_source_content"),
        Index("ix_source_records_service_number", "service_number"),
        Index("ix_source_records_document_number", "document_number"),
        Index("ix_source_records_birth_date", "birth_date"),
    )

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    # No index of its own: the unique (source_id, content_hash) index leads with it.
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"), index=True)
    agency_code: Mapped[str] = mapped_column(ForeignKey("agencies.code"))
    record_key: Mapped[str] = mapped_column(String(200), default="")
    file_name: Mapped[str] = mapped_column(String(500))
    line_no: Mapped[int] = mapped_column(Integer)
    raw: Mapped[dict[str, Any]] = mapped_column()
    raw_text: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    classification: Mapped[str] = mapped_column(String(32), default="restricted")
    reliability: Mapped[str] = mapped_column(String(2), default="F6")
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
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
    status: Mapped[str] = mapped_column(String(16), default="")
    capture_date: Mapped[str] = mapped_column(String(10), default="")
    capture_place: Mapped[str] = mapped_column(String(300), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    originals: Mapped[dict[str, Any]] = mapped_column(default=dict)
    extras: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Cross-script keys from parley.names, filled at ingest, so any spelling finds the record.
    # Searched through ix_source_records_key_order (page_indexes.py), which leads with it.
    family_key: Mapped[str] = mapped_column(String(200), default="")
    given_key: Mapped[str] = mapped_column(String(200), default="")
    patronymic_key: Mapped[str] = mapped_column(String(200), default="")
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id"), default=None, index=True
    )


class QuarantinedRow(Base):
    __tablename__ = "quarantined_rows"

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(500))
    line_no: Mapped[int] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text)
    raw: Mapped[dict[str, Any]] = mapped_column(default=dict)
    raw_text: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    quarantined_at: Mapped[datetime] = mapped_column(default=utcnow)


class Person(Base):
    """A resolved person: a cluster of source records that identity resolution says are one."""

    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    display_name: Mapped[str] = mapped_column(String(300), default="")
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    verification_reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="unknown")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Evidence(Base):
    """An immutable statement: this source says this property of this person has this value."""

    __tablename__ = "evidence"
    __table_args__ = (Index("ix_evidence_person_property", "person_id", "property"),)

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), default=None)
    source_record_id: Mapped[int] = mapped_column(ForeignKey("source_records.id"), index=True)
    property: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(Text)
    agency_code: Mapped[str] = mapped_column(ForeignKey("agencies.code"))
    classification: Mapped[str] = mapped_column(String(32), default="restricted")
    reliability: Mapped[str] = mapped_column(String(2), default="F6")
    observed_at: Mapped[datetime] = mapped_column(default=utcnow)
    content_hash: Mapped[str] = mapped_column(String(64))


class AuditEventRow(Base):
    __tablename__ = "audit_events"

    seq: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=False)
    occurred_at: Mapped[datetime] = mapped_column()
    actor: Mapped[str] = mapped_column(String(100))
    actor_role: Mapped[str] = mapped_column(String(32))
    actor_agency: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(64), index=True)
    target: Mapped[str] = mapped_column(String(300), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column()
    payload_hash: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    event_hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditHead(Base):
    """One row that every append locks, so the chain stays linear under concurrent writers."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(ID, default=0)
    event_hash: Mapped[str] = mapped_column(String(64))
