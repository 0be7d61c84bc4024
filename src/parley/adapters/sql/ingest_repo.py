"""The store side of ingest (``parley.services.ports.ingest``): sources, batches, and rows on
the fast path.

A million rows through SQLAlchemy's parameter processing cost more than the database's own
insert, so rows are plain tuples on the session's DB-API connection: one ``executemany`` per
chunk on SQLite, one ``COPY … FROM STDIN`` on PostgreSQL (psycopg's ``cursor.copy``). JSON is
encoded once by the caller, and the per-batch constants go through their column types' bind
processors once per batch.
"""

from __future__ import annotations

import gc
import hashlib
import json
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, cast

from sqlalchemy import Table, insert, select, text
from sqlalchemy.orm import Session

from parley.adapters.sql.base import utcnow
from parley.adapters.sql.tables import Agency, ImportBatch, QuarantinedRow, Source, SourceRecord
from parley.errors import N_, Conflict
from parley.services.ports import Tx
from parley.services.ports.ingest import (
    BatchAccess,
    BatchCounts,
    BatchRef,
    NewBatch,
    Quarantined,
    SourceRef,
)

BULK_CACHE_KIB = 65_536  # SQLite page cache while importing (bounded; see _bulk_mode)
BULK_WAL_PAGES = 16_384  # checkpoint the WAL every 64 MB while importing
BULK_GC_THRESHOLD = 100_000
RECORDS = cast(Table, SourceRecord.__table__)
QUARANTINE = cast(Table, QuarantinedRow.__table__)

# The per-batch constants, first in every row the writer inserts.
CONSTANT_COLUMNS: tuple[str, ...] = (
    "source_id", "batch_id", "agency_code", "file_name", "classification", "reliability",
    "imported_at",
)


