"""What ingest needs of storage: sources, import batches, and a fast path for rows.

A million-row import spends most of its time writing, so the row path is a bulk one
(``RecordWriter.bulk_insert``: one ``executemany`` on SQLite, one ``COPY`` on PostgreSQL) and
takes plain tuples, never ORM objects. Everything here writes into the caller's open transaction
(``Tx``): a chunk's rows, its quarantined rows, the batch's running counts and the audit event
that covers them commit together or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # ``ports/__init__`` imports this module; the name is only an annotation here
    from parley.services.ports import Tx


@dataclass(frozen=True, slots=True)
class SourceRef:
    id: int
    agency_code: str


@dataclass(frozen=True, slots=True)
class NewBatch:
    """An import about to start: where it goes and what the file is."""

    source_id: int
    agency_code: str
    file_name: str
    file_sha256: str
    file_format: str
    encoding: str
    delimiter: str
    classification: str
    reliability: str
    actor: str


@dataclass(frozen=True, slots=True)
class BatchRef:
    """A started batch; ``started_at`` stamps its rows too (``imported_at``)."""

    id: int
    started_at: datetime


@dataclass(frozen=True, slots=True)
class BatchAccess:
    """What decides who may see a batch."""

    id: int
    agency_code: str
    classification: str


@dataclass(frozen=True, slots=True)
class BatchCounts:
    read: int = 0
    imported: int = 0
    duplicates: int = 0
    quarantined: int = 0


@dataclass(frozen=True, slots=True)
class Quarantined:
    """A row that cannot be a record, kept with its line, field and reason."""

    line_no: int
    field: str
    reason: str
    raw: Mapping[str, str]
    raw_text: str
    content_hash: str


class RecordWriter(Protocol):
    """One import's rows, written chunk by chunk, each chunk in the transaction it is given.

    Rows are tuples in the order of the ``row_columns`` the writer was made with; the batch's
    constants (source, batch, agency, file, classification, reliability, time) are added by the
    writer, once per batch rather than once per row."""

    def known(self, tx: Tx, hashes: Sequence[str], *, quarantined: bool) -> set[str]:
        """Which ``hashes`` the source already holds as records (or as quarantined rows)."""

    def bulk_insert(self, tx: Tx, rows: Iterable[tuple[Any, ...]]) -> None:
        """Insert ``rows`` (may be a generator, consumed once); ``Conflict`` when another import
        wrote one of them first."""

    def quarantine(self, tx: Tx, rows: Sequence[Quarantined]) -> None: ...

    def close(self, tx: Tx) -> None:
        """Put back connection settings changed for the import (called once, at the end)."""


class IngestRepository(Protocol):
    def lock_source(self, tx: Tx, name: str) -> None:
        """Serialise the writers of one source until ``tx`` ends, so the check for rows the
        source already holds is authoritative and two imports never insert the same row."""

    def agency_exists(self, tx: Tx, code: str) -> bool: ...

    def source(self, tx: Tx, name: str) -> SourceRef | None: ...

    def add_source(self, tx: Tx, *, name: str, agency: str, classification: str,
                   reliability: str) -> int: ...

    def start_batch(self, tx: Tx, batch: NewBatch) -> BatchRef: ...

    def store_counts(self, tx: Tx, batch_id: int, counts: BatchCounts) -> None:
        """The batch's counts so far, in the transaction that commits the rows they count."""

    def close_batch(self, tx: Tx, batch_id: int, counts: BatchCounts, *, encoding: str,
                    delimiter: str, column_map: Mapping[str, str | None],
                    finished: bool) -> None:
        """Final counts and what was detected; ``finished`` stamps the end (an interrupted
        import keeps its batch open)."""

    def batch(self, tx: Tx, batch_id: int) -> BatchAccess | None: ...

    def quarantined(self, tx: Tx, batch_id: int) -> list[dict[str, Any]]:
        """A batch's quarantined rows by line: id, batch_id, file_name, line_no, field, reason,
        raw, raw_text, quarantined_at."""

    def column_widths(self) -> Mapping[str, int]:
        """The widths of the record's text columns (a value longer is quarantined)."""

    def record_writer(self, tx: Tx, batch: BatchRef, *, source_id: int, agency_code: str,
                      file_name: str, classification: str, reliability: str,
                      row_columns: Sequence[str]) -> RecordWriter: ...

    def bulk_import(self) -> AbstractContextManager[None]:
        """Held around a whole import: process settings that make bulk writes cheaper."""
