"""Ingest: an agency's file becomes source records with provenance; bad rows go to quarantine.

Nothing is lost: each row is stored verbatim beside its canonical parse, a row that fails
validation is quarantined with its file, line, field and reason, and a re-import of the same file
adds nothing (a row's content hash is unique per source, so known rows count as duplicates).

Rows are written in chunks (``CHUNK_ROWS`` per transaction, bulk inserts), so a million-row file
imports in bounded memory; the batch is finalised with one audit event carrying the counts and
the file's SHA-256. A batch without ``finished_at`` is an import that was interrupted.
"""

from __future__ import annotations

import gc
import hashlib
import importlib
import json
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from operator import attrgetter
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from parley.adapters.files import (
    ColumnMap,
    FileInfo,
    RawRow,
    TableReader,
    load_mapping_file,
    open_table,
)
from parley.adapters.sql.base import utcnow
from parley.adapters.sql.tables import (
    Agency,
    ImportBatch,
    QuarantinedRow,
    Source,
    SourceRecord,
)
from parley.domain.actors import Action, Actor
from parley.domain.policy import CLEARANCE_LEVELS
from parley.domain.records import (
    CANONICAL_FIELDS,
    CODED_FIELDS,
    DATE_FIELDS,
    FULL_NAME_FIELD,
    build_record,
    content_hash,
)
from parley.errors import Conflict, InvalidInput, InvalidRecord, NotFound
from parley.services.journal import record_event
from parley.services.workspace import Workspace

CHUNK_ROWS = 10_000
BULK_CACHE_KIB = 65_536  # SQLite page cache while importing (bounded; see _Sql.bulk_mode)
BULK_WAL_PAGES = 16_384  # checkpoint the WAL every 64 MB while importing
_RECORDS = cast(Table, SourceRecord.__table__)
_QUARANTINE = cast(Table, QuarantinedRow.__table__)
FIRST_REASONS = 10
_GRADE = re.compile(r"^[A-F][1-6]$")
Progress = Callable[[int, int | None], None]
"""Called as ``progress(rows_done, rows_expected)``; ``rows_expected`` may be an estimate."""


@dataclass(frozen=True, slots=True)
class QuarantineNote:
    line_no: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line_no}: {self.field}: {self.reason}"


@dataclass
class IngestReport:
    """What one import did; ``read = imported + duplicates + quarantined``."""

    batch_id: int
    source: str
    agency: str
    file: str
    file_sha256: str
    format: str
    encoding: str = ""
    delimiter: str = ""
    read: int = 0
    imported: int = 0
    duplicates: int = 0
    quarantined: int = 0
    warnings: int = 0  # coded words kept as ``unknown`` (the row is imported)
    reasons: list[QuarantineNote] = field(default_factory=list)
    column_map: dict[str, str | None] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "read": self.read, "imported": self.imported, "duplicates": self.duplicates,
            "quarantined": self.quarantined, "warnings": self.warnings,
            "batch_id": self.batch_id, "source": self.source,
            "agency": self.agency, "file": self.file, "file_sha256": self.file_sha256,
            "format": self.format, "encoding": self.encoding, "delimiter": self.delimiter,
            "reasons": [
                {"line": n.line_no, "field": n.field, "reason": n.reason} for n in self.reasons
            ],
            "column_map": self.column_map,
        }


# --- names: parley.names when it is there, a plain fallback until then -----------------------


def _names_api() -> tuple[Callable[[str], Any] | None, Callable[[str, str, str], Any] | None]:
    """``parse_name`` and ``normalize_name`` from ``parley.names``, or ``None`` while that
    package does not offer them yet (ingest must work either way)."""
    try:
        module = importlib.import_module("parley.names")
    except ImportError:
        return None, None
    return getattr(module, "parse_name", None), getattr(module, "normalize_name", None)


_PATRONYMIC_END = re.compile(
    r"(ович|евич|євич|івна|ївна|овна|евна|ична|ич|ovych|ovich|evich|ivna|ovna|evna|ich)$",
    re.IGNORECASE,
)


