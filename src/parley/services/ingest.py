"""Ingest: an agency's file becomes source records with provenance; bad rows go to quarantine.

Nothing is lost: each row is stored verbatim beside its canonical parse, a row that fails
validation is quarantined with its file, line, field and reason, and a re-import of the same file
adds nothing (a row's content hash is unique per source, so known rows count as duplicates).

Rows are written in chunks (``CHUNK_ROWS`` per transaction, bulk inserts), so a million-row file
imports in bounded memory. Each chunk commits with its own audit event (``ingest.chunk``) and the
batch's running counts, so a crash at any point leaves a log that covers every stored row; the
batch is finalised with one more event carrying the totals and the file's SHA-256. A batch
without ``finished_at`` is an import that was interrupted. Writers of one source are serialised
(``lock_source``), so concurrent imports of one file never collide on a row.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parley.adapters.files import (
    ColumnMap,
    FileInfo,
    IngestLimits,
    RawRow,
    TableReader,
    limited,
    load_mapping_file,
    open_table,
)
from parley.config import Settings
from parley.domain.actors import Action, Actor
from parley.domain.policy import CLEARANCE_LEVELS
from parley.domain.records import content_hash
from parley.errors import Conflict, InvalidInput, NotFound, UnreadableFile
from parley.progress import Progress
from parley.services.ingest_rows import (
    ROW_COLUMNS,
    Bad,
    Names,
    Preparer,
    QuarantineNote,
)
from parley.services.journal import record_event
from parley.services.ports import Tx
from parley.services.ports.ingest import (
    BatchCounts,
    IngestRepository,
    NewBatch,
    Quarantined,
    RecordWriter,
)
from parley.services.workspace import Workspace

__all__ = ["IngestReport", "QuarantineNote", "check_classification", "check_reliability",
           "ingest_file", "ingest_limits"]

CHUNK_ROWS = 10_000
CHUNK_BYTES = 32 << 20  # a chunk's rows' text, at most (about; one row may pass it)
FIRST_REASONS = 10
_GRADE = re.compile(r"^[A-F][1-6]$")
STAGE = "ingest"
"""The stage ``progress`` is called with; its ``total`` is the rows expected (an estimate for
text files, counted by lines)."""


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
    notices: list[str] = field(default_factory=list)  # about the whole file
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
            "notices": self.notices,
            "column_map": self.column_map,
        }

    def add(self, chunk: _Chunk) -> None:
        """Count a chunk once its transaction has committed (never before)."""
        self.read += chunk.read
        self.imported += chunk.imported
        self.duplicates += chunk.duplicates
        self.quarantined += chunk.quarantined
        self.reasons.extend(chunk.reasons[:max(FIRST_REASONS - len(self.reasons), 0)])


@dataclass(slots=True)
class _Chunk:
    """What one chunk did, held apart until its transaction commits."""

    read: int = 0
    imported: int = 0
    duplicates: int = 0
    quarantined: int = 0
    reasons: list[QuarantineNote] = field(default_factory=list)


def ingest_limits(settings: Settings) -> IngestLimits:
    """The ``PARLEY_INGEST_…`` settings as the readers take them."""
    return IngestLimits(
        max_file_bytes=settings.ingest_max_file_bytes,
        max_row_bytes=settings.ingest_max_row_bytes,
        max_field_chars=settings.ingest_max_field_chars,
        max_columns=settings.ingest_max_columns,
        max_cells=settings.ingest_max_cells,
        max_nesting=settings.ingest_max_nesting,
        max_decompressed_bytes=settings.ingest_max_decompressed_bytes,
        max_shared_strings_bytes=settings.ingest_max_shared_strings_bytes,
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


def _chunks(rows: Iterable[RawRow], size: int, max_bytes: int = CHUNK_BYTES
            ) -> Iterator[list[RawRow]]:
    """Rows ``size`` at a time, or fewer once their text passes ``max_bytes`` (rows may be up
    to ``PARLEY_INGEST_MAX_ROW_BYTES`` each, and a chunk is held whole); when the file breaks
    off part-way (a file limit, a broken workbook), the rows read before the break are still
    yielded, then the error raised."""
    iterator = iter(rows)
    while True:
        chunk: list[RawRow] = []
        held = 0
        try:
            for row in iterator:
                chunk.append(row)
                held += len(row.raw_text)
                if len(chunk) >= size or held >= max_bytes:
                    break
        except UnreadableFile:
            if chunk:
                yield chunk
            raise
        if not chunk:
            return
        yield chunk


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


def _source_for(tx: Tx, repo: IngestRepository, *, name: str, agency: str,
                classification: str, reliability: str) -> tuple[int, bool]:
    """The source's id, and whether it was made just now (the caller audits that)."""
    repo.lock_source(tx, name)
    if not repo.agency_exists(tx, agency):
        raise NotFound(f"agency '{agency}' is unknown")
    source = repo.source(tx, name)
    if source is None:
        return repo.add_source(tx, name=name, agency=agency, classification=classification,
                               reliability=reliability), True
    if source.agency_code != agency:
        raise Conflict(
            f"source '{name}' belongs to agency {source.agency_code}, not {agency}"
        )
    return source.id, False


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

    Raises ``UnreadableFile`` only when the file cannot be read at all or breaks a file limit
    (one line naming it); a bad row is quarantined, never an error. An import that stops
    part-way (an error, Ctrl-C, a crash) keeps the chunks committed so far, each with its audit
    event and the batch's counts; on an error or Ctrl-C it also records ``ingest.interrupted``.
    Importing the file again completes it (the committed rows count as duplicates).
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
    limits = ingest_limits(ws.settings)
    reader = open_table(path, header_score=columns.header_score, limits=limits)
    info = reader.info
    file_sha = _sha256(path)
    expected = _expected_rows(path, reader)
    repo = ws.repos.ingest

    with ws.store.transaction() as tx:
        source_id, created = _source_for(tx, repo, name=source, agency=agency,
                                         classification=level, reliability=grade)
        if created:
            record_event(tx, actor=actor, action="source.create", target=f"source:{source_id}",
                         payload={"name": source, "agency": agency, "classification": level,
                                  "reliability": grade})
        batch = repo.start_batch(tx, NewBatch(
            source_id=source_id, agency_code=agency, file_name=path.name[:500],
            file_sha256=file_sha, file_format=info.format, encoding=info.encoding,
            delimiter=info.delimiter, classification=level, reliability=grade,
            actor=actor.username,
        ))

    report = IngestReport(batch_id=batch.id, source=source, agency=agency, file=path.name,
                          file_sha256=file_sha, format=info.format)
    prepare = Preparer(columns, source, Names(), repo.column_widths())
    audit = {"source": source, "agency": agency, "file": path.name, "file_sha256": file_sha,
             "format": info.format, "classification": level, "reliability": grade}
    writer: RecordWriter | None = None
    try:
        with repo.bulk_import():
            rows = limited(reader.rows(), limits, path.name)
            for chunk in _chunks(rows, CHUNK_ROWS, CHUNK_BYTES):
                hashes = [content_hash(row.values) for row in chunk]
                done = _Chunk()
                with ws.store.transaction() as tx:
                    repo.lock_source(tx, source)
                    writer = writer or repo.record_writer(
                        tx, batch, source_id=source_id, agency_code=agency,
                        file_name=path.name[:500], classification=level, reliability=grade,
                        row_columns=ROW_COLUMNS)
                    _write_chunk(tx, writer, chunk, hashes, prepare, done)
                    # The chunk's counts and event commit with its rows: whatever a crash
                    # leaves committed is counted on the batch and covered by the log.
                    repo.store_counts(tx, batch.id, _counts(report, done))
                    record_event(tx, actor=actor, action="ingest.chunk",
                                 target=f"import_batch:{batch.id}",
                                 payload=_chunk_event(done, chunk, audit))
                report.add(done)  # committed: only now does the report count it
                if progress is not None:
                    progress(STAGE, report.read,
                             max(expected, report.read) if expected else None)
    except BaseException as err:
        _mark_interrupted(ws, actor, report, info, columns, audit, err, writer)
        raise

    if report.read == 0:
        report.notices.append(f"{path.name}: no data rows below the header (line "
                              f"{info.header_line}); nothing was imported")
    report.warnings = prepare.warnings
    _finish(ws, actor, report, info, columns, audit, writer)
    if report.imported:
        from parley.services.inquiry_links import notify_new_records

        notify_new_records(ws, actor=actor, batch_id=batch.id)
    if progress is not None:
        progress(STAGE, report.read, report.read)
    return report


