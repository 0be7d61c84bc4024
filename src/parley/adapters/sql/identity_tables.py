"""Identity-resolution tables: model links, reviewers' judgements, conflicts, runs, and the
bookkeeping that keeps person ids stable (redirects) and lists duplicate-free."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from parley.adapters.sql.base import Base, utcnow
from parley.adapters.sql.tables import ID


class ResolutionRun(Base):
    """One ``parley resolve``: which records it covered, so the next run links only new ones."""

    __tablename__ = "resolution_runs"

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    actor: Mapped[str] = mapped_column(String(100))
    engine: Mapped[str] = mapped_column(String(16))
    full: Mapped[bool] = mapped_column(Boolean, default=False)
    max_record_id: Mapped[int] = mapped_column(ID, default=0)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    summary: Mapped[dict[str, Any]] = mapped_column(default=dict)


class IdentityLink(Base):
    """The model's score of one pair (left id < right id), with each field's log2 Bayes factor."""

    __tablename__ = "identity_links"
    __table_args__ = (
        UniqueConstraint("left_record_id", "right_record_id", name="uq_identity_links_pair"),
        Index("ix_identity_links_right", "right_record_id"),
        Index("ix_identity_links_probability", "match_probability"),
    )

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    left_record_id: Mapped[int] = mapped_column(ForeignKey("source_records.id"))
    right_record_id: Mapped[int] = mapped_column(ForeignKey("source_records.id"))
    match_probability: Mapped[float] = mapped_column(Float)
    match_weight: Mapped[float] = mapped_column(Float, default=0.0)
    field_weights: Mapped[dict[str, Any]] = mapped_column(default=dict)
    run_id: Mapped[int] = mapped_column(ForeignKey("resolution_runs.id"))
    scored_at: Mapped[datetime] = mapped_column(default=utcnow)


class IdentityJudgement(Base):
    """A reviewer's decision on a pair: immutable once written; withdrawn only by retraction."""

    __tablename__ = "identity_judgements"
    __table_args__ = (
        Index("ix_identity_judgements_pair", "left_record_id", "right_record_id"),
    )

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    left_record_id: Mapped[int] = mapped_column(ForeignKey("source_records.id"))
    right_record_id: Mapped[int] = mapped_column(ForeignKey("source_records.id"))
    decision: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(100))
    actor_agency: Mapped[str] = mapped_column(String(32))
    match_probability: Mapped[float | None] = mapped_column(Float, default=None)
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)
    content_hash: Mapped[str] = mapped_column(String(64))
    retracted_at: Mapped[datetime | None] = mapped_column(default=None)
    retracted_by: Mapped[str | None] = mapped_column(String(100), default=None)
    retraction_reason: Mapped[str] = mapped_column(Text, default="")


class IdentityConflict(Base):
    """A contradiction a user must resolve; the same contradiction found again is this row."""

    __tablename__ = "identity_conflicts"

    id: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=True)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id"), default=None, index=True
    )
    description: Mapped[str] = mapped_column(Text)
    record_ids: Mapped[list[Any]] = mapped_column(default=list)
    values: Mapped[list[Any]] = mapped_column(default=list)
    state: Mapped[str] = mapped_column(String(16), default="open", index=True)
    raised_at: Mapped[datetime] = mapped_column(default=utcnow)
    raised_by_run: Mapped[int | None] = mapped_column(
        ForeignKey("resolution_runs.id"), default=None
    )
    resolved_at: Mapped[datetime | None] = mapped_column(default=None)
    resolved_by: Mapped[str | None] = mapped_column(String(100), default=None)
    resolution: Mapped[str] = mapped_column(Text, default="")
    settled_value: Mapped[str | None] = mapped_column(Text, default=None)
    """The value chosen to stand when the conflict was settled (None: resolved by a reason
    only)."""


class PersonRedirect(Base):
    """A person absorbed by a merge: its old id keeps working and leads to the surviving one."""

    __tablename__ = "person_redirects"

    old_person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), primary_key=True)
    new_person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    redirected_at: Mapped[datetime] = mapped_column(default=utcnow)


class SourceListPolicy(Base):
    """Marks a source that must be duplicate-free (an exchange list): clustered one-to-one."""

    __tablename__ = "source_list_policies"

    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), primary_key=True)
    duplicate_free: Mapped[bool] = mapped_column(Boolean, default=True)
    set_by: Mapped[str] = mapped_column(String(100))
    set_at: Mapped[datetime] = mapped_column(default=utcnow)
