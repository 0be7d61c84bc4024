"""What reconciling the other side's answer needs of storage: our registry in the linkage
fields, and the reconciliations kept with their rows (each row's outcome and reason)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from parley.services.ports.tx import Tx


@dataclass(frozen=True, slots=True)
class LinkableRecord:
    """A registry record as the answer is linked to it."""

    id: int
    person_id: int | None
    record_key: str
    values: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class StoredRun:
    """A kept reconciliation, without its rows."""

    id: int
    list_version: int
    file_name: str
    created_at: datetime


class Reconciliations(Protocol):
    def registry(self, tx: Tx, fields: Sequence[str]) -> list[LinkableRecord]:
        """Every source record in id order, with ``fields`` as text (empty for none)."""

    def add(self, tx: Tx, *, list_id: int, list_version: int, file_name: str,
            file_sha256: str, counts: Mapping[str, int], created_by: str,
            rows: Sequence[Mapping[str, Any]]) -> int:
        """Keep a reconciliation and its rows (column values: line_no, raw, outcome, reason,
        entry_key, registry_record_id, probability); its id."""

    def find(self, tx: Tx, list_id: int, reconciliation_id: int | None) -> StoredRun | None:
        """That reconciliation of the list (the newest if None)."""

    def rows(self, tx: Tx, reconciliation_id: int) -> list[dict[str, Any]]:
        """Its rows in order: line, outcome, reason, entry_key, registry_record_id,
        probability, raw."""
