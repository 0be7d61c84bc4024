"""What identity resolution needs of storage: records to link, links, runs, persons, evidence,
redirects and conflicts. ``adapters/sql/resolution_repo.py`` is the one implementation.

Records travel as pandas frames in the linkage model's canonical schema (columnar, so a million
records is a few arrays, not a million Python objects) or as ``RecordFacts`` for the few
thousand records a chunk of person refreshing looks at.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import pandas as pd

from parley.domain.identity import ConflictFinding, Judgement, Link
from parley.services.ports.tx import Tx


@dataclass(frozen=True, slots=True)
class RecordFacts:
    """One source record as the person refresh sees it: its provenance and field values."""

    id: int
    person_id: int | None
    source_id: int
    source: str
    agency: str
    reliability: str
    classification: str
    imported_at: datetime | None
    values: Mapping[str, str]
    name_key: str


@dataclass(frozen=True, slots=True)
class RecordPlace:
    """Where a record sits before reclustering: its person (if any) and its source."""

    id: int
    person_id: int | None
    source_id: int


class ResolutionRepository(Protocol):
    # --- records for the linkage model ---------------------------------------------------
    def resolved_up_to(self, tx: Tx) -> int:
        """The highest record id an earlier run covered (0 before the first run)."""

    def newest_record_id(self, tx: Tx) -> int: ...

    def count_records(self, tx: Tx, *, above: int, upto: int) -> int: ...

    def record_frame(self, tx: Tx, *, above: int, upto: int, limit: int) -> pd.DataFrame:
        """Up to ``limit`` records with ids in (``above``, ``upto``], in id order, in the
        canonical schema (``record_id`` is the row id as text) plus the address column."""

    def record_frame_of(self, tx: Tx, ids: Sequence[int]) -> pd.DataFrame: ...

    def family_keys(self, tx: Tx, ids: Sequence[int]) -> set[str]: ...

    def ids_with_values(self, tx: Tx, field: str, values: Iterable[str], *, upto: int
                        ) -> set[int]:
        """Ids up to ``upto`` whose ``field`` (a canonical field or ``family_key``) is one of
        ``values``."""

    def every_nth_id(self, tx: Tx, *, upto: int, step: int) -> set[int]: ...

    def judgements(self, tx: Tx, record_ids: Iterable[int] | None = None) -> list[Judgement]:
        """Reviewers' judgements (withdrawn ones too) about any of ``record_ids`` (all if None)."""

    # --- runs and links --------------------------------------------------------------------
    def set_duplicate_free(self, tx: Tx, *, source: str, duplicate_free: bool,
                           set_by: str) -> int | None:
        """The source's id, or None if there is no such source."""

    def duplicate_free_sources(self, tx: Tx) -> frozenset[str]: ...

    def start_run(self, tx: Tx, *, actor: str, engine: str, full: bool,
                  max_record_id: int) -> int: ...

    def finish_run(self, tx: Tx, run_id: int, summary: dict[str, Any]) -> None: ...

    def forget_links(self, tx: Tx) -> None: ...

    def stored_pairs(self, tx: Tx, lefts: Sequence[int]) -> set[tuple[int, int]]: ...

    def add_links(self, tx: Tx, rows: Sequence[dict[str, Any]]) -> None: ...

    def summary(self, tx: Tx) -> dict[str, int]:
        """records, persons, links, in_review_band, conflicts_open, verified."""

    # --- reclustering ----------------------------------------------------------------------
    def all_record_ids(self, tx: Tx) -> list[int]: ...

    def neighbours(self, tx: Tx, ids: Sequence[int]) -> set[int]:
        """Records sharing a person with ``ids``, or joined to them by a strong link or a
        standing positive judgement."""

    def strong_links(self, tx: Tx, ids: Sequence[int] | None) -> list[Link]:
        """Links at or above auto-accept among ``ids`` (all of them if None)."""

    def places(self, tx: Tx, ids: Sequence[int]) -> dict[int, RecordPlace]: ...

    def facts(self, tx: Tx, ids: Sequence[int]) -> dict[int, RecordFacts]: ...

    def create_persons(self, tx: Tx, count: int) -> list[int]: ...

    def redirect_person(self, tx: Tx, old: int, new: int) -> None:
        """Point ``old`` (and whatever pointed at it) and its conflicts at ``new``."""

    def drop_redirects(self, tx: Tx, person_ids: Sequence[int]) -> None: ...

    def move_records(self, tx: Tx, moves: Sequence[tuple[int, int]]) -> None:
        """(record id, person id): the record now belongs to that person."""

    def move_evidence(self, tx: Tx, moves: Sequence[tuple[int, int]]) -> None:
        """(record id, person id): the record's evidence follows it to that person."""

    def records_with_evidence(self, tx: Tx, ids: Sequence[int]) -> set[int]: ...

    def add_evidence(self, tx: Tx, rows: Sequence[dict[str, Any]]) -> None: ...

    def update_persons(self, tx: Tx, rows: Sequence[dict[str, Any]]) -> None: ...

    def resolved_ids_with_service_numbers(self, tx: Tx, numbers: Sequence[str]) -> list[int]: ...

    def links_from(self, tx: Tx, lefts: Sequence[int]) -> list[tuple[int, int, float]]:
        """Every stored link (review band included) whose left record is one of ``lefts``."""

    # --- conflicts -------------------------------------------------------------------------
    def conflict_owners(self, tx: Tx, fingerprints: Sequence[str]) -> dict[str, int | None]:
        """Person of each stored conflict with one of ``fingerprints``."""

    def reassign_conflict(self, tx: Tx, fingerprint: str, person_id: int | None) -> None: ...

    def raise_conflict(self, tx: Tx, finding: ConflictFinding, *, person_id: int | None,
                       run_id: int | None) -> None: ...

    def lapse_conflicts(self, tx: Tx, person_ids: Sequence[int], *,
                        keep: set[str]) -> None:
        """Open conflicts of these persons whose fingerprint is not in ``keep`` lapse."""

    def flush(self, tx: Tx) -> None: ...
