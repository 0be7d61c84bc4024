"""What the review queue and reviewers' decisions need of storage: the scored pairs in the
uncertain band, the records on both sides, the size of the persons a decision would merge or
split, and the judgements themselves (never edited: superseded or withdrawn)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, Protocol

from parley.services.ports.records import SourceRecordRow
from parley.services.ports.tx import Tx


@dataclass(frozen=True)
class JudgementView:
    id: int
    left_record_id: int
    right_record_id: int
    decision: str
    note: str
    actor: str
    actor_agency: str
    decided_at: datetime
    match_probability: float | None
    retracted_at: datetime | None
    retracted_by: str | None
    retraction_reason: str

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for key in ("decided_at", "retracted_at"):
            out[key] = out[key].isoformat() if out[key] else None
        return out


@dataclass(frozen=True, slots=True)
class ScoredPair:
    """A pair the model scored: its probability, weight and each field's weight."""

    left_record_id: int
    right_record_id: int
    match_probability: float
    match_weight: float
    field_weights: Mapping[str, float]


class ReviewRepository(Protocol):
    def band(self, tx: Tx, *, floor: float, ceiling: float, limit: int) -> list[ScoredPair]:
        """Up to ``limit`` pairs scored in [floor, ceiling), the most uncertain first (closest
        to 0.5), then by link id."""

    def scored(self, tx: Tx, left_record_id: int, right_record_id: int) -> ScoredPair | None: ...

    def records(self, tx: Tx, ids: Iterable[int]) -> Mapping[int, tuple[SourceRecordRow, str]]:
        """The records that exist among ``ids``, each with its source's name."""

    def person_sizes(self, tx: Tx, person_ids: Iterable[int]) -> dict[int, int]:
        """How many records each person holds."""

    def decided_pairs(self, tx: Tx) -> set[tuple[int, int]]:
        """Pairs a judgement in force covers."""

    def judgements_of_pair(self, tx: Tx, left_record_id: int,
                           right_record_id: int) -> list[JudgementView]:
        """Every judgement of the pair (withdrawn ones too), oldest first."""

    def judgements_touching(self, tx: Tx, record_ids: Iterable[int]) -> list[JudgementView]:
        """Every judgement with either side among ``record_ids``, oldest first."""

    def judgement(self, tx: Tx, judgement_id: int) -> JudgementView | None: ...

    def add_judgement(self, tx: Tx, *, left_record_id: int, right_record_id: int,
                      decision: str, note: str, actor: str, actor_agency: str,
                      match_probability: float | None, decided_at: datetime,
                      content_hash: str) -> JudgementView:
        """Store a judgement (flushed: reclustering reads it in the same transaction)."""

    def withdraw_pair(self, tx: Tx, left_record_id: int, right_record_id: int, *,
                      at: datetime, by: str, reason: str) -> list[int]:
        """Withdraw the judgements in force on the pair; their ids."""

    def withdraw(self, tx: Tx, judgement_id: int, *, at: datetime, by: str,
                 reason: str) -> JudgementView:
        """Withdraw one judgement (flushed)."""