def source_lock_key(name: str) -> int:
    """A signed 64-bit key for PostgreSQL's advisory locks, from the source's name."""
    digest = hashlib.sha256(f"parley.ingest.source:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _session(tx: Tx) -> Session:
    return cast(Session, tx)


_GC_LOCK = threading.Lock()
_GC_STATE: dict[str, Any] = {"imports": 0, "saved": None}


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Python's cyclic collector runs every 700 new container objects by default; an import
    makes several per row (dicts, tuples) that die young and form no cycles, and the
    long-lived caches (names, dates) make each collection dearer. Collecting every 100,000
    allocations while imports run saves about a tenth of the CPU; the collector stays on, and
    the previous thresholds come back when the last running import ends."""
    with _GC_LOCK:
        if _GC_STATE["imports"] == 0:
            _GC_STATE["saved"] = gc.get_threshold()
            first, *rest = _GC_STATE["saved"]
            gc.set_threshold(max(first, BULK_GC_THRESHOLD), *rest)
        _GC_STATE["imports"] += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _GC_STATE["imports"] -= 1
            if _GC_STATE["imports"] == 0:
                gc.set_threshold(*_GC_STATE["saved"])


class SqlIngestRepository:
    """Satisfies ``parley.services.ports.ingest.IngestRepository``."""

    def lock_source(self, tx: Tx, name: str) -> None:
        """On PostgreSQL a transaction-scoped advisory lock (held until commit or rollback);
        SQLite's ``BEGIN IMMEDIATE`` already serialises every writer."""
        session = _session(tx)
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                            {"key": source_lock_key(name)})

    def agency_exists(self, tx: Tx, code: str) -> bool:
        return _session(tx).get(Agency, code) is not None

    def source(self, tx: Tx, name: str) -> SourceRef | None:
        found = _session(tx).scalars(select(Source).where(Source.name == name)).one_or_none()
        return None if found is None else SourceRef(found.id, found.agency_code)

    def add_source(self, tx: Tx, *, name: str, agency: str, classification: str,
                   reliability: str) -> int:
        session = _session(tx)
        source = Source(name=name, agency_code=agency, classification=classification,
                        reliability=reliability)
        session.add(source)
        session.flush()
        return source.id

    def start_batch(self, tx: Tx, batch: NewBatch) -> BatchRef:
        session = _session(tx)
        row = ImportBatch(
            source_id=batch.source_id, agency_code=batch.agency_code,
            file_name=batch.file_name, file_sha256=batch.file_sha256,
            file_format=batch.file_format, encoding=batch.encoding, delimiter=batch.delimiter,
            classification=batch.classification, reliability=batch.reliability,
            actor=batch.actor, started_at=utcnow(),
        )
        session.add(row)
        session.flush()
        return BatchRef(row.id, row.started_at)

    def store_counts(self, tx: Tx, batch_id: int, counts: BatchCounts) -> None:
        batch = _session(tx).get_one(ImportBatch, batch_id)
        batch.rows_read, batch.rows_imported = counts.read, counts.imported
        batch.rows_duplicate, batch.rows_quarantined = counts.duplicates, counts.quarantined

    def close_batch(self, tx: Tx, batch_id: int, counts: BatchCounts, *, encoding: str,
                    delimiter: str, column_map: Mapping[str, str | None],
                    finished: bool) -> None:
        self.store_counts(tx, batch_id, counts)
        batch = _session(tx).get_one(ImportBatch, batch_id)
        batch.encoding, batch.delimiter = encoding, delimiter
        batch.column_map = dict(column_map)
        if finished:
            batch.finished_at = utcnow()

    def batch(self, tx: Tx, batch_id: int) -> BatchAccess | None:
        found = _session(tx).get(ImportBatch, batch_id)
        return None if found is None else BatchAccess(found.id, found.agency_code,
                                                      found.classification)

    def quarantined(self, tx: Tx, batch_id: int) -> list[dict[str, Any]]:
        rows = _session(tx).scalars(
            select(QuarantinedRow).where(QuarantinedRow.batch_id == batch_id)
            .order_by(QuarantinedRow.line_no, QuarantinedRow.id))
        return [{"id": r.id, "batch_id": r.batch_id, "file_name": r.file_name,
                 "line_no": r.line_no, "field": r.field, "reason": r.reason, "raw": r.raw,
                 "raw_text": r.raw_text, "quarantined_at": r.quarantined_at} for r in rows]

    def column_widths(self) -> Mapping[str, int]:
        return {column.name: int(getattr(column.type, "length", 0) or 0)
                for column in RECORDS.columns}

    def record_writer(self, tx: Tx, batch: BatchRef, *, source_id: int, agency_code: str,
                      file_name: str, classification: str, reliability: str,
                      row_columns: Sequence[str]) -> SqlRecordWriter:
        constants = {"source_id": source_id, "batch_id": batch.id, "agency_code": agency_code,
                     "file_name": file_name, "classification": classification,
                     "reliability": reliability, "imported_at": batch.started_at}
        return SqlRecordWriter(_session(tx), source_id, constants, tuple(row_columns))

    @contextmanager
    def bulk_import(self) -> Iterator[None]:
        with fewer_collections():
            yield