def split_full_name(text: str) -> tuple[str, str, str]:
    """(family, given, patronymic) of a whole name in one column.

    Official Ukrainian and Russian order is ``Family Given Patronymic``; ``Given Patronymic
    Family`` is recognised by its patronymic in the middle, and ``Given FAMILY`` by the capitals.
    """
    parts = text.replace(",", " ").split()
    if not parts:
        return "", "", ""
    if len(parts) == 1:
        return parts[0], "", ""
    if len(parts) == 2:
        first, second = parts
        if second.isupper() and not first.isupper():
            return second, first, ""
        return first, second, ""
    if _PATRONYMIC_END.search(parts[1]) and not _PATRONYMIC_END.search(parts[-1]):
        return " ".join(parts[2:]), parts[0], parts[1]
    return parts[0], parts[1], " ".join(parts[2:])


class _Names:
    def __init__(self) -> None:
        self.parse, self.normalize = _names_api()

    def split(self, text: str) -> tuple[str, str, str]:
        if self.parse is not None:
            try:
                parts = self.parse(text)
                return (str(parts.family or ""), str(parts.given or ""),
                        str(parts.patronymic or ""))
            except (ValueError, TypeError, AttributeError):
                pass
        return split_full_name(text)

    def keys(self, family: str, given: str, patronymic: str) -> tuple[str, str, str]:
        if self.normalize is None:
            return "", "", ""
        try:
            norm = self.normalize(family, given, patronymic)
            return (str(norm.family_key or ""), str(norm.given_key or ""),
                    str(norm.patronymic_key or ""))
        except (ValueError, TypeError, AttributeError):
            return "", "", ""


# --- preparing rows (pure) ------------------------------------------------------------------

# The columns a row fills, in insert order: per-batch constants first, then the row's own.
_CONSTANT_COLUMNS: tuple[str, ...] = (
    "source_id", "batch_id", "agency_code", "file_name", "classification", "reliability",
    "imported_at",
)
_CANON_COLUMNS: tuple[str, ...] = tuple(
    f for f in CANONICAL_FIELDS if f not in ("record_id", "source")
)
_ROW_COLUMNS: tuple[str, ...] = (
    "record_key", "line_no", "raw", "raw_text", "content_hash", *_CANON_COLUMNS, "originals",
    "extras", "family_key", "given_key", "patronymic_key",
)
_INSERT_COLUMNS = _CONSTANT_COLUMNS + _ROW_COLUMNS
_JSON_COLUMNS = frozenset({"raw", "originals", "extras"})
_canon_values = attrgetter("record_id", *_CANON_COLUMNS)


def _limit(name: str) -> int:
    column = _RECORDS.c["record_key" if name == "record_id" else name]
    return int(getattr(column.type, "length", 0) or 0)


# Free-text fields and their column widths (coded fields and dates are canonical, short, by
# now); a row whose longest value fits the narrowest of them needs no field-by-field check.
_LIMITED: tuple[tuple[int, str, int], ...] = tuple(
    (i, name, _limit(name)) for i, name in enumerate(("record_id", *_CANON_COLUMNS))
    if _limit(name) and name not in (*DATE_FIELDS, *CODED_FIELDS)
)
_NARROWEST = min(limit for _, _, limit in _LIMITED)
_JSON = json.JSONEncoder(ensure_ascii=False).encode


@dataclass(slots=True)
class _Bad:
    row: RawRow
    hash: str
    field: str
    reason: str


class _Preparer:
    """A raw row → the tuple of its ``source_records`` values (see ``_ROW_COLUMNS``), or the
    reason it is quarantined."""

    def __init__(self, columns: ColumnMap, source: str, names: _Names) -> None:
        self.columns = columns
        self.source = source
        self.names = names
        self.warnings = 0

    def __call__(self, row: RawRow, digest: str) -> tuple[Any, ...] | _Bad:
        if row.problem:
            return _Bad(row, digest, "row", row.problem)
        if "\x00" in row.raw_text:
            return _Bad(row, digest, "row", "the row contains a NUL character")
        canonical, extras = self.columns.split(row.values)
        full = canonical.get(FULL_NAME_FIELD, "").strip()
        if full and not (canonical.get("family_name", "").strip()
                         or canonical.get("given_name", "").strip()
                         or canonical.get("patronymic", "").strip()):
            family, given, patronymic = self.names.split(full)
            canonical.update(family_name=family, given_name=given, patronymic=patronymic)
        try:
            record, warnings = build_record(canonical, extras=extras, keep_unknown=True)
            self.warnings += len(warnings)
        except InvalidRecord as err:
            reason = err.reason
            if err.value and err.value not in reason:
                reason = f"{reason} (value '{err.value}')"
            return _Bad(row, digest, err.field, reason)
        values: tuple[str, ...] = _canon_values(record)
        if max(map(len, values)) > _NARROWEST:
            for index, name, limit in _LIMITED:
                if len(values[index]) > limit:
                    return _Bad(row, digest, name, f"longer than {limit} characters")
        originals = record.originals
        if full:
            originals = {**originals, FULL_NAME_FIELD: record.full_name}
        family_key, given_key, patronymic_key = self.names.keys(
            record.family_name, record.given_name, record.patronymic
        )
        return (
            values[0], row.line_no, _JSON(row.values), row.raw_text, digest, *values[1:],
            _JSON(originals) if originals else "{}",
            _JSON(record.extras) if record.extras else "{}",
            family_key[:200], given_key[:200], patronymic_key[:200],
        )