def _counts(report: IngestReport, done: _Chunk | None = None) -> BatchCounts:
    extra = done or _Chunk()
    return BatchCounts(read=report.read + extra.read, imported=report.imported + extra.imported,
                       duplicates=report.duplicates + extra.duplicates,
                       quarantined=report.quarantined + extra.quarantined)


def _chunk_event(done: _Chunk, chunk: list[RawRow], audit: dict[str, Any]) -> dict[str, Any]:
    return {"source": audit["source"], "file_sha256": audit["file_sha256"],
            "first_line": chunk[0].line_no, "last_line": chunk[-1].line_no,
            "read": done.read, "imported": done.imported, "duplicates": done.duplicates,
            "quarantined": done.quarantined}


def _close_batch(tx: Tx, ws: Workspace, report: IngestReport, info: FileInfo,
                 columns: ColumnMap, writer: RecordWriter | None, *, finished: bool
                 ) -> dict[str, int]:
    if writer is not None:
        writer.close(tx)
    report.encoding, report.delimiter = info.encoding, info.delimiter
    report.column_map = columns.as_dict()
    counts = _counts(report)
    ws.repos.ingest.close_batch(tx, report.batch_id, counts, encoding=info.encoding,
                                delimiter=info.delimiter, column_map=report.column_map,
                                finished=finished)
    return {"read": counts.read, "imported": counts.imported,
            "duplicates": counts.duplicates, "quarantined": counts.quarantined}