class SqlRecordWriter:
    """One import's statements on the session's own DB-API connection; satisfies
    ``parley.services.ports.ingest.RecordWriter``."""

    def __init__(self, tx: Session, source_id: int, constants: dict[str, Any],
                 row_columns: tuple[str, ...]) -> None:
        dialect = tx.get_bind().dialect
        self.sqlite = dialect.name == "sqlite"
        self.source_id = source_id
        self.constants = constants
        self.integrity_errors: tuple[type[BaseException], ...] = (
            cast(type[BaseException], dialect.dbapi.IntegrityError),  # type: ignore[union-attr]
        )
        columns = CONSTANT_COLUMNS + row_columns
        if self.sqlite:
            self.insert = (f"INSERT INTO {RECORDS.name} ({', '.join(columns)}) "
                           f"VALUES ({', '.join('?' for _ in columns)})")
        else:
            self.insert = f"COPY {RECORDS.name} ({', '.join(columns)}) FROM STDIN"
        self.saved: tuple[int, int] | None = None
        head: list[Any] = []
        for name in CONSTANT_COLUMNS:
            process = RECORDS.c[name].type.dialect_impl(dialect).bind_processor(dialect)
            head.append(process(constants[name]) if process else constants[name])
        self.head = tuple(head)
        mark = "?" if self.sqlite else "%s"
        hashes = "IN (SELECT value FROM json_each(?))" if self.sqlite else "= ANY(%s)"
        self.known_records = (f"SELECT content_hash FROM {RECORDS.name} WHERE source_id = "
                              f"{mark} AND content_hash {hashes}")
        self.known_quarantined = (
            f"SELECT q.content_hash FROM {QUARANTINE.name} q JOIN import_batches b "
            f"ON b.id = q.batch_id WHERE b.source_id = {mark} AND q.content_hash {hashes}"
        )

    def _bulk_mode(self, cursor: Any) -> None:
        """SQLite only: a larger page cache and rarer WAL checkpoints while rows pour in.

        Each new row lands at a random place in several indexes (content hash, names, numbers),
        so once they outgrow SQLite's default 2 MB cache most inserts read and write pages; a
        bounded 64 MB cache and checkpointing every 64 MB of WAL instead of 4 MB save a third of
        the insert time at a million rows. Durability is unchanged (``synchronous=FULL``).
        Connection settings; ``close`` puts the previous ones back.
        """
        if not self.sqlite:
            return
        if self.saved is None:
            cursor.execute("PRAGMA cache_size")
            cache = cursor.fetchone()[0]
            cursor.execute("PRAGMA wal_autocheckpoint")
            self.saved = (int(cache), int(cursor.fetchone()[0]))
        cursor.execute(f"PRAGMA cache_size=-{BULK_CACHE_KIB}")
        cursor.execute(f"PRAGMA wal_autocheckpoint={BULK_WAL_PAGES}")

    def close(self, tx: Tx) -> None:
        if self.sqlite and self.saved is not None:
            cache, pages = self.saved
            connection = _session(tx).connection()
            connection.exec_driver_sql(f"PRAGMA cache_size={cache}")
            connection.exec_driver_sql(f"PRAGMA wal_autocheckpoint={pages}")

    def known(self, tx: Tx, hashes: Sequence[str], *, quarantined: bool) -> set[str]:
        """One indexed query for the whole chunk."""
        if not hashes:
            return set()
        values: Any = json.dumps(list(hashes)) if self.sqlite else list(hashes)
        cursor = _session(tx).connection().connection.cursor()
        try:
            cursor.execute(self.known_quarantined if quarantined else self.known_records,
                           (self.source_id, values))
            return {found for (found,) in cursor.fetchall()}
        finally:
            cursor.close()

    def bulk_insert(self, tx: Tx, rows: Iterable[tuple[Any, ...]]) -> None:
        head = self.head
        dbapi: Any = _session(tx).connection().connection
        try:
            if self.sqlite:
                cursor = dbapi.cursor()
                try:
                    self._bulk_mode(cursor)
                    # A generator, so the tuples are made while the driver consumes them.
                    cursor.executemany(self.insert, (head + row for row in rows))
                finally:
                    cursor.close()
            else:
                with dbapi.driver_connection.cursor() as cursor, \
                        cursor.copy(self.insert) as copy:
                    for row in rows:
                        copy.write_row(head + row)
        except self.integrity_errors as err:
            raise Conflict(
                N_("source '%(source_id)s': a row was written by another import at the same "
                   "time (%(err)s); import the file again to complete it"),
                source_id=self.source_id, err=err,
            ) from None

    def quarantine(self, tx: Tx, rows: Sequence[Quarantined]) -> None:
        if not rows:
            return
        batch_id, file_name = self.constants["batch_id"], self.constants["file_name"]
        at = self.constants["imported_at"]
        _session(tx).execute(insert(QUARANTINE), [
            {"batch_id": batch_id, "file_name": file_name, "line_no": row.line_no,
             "field": row.field[:100], "reason": row.reason, "raw": dict(row.raw),
             "raw_text": row.raw_text.replace("\x00", "\\x00"),
             "content_hash": row.content_hash, "quarantined_at": at}
            for row in rows])