# --- the service ----------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _count_lines(path: Path) -> int:
    count = 0
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            count += block.count(b"\n")
    return count


def _expected_rows(path: Path, reader: TableReader) -> int | None:
    """Rows to expect, for the progress bar: a workbook says in its sheet dimension, a text file
    is counted by its lines (an estimate: blank lines, title lines, quoted line breaks)."""
    fmt = reader.info.format
    if fmt == "xlsx":
        return reader.info.expected_rows
    return max(_count_lines(path) - (1 if fmt == "csv" else 0), 0)


def _chunks(rows: Iterable[RawRow], size: int) -> Iterator[list[RawRow]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


_GC_LOCK = threading.Lock()
_GC_STATE: dict[str, Any] = {"imports": 0, "saved": None}
BULK_GC_THRESHOLD = 100_000


@contextmanager
def _fewer_collections() -> Iterator[None]:
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


def check_reliability(grade: str) -> str:
    """An Admiralty grade: source reliability A–F and information credibility 1–6 (``B2``)."""
    value = grade.strip().upper()
    if not _GRADE.match(value):
        raise InvalidInput(
            f"reliability '{grade}' is not an Admiralty grade (a letter A–F and a digit 1–6, "
            "e.g. B2)"
        )
    return value


def check_classification(level: str) -> str:
    value = level.strip().lower()
    if value not in CLEARANCE_LEVELS:
        raise InvalidInput(
            f"classification '{level}' is unknown: use one of {', '.join(CLEARANCE_LEVELS)}"
        )
    return value


def _source_for(tx: Session, *, actor: Actor, name: str, agency: str, classification: str,
                reliability: str) -> Source:
    if tx.get(Agency, agency) is None:
        raise NotFound(f"agency '{agency}' is unknown")
    source = tx.scalars(select(Source).where(Source.name == name)).one_or_none()
    if source is None:
        source = Source(name=name, agency_code=agency, classification=classification,
                        reliability=reliability)
        tx.add(source)
        tx.flush()
        record_event(tx, actor=actor, action="source.create", target=f"source:{source.id}",
                     payload={"name": name, "agency": agency, "classification": classification,
                              "reliability": reliability})
    elif source.agency_code != agency:
        raise Conflict(
            f"source '{name}' belongs to agency {source.agency_code}, not {agency}"
        )
    return source


class _Sql:
    """The chunk's statements as plain DB-API calls on the session's own connection.

    A million rows through SQLAlchemy's parameter processing cost more than SQLite's own
    insert, so rows are tuples in ``_INSERT_COLUMNS`` order, JSON is encoded once by us, and the
    per-batch constants go through their column types' bind processors once per batch.
    """

    def __init__(self, tx: Session, constants: dict[str, Any]) -> None:
        dialect = tx.get_bind().dialect
        self.sqlite = dialect.name == "sqlite"
        mark = "?" if self.sqlite else "%s"
        cells = [mark if self.sqlite or c not in _JSON_COLUMNS else f"CAST({mark} AS JSON)"
                 for c in _INSERT_COLUMNS]
        self.insert = (f"INSERT INTO {_RECORDS.name} ({', '.join(_INSERT_COLUMNS)}) "
                       f"VALUES ({', '.join(cells)})")
        self.saved: tuple[int, int] | None = None
        head: list[Any] = []
        for name in _CONSTANT_COLUMNS:
            process = _RECORDS.c[name].type.dialect_impl(dialect).bind_processor(dialect)
            head.append(process(constants[name]) if process else constants[name])
        self.head = tuple(head)
        if self.sqlite:
            self.known_records = (
                f"SELECT content_hash FROM {_RECORDS.name} WHERE source_id = ? "
                "AND content_hash IN (SELECT value FROM json_each(?))"
            )
            self.known_quarantined = (
                f"SELECT q.content_hash FROM {_QUARANTINE.name} q JOIN import_batches b "
                "ON b.id = q.batch_id WHERE b.source_id = ? "
                "AND q.content_hash IN (SELECT value FROM json_each(?))"
            )
        else:
            self.known_records = (
                f"SELECT content_hash FROM {_RECORDS.name} WHERE source_id = %s "
                "AND content_hash = ANY(%s)"
            )
            self.known_quarantined = (
                f"SELECT q.content_hash FROM {_QUARANTINE.name} q JOIN import_batches b "
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


def ingest_file(
    ws: Workspace,
    *,
    actor: Actor,
    path: Path,
    source: str,
    agency: str,
    mapping: Path | None = None,
    classification: str = "restricted",
    reliability: str = "F6",
    progress: Progress | None = None,
) -> IngestReport:
    """Import ``path`` into ``source`` (made on first use) of ``agency``; see the module doc.

    Raises ``UnreadableFile`` only when the file cannot be read at all; a bad row is
    quarantined, never an error. An import that stops part-way (an error, Ctrl-C) keeps the
    chunks committed so far, leaves the batch without ``finished_at``, writes the counts so far
    onto it and records an ``ingest.interrupted`` event; importing the file again completes it
    (the committed rows count as duplicates).
    """
    actor.require(Action.INGEST)
    grade = check_reliability(reliability)
    level = check_classification(classification)
    agency = agency.strip().upper()
    source = source.strip()
    if not source:
        raise InvalidInput("a source name is required")
    overrides = load_mapping_file(mapping) if mapping is not None else {}
    columns = ColumnMap(overrides=overrides)
    reader = open_table(path, header_score=columns.header_score)
    info = reader.info
    file_sha = _sha256(path)
    expected = _expected_rows(path, reader)
    started = utcnow()

    with ws.store.transaction() as tx:
        src = _source_for(tx, actor=actor, name=source, agency=agency, classification=level,
                          reliability=grade)
        batch = ImportBatch(
            source_id=src.id, agency_code=agency, file_name=path.name[:500],
            file_sha256=file_sha, file_format=info.format, encoding=info.encoding,
            delimiter=info.delimiter, classification=level, reliability=grade,
            actor=actor.username, started_at=started,
        )
        tx.add(batch)
        tx.flush()
        batch_id, source_id = batch.id, src.id

    report = IngestReport(batch_id=batch_id, source=source, agency=agency, file=path.name,
                          file_sha256=file_sha, format=info.format)
    prepare = _Preparer(columns, source, _Names())
    constants = {"source_id": source_id, "batch_id": batch_id, "agency_code": agency,
                 "file_name": path.name[:500], "classification": level, "reliability": grade,
                 "imported_at": started}
    audit = {"source": source, "agency": agency, "file": path.name, "file_sha256": file_sha,
             "format": info.format, "classification": level, "reliability": grade}
    sql: _Sql | None = None
    try:
        with _fewer_collections():
            for chunk in _chunks(reader.rows(), CHUNK_ROWS):
                hashes = [content_hash(row.values) for row in chunk]
                with ws.store.transaction() as tx:
                    sql = sql or _Sql(tx, constants)
                    _write_chunk(tx, sql, chunk, hashes, prepare, report, constants)
                if progress is not None:
                    progress(report.read, max(expected, report.read) if expected else None)
    except BaseException as err:
        _mark_interrupted(ws, actor, report, info, columns, audit, err, sql)
        raise

    _finish(ws, actor, report, info, columns, audit, sql)
    if progress is not None:
        progress(report.read, report.read)
    return report


def _batch_counts(batch: ImportBatch, report: IngestReport, info: FileInfo,
                  columns: ColumnMap) -> None:
    report.encoding, report.delimiter = info.encoding, info.delimiter
    report.column_map = columns.as_dict()
    batch.encoding, batch.delimiter = info.encoding, info.delimiter
    batch.column_map = report.column_map
    batch.rows_read, batch.rows_imported = report.read, report.imported
    batch.rows_duplicate, batch.rows_quarantined = report.duplicates, report.quarantined


def _counts(report: IngestReport) -> dict[str, int]:
    return {"read": report.read, "imported": report.imported, "duplicates": report.duplicates,
            "quarantined": report.quarantined}


def _finish(ws: Workspace, actor: Actor, report: IngestReport, info: FileInfo,
            columns: ColumnMap, audit: dict[str, Any], sql: _Sql | None) -> None:
    with ws.store.transaction() as tx:
        if sql is not None:
            sql.normal_mode(tx)
        batch = tx.get_one(ImportBatch, report.batch_id)
        _batch_counts(batch, report, info, columns)
        batch.finished_at = utcnow()
        record_event(tx, actor=actor, action="ingest.file",
                     target=f"import_batch:{report.batch_id}",
                     payload={**audit, **_counts(report)})


def _mark_interrupted(ws: Workspace, actor: Actor, report: IngestReport, info: FileInfo,
                      columns: ColumnMap, audit: dict[str, Any], err: BaseException,
                      sql: _Sql | None) -> None:
    """Best effort: the batch keeps the counts of the chunks that were committed and the journal
    says the import stopped and why; if even that cannot be written, the original error is
    what the caller sees."""
    try:
        with ws.store.transaction() as tx:
            if sql is not None:
                sql.normal_mode(tx)
            batch = tx.get_one(ImportBatch, report.batch_id)
            _batch_counts(batch, report, info, columns)
            detail = str(err)
            reason = (f"{type(err).__name__}: {detail}" if detail else type(err).__name__)[:500]
            record_event(tx, actor=actor, action="ingest.interrupted",
                         target=f"import_batch:{report.batch_id}",
                         payload={**audit, **_counts(report), "reason": reason})
    except Exception:  # the first error matters; this one would hide it
        pass


def _write_chunk(
    tx: Session,
    sql: _Sql,
    chunk: list[RawRow],
    hashes: list[str],
    prepare: _Preparer,
    report: IngestReport,
    constants: dict[str, Any],
) -> None:
    """One chunk in one write transaction: which rows the source already holds (one indexed
    query; rows known are not parsed again, so a re-import is mostly hashing), then the new rows
    prepared and inserted with one ``executemany``. On SQLite the transaction holds the write
    lock from its start, so the check is authoritative."""
    cursor = tx.connection().connection.cursor()
    try:
        sql.bulk_mode(cursor)
        known = sql.known(cursor, constants["source_id"], hashes, quarantined=False)
        bad: list[_Bad] = []
        head = sql.head

        def rows() -> Iterator[tuple[Any, ...]]:
            for row, digest in zip(chunk, hashes, strict=True):
                if digest in known:
                    report.duplicates += 1
                    continue
                known.add(digest)  # a repeat within the file is a duplicate too
                prepared = prepare(row, digest)
                if isinstance(prepared, _Bad):
                    bad.append(prepared)
                    continue
                report.imported += 1
                report.warnings = prepare.warnings
                yield head + prepared

        report.read += len(chunk)
        # A generator, so the chunk's tuples are made while SQLite consumes them, never all held.
        cursor.executemany(sql.insert, cast(Any, rows()))
        if bad:
            _quarantine(tx, sql, cursor, bad, report, constants)
    finally:
        cursor.close()


def _quarantine(tx: Session, sql: _Sql, cursor: Any, bad: list[_Bad], report: IngestReport,
                constants: dict[str, Any]) -> None:
    held = sql.known(cursor, constants["source_id"], [b.hash for b in bad], quarantined=True)
    quarantine: list[dict[str, Any]] = []
    for item in bad:
        if item.hash in held:
            report.duplicates += 1
            continue
        note = QuarantineNote(item.row.line_no, item.field, item.reason)
        if len(report.reasons) < FIRST_REASONS:
            report.reasons.append(note)
        quarantine.append({
            "batch_id": constants["batch_id"], "file_name": constants["file_name"],
            "line_no": note.line_no, "field": note.field[:100], "reason": note.reason,
            "raw": item.row.values, "raw_text": item.row.raw_text.replace("\x00", "\\x00"),
            "content_hash": item.hash, "quarantined_at": constants["imported_at"],
        })
    if quarantine:
        tx.execute(insert(_QUARANTINE), quarantine)
    report.quarantined += len(quarantine)
