"""Signed checkpoints of the audit log.

A checkpoint row keeps the signed note verbatim (the evidence) next to the size and root it states
(for queries); ``parley audit verify`` checks the two agree and that the note's signatures hold.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from parley.adapters.sql.base import Base, utcnow

ID = BigInteger().with_variant(Integer(), "sqlite")


class AuditCheckpoint(Base):
    __tablename__ = "audit_checkpoints"

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    size: Mapped[int] = mapped_column(ID, index=True)
    root_hash: Mapped[str] = mapped_column(String(64))
    origin: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text)
    signers: Mapped[list[Any]] = mapped_column()
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
