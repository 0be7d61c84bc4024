"""The review queue and judgements in SQL (the ``ReviewRepository`` port)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select

from parley.adapters.sql.identity_tables import IdentityJudgement, IdentityLink
from parley.adapters.sql.session import session_of
from parley.adapters.sql.tables import Source, SourceRecord
from parley.services.ports import Tx
from parley.services.ports.review import JudgementView, ScoredPair


def _judgement(row: IdentityJudgement) -> JudgementView:
    return JudgementView(row.id, row.left_record_id, row.right_record_id, row.decision,
                         row.note, row.actor, row.actor_agency, row.decided_at,
                         row.match_probability, row.retracted_at, row.retracted_by,
                         row.retraction_reason)


def _pair(link: IdentityLink) -> ScoredPair:
    return ScoredPair(link.left_record_id, link.right_record_id, link.match_probability,
                      link.match_weight,
                      {str(k): float(v) for k, v in (link.field_weights or {}).items()})


_IN_ORDER = (IdentityJudgement.decided_at, IdentityJudgement.id)


class SqlReviewRepository:
    def band(self, tx: Tx, *, floor: float, ceiling: float, limit: int) -> list[ScoredPair]:
        return [_pair(lk) for lk in session_of(tx).scalars(
            select(IdentityLink)
            .where(IdentityLink.match_probability >= floor,
                   IdentityLink.match_probability < ceiling)
            .order_by(func.abs(IdentityLink.match_probability - 0.5), IdentityLink.id)
            .limit(limit))]

    def scored(self, tx: Tx, left_record_id: int, right_record_id: int) -> ScoredPair | None:
        link = session_of(tx).scalar(select(IdentityLink).where(
            IdentityLink.left_record_id == left_record_id,
            IdentityLink.right_record_id == right_record_id))
        return _pair(link) if link is not None else None

    def records(self, tx: Tx, ids: Iterable[int]) -> dict[int, tuple[SourceRecord, str]]:
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        rows = session_of(tx).execute(
            select(SourceRecord, Source.name).join(Source, Source.id == SourceRecord.source_id)
            .where(SourceRecord.id.in_(wanted))).all()
        return {r.id: (r, name) for r, name in rows}

    def person_sizes(self, tx: Tx, person_ids: Iterable[int]) -> dict[int, int]:
        wanted = sorted(set(person_ids))
        if not wanted:
            return {}
        rows = session_of(tx).execute(
            select(SourceRecord.person_id, func.count())
            .where(SourceRecord.person_id.in_(wanted)).group_by(SourceRecord.person_id)).all()
        return {int(p): int(n) for p, n in rows if p is not None}

    def decided_pairs(self, tx: Tx) -> set[tuple[int, int]]:
        return {(int(a), int(b)) for a, b in session_of(tx).execute(
            select(IdentityJudgement.left_record_id, IdentityJudgement.right_record_id)
            .where(IdentityJudgement.retracted_at.is_(None)))}

    def judgements_of_pair(self, tx: Tx, left_record_id: int,
                           right_record_id: int) -> list[JudgementView]:
        return [_judgement(j) for j in session_of(tx).scalars(
            select(IdentityJudgement).where(IdentityJudgement.left_record_id == left_record_id,
                                            IdentityJudgement.right_record_id == right_record_id)
            .order_by(*_IN_ORDER))]

    def judgements_touching(self, tx: Tx, record_ids: Iterable[int]) -> list[JudgementView]:
        ids = list(record_ids)
        return [_judgement(j) for j in session_of(tx).scalars(
            select(IdentityJudgement).where(IdentityJudgement.left_record_id.in_(ids)
                                            | IdentityJudgement.right_record_id.in_(ids))
            .order_by(*_IN_ORDER))]

    def judgement(self, tx: Tx, judgement_id: int) -> JudgementView | None:
        row = session_of(tx).get(IdentityJudgement, judgement_id)
        return _judgement(row) if row is not None else None

    def add_judgement(self, tx: Tx, *, left_record_id: int, right_record_id: int,
                      decision: str, note: str, actor: str, actor_agency: str,
                      match_probability: float | None, decided_at: datetime,
                      content_hash: str) -> JudgementView:
        session = session_of(tx)
        row = IdentityJudgement(
            left_record_id=left_record_id, right_record_id=right_record_id, decision=decision,
            note=note, actor=actor, actor_agency=actor_agency,
            match_probability=match_probability, decided_at=decided_at,
            content_hash=content_hash)
        session.add(row)
        session.flush()
        return _judgement(row)

    def withdraw_pair(self, tx: Tx, left_record_id: int, right_record_id: int, *,
                      at: datetime, by: str, reason: str) -> list[int]:
        withdrawn: list[int] = []
        for old in session_of(tx).scalars(select(IdentityJudgement).where(
                IdentityJudgement.left_record_id == left_record_id,
                IdentityJudgement.right_record_id == right_record_id,
                IdentityJudgement.retracted_at.is_(None))):
            old.retracted_at = at
            old.retracted_by = by
            old.retraction_reason = reason
            withdrawn.append(old.id)
        return withdrawn

    def withdraw(self, tx: Tx, judgement_id: int, *, at: datetime, by: str,
                 reason: str) -> JudgementView:
        session = session_of(tx)
        row = session.get(IdentityJudgement, judgement_id)
        if row is None:
            raise LookupError(f"no judgement {judgement_id}")
        row.retracted_at = at
        row.retracted_by = by
        row.retraction_reason = reason
        session.flush()
        return _judgement(row)
