"""The store side of ingest: chunks of rows as plain DB-API calls, the per-source lock, the
batch's running counts.

A million rows through SQLAlchemy's parameter processing cost more than SQLite's own insert, so
rows are tuples in ``INSERT_COLUMNS`` order, JSON is encoded once by the caller, and the
per-batch constants go through their column types' bind processors once per batch.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any, cast

from sqlalchemy import Table, insert, text
from sqlalchemy.orm import Session

from parley.adapters.sql.tables import ImportBatch, QuarantinedRow, SourceRecord

BULK_CACHE_KIB = 65_536  # SQLite page cache while importing (bounded; see bulk_mode)
BULK_WAL_PAGES = 16_384  # checkpoint the WAL every 64 MB while importing
RECORDS = cast(Table, SourceRecord.__table__)
QUARANTINE = cast(Table, QuarantinedRow.__table__)

# The columns a row fills, in insert order: per-batch constants first, then the row's own.
CONSTANT_COLUMNS: tuple[str, ...] = (
    "source_id", "batch_id", "agency_code", "file_name", "classification", "reliability",
    "imported_at",
)
JSON_COLUMNS = frozenset({"raw", "originals", "extras"})


def source_lock_key(name: str) -> int:
    """A signed 64-bit key for PostgreSQL's advisory locks, from the source's name."""
    digest = hashlib.sha256(f"parley.ingest.source:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def lock_source(tx: Session, name: str) -> None:
    """Serialise writers of one source: on PostgreSQL a transaction-scoped advisory lock (held
    until commit or rollback), so the check for rows the source already holds is authoritative
    and two imports of one file never insert the same row; SQLite's ``BEGIN IMMEDIATE`` already
    serialises every writer."""
    if tx.get_bind().dialect.name == "postgresql":
        tx.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": source_lock_key(name)})


def store_batch_counts(tx: Session, batch_id: int, *, read: int, imported: int,
                       duplicates: int, quarantined: int) -> ImportBatch:
    """The batch's counts so far, written in the transaction that commits the rows they count."""
    batch = tx.get_one(ImportBatch, batch_id)
    batch.rows_read, batch.rows_imported = read, imported
    batch.rows_duplicate, batch.rows_quarantined = duplicates, quarantined
    return batch


class RecordWriter:
    """One import's statements on the session's own DB-API connection."""

    def __init__(self, tx: Session, constants: dict[str, Any], row_columns: tuple[str, ...]
                 ) -> None:
        dialect = tx.get_bind().dialect
        self.sqlite = dialect.name == "sqlite"
        self.integrity_errors: tuple[type[BaseException], ...] = (
            cast(type[BaseException], dialect.dbapi.IntegrityError),  # type: ignore[union-attr]
        )
        mark = "?" if self.sqlite else "%s"
        columns = CONSTANT_COLUMNS + row_columns
        cells = [mark if self.sqlite or c not in JSON_COLUMNS else f"CAST({mark} AS JSON)"
                 for c in columns]
        self.insert = (f"INSERT INTO {RECORDS.name} ({', '.join(columns)}) "
                       f"VALUES ({', '.join(cells)})")
        self.saved: tuple[int, int] | None = None
        head: list[Any] = []
        for name in CONSTANT_COLUMNS:
            process = RECORDS.c[name].type.dialect_impl(dialect).bind_processor(dialect)
            head.append(process(constants[name]) if process else constants[name])
        self.head = tuple(head)
        if self.sqlite:
            self.known_records = (
                f"SELECT content_hash FROM {RECORDS.name} WHERE source_id = ? "
                "AND content_hash IN (SELECT value FROM json_each(?))"
            )
            self.known_quarantined = (
                f"SELECT q.content_hash FROM {QUARANTINE.name} q JOIN import_batches b "
                "ON b.id = q.batch_id WHERE b.source_id = ? "
                "AND q.content_hash IN (SELECT value FROM json_each(?))"
            )
        else:
            self.known_records = (
                f"SELECT content_hash FROM {RECORDS.name} WHERE source_id = %s "
                "AND content_hash = ANY(%s)"
            )
            self.known_quarantined = (
                f"SELECT q.content_hash FROM {QUARANTINE.name} q JOIN import_batches b "
                "ON b.id = q.batch_id WHERE b.source_id = %s AND q.content_hash = ANY(%s)"
            )

    def bulk_mode(self, cursor: Any) -> None:
        """SQLite only: a larger page cache and rarer WAL checkpoints while rows pour in.

        Each new row lands at a random place in several indexes (content hash, names, numbers),
        so once they outgrow SQLite's default 2 MB cache most inserts read and write pages; a
        bounded 64 MB cache and checkpointing every 64 MB of WAL instead of 4 MB save a third of
        the insert time at a million rows. Durability is unchanged (``synchronous=FULL``).
        Connection settings; ``normal_mode`` puts the previous ones back.
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

    def normal_mode(self, tx: Session) -> None:
        if self.sqlite and self.saved is not None:
            cache, pages = self.saved
            connection = tx.connection()
            connection.exec_driver_sql(f"PRAGMA cache_size={cache}")
            connection.exec_driver_sql(f"PRAGMA wal_autocheckpoint={pages}")

    def known(self, cursor: Any, source_id: int, hashes: list[str],
              *, quarantined: bool) -> set[str]:
        """Which of ``hashes`` the source already holds (imported, or quarantined): one indexed
        query for the whole chunk."""
        if not hashes:
            return set()
        values: Any = json.dumps(hashes) if self.sqlite else hashes
        cursor.execute(self.known_quarantined if quarantined else self.known_records,
                       (source_id, values))
        return {found for (found,) in cursor.fetchall()}

    def insert_records(self, cursor: Any, rows: Iterable[tuple[Any, ...]]) -> None:
        cursor.executemany(self.insert, rows)

    @staticmethod
    def insert_quarantined(tx: Session, rows: list[dict[str, Any]]) -> None:
        if rows:
            tx.execute(insert(QUARANTINE), rows)