def _finish(ws: Workspace, actor: Actor, report: IngestReport, info: FileInfo,
            columns: ColumnMap, audit: dict[str, Any], writer: RecordWriter | None) -> None:
    with ws.store.transaction() as tx:
        counts = _close_batch(tx, ws, report, info, columns, writer, finished=True)
        payload: dict[str, Any] = {**audit, **counts}
        if report.notices:
            payload["notices"] = report.notices
        if report.warnings:
            payload["warnings"] = report.warnings
        record_event(tx, actor=actor, action="ingest.file",
                     target=f"import_batch:{report.batch_id}", payload=payload)


def _mark_interrupted(ws: Workspace, actor: Actor, report: IngestReport, info: FileInfo,
                      columns: ColumnMap, audit: dict[str, Any], err: BaseException,
                      writer: RecordWriter | None) -> None:
    """Best effort: the batch keeps the counts of the chunks that were committed (the report
    counts nothing else) and the journal says the import stopped and why; if even that cannot
    be written, the original error is what the caller sees."""
    try:
        with ws.store.transaction() as tx:
            counts = _close_batch(tx, ws, report, info, columns, writer, finished=False)
            detail = " ".join(str(err).split())
            reason = (f"{type(err).__name__}: {detail}" if detail else type(err).__name__)[:500]
            record_event(tx, actor=actor, action="ingest.interrupted",
                         target=f"import_batch:{report.batch_id}",
                         payload={**audit, **counts, "reason": reason})
    except Exception:  # the first error matters; this one would hide it
        pass


def _write_chunk(tx: Tx, writer: RecordWriter, chunk: list[RawRow], hashes: list[str],
                 prepare: Preparer, done: _Chunk) -> None:
    """One chunk in one write transaction: which rows the source already holds (one indexed
    query; rows known are not parsed again, so a re-import is mostly hashing), then the new rows
    prepared and inserted in bulk. The source's writers are serialised (``lock_source``), so
    the check is authoritative on both stores."""
    known = writer.known(tx, hashes, quarantined=False)
    bad: list[Bad] = []

    def rows() -> Iterator[tuple[Any, ...]]:
        for row, digest in zip(chunk, hashes, strict=True):
            if digest in known:
                done.duplicates += 1
                continue
            known.add(digest)  # a repeat within the file is a duplicate too
            prepared = prepare(row, digest)
            if isinstance(prepared, Bad):
                bad.append(prepared)
                continue
            done.imported += 1
            yield prepared

    done.read = len(chunk)
    # A generator, so the chunk's tuples are made while the store consumes them.
    writer.bulk_insert(tx, rows())
    if bad:
        _quarantine(tx, writer, bad, done)


def _quarantine(tx: Tx, writer: RecordWriter, bad: list[Bad], done: _Chunk) -> None:
    held = writer.known(tx, [b.hash for b in bad], quarantined=True)
    quarantine: list[Quarantined] = []
    for item in bad:
        if item.hash in held:
            done.duplicates += 1
            continue
        note = QuarantineNote(item.row.line_no, item.field, item.reason)
        if len(done.reasons) < FIRST_REASONS:
            done.reasons.append(note)
        quarantine.append(Quarantined(
            line_no=note.line_no, field=note.field, reason=note.reason, raw=item.row.values,
            raw_text=item.row.raw_text, content_hash=item.hash))
    writer.quarantine(tx, quarantine)
    done.quarantined += len(quarantine)
