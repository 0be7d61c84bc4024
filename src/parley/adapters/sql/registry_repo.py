"""The registry in SQL (the ``Registry`` port): the search's index-friendly queries, one record,
import batches and their quarantined rows, the registry's tallies."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import defer

from parley.adapters.sql.origins import CHUNK
from parley.adapters.sql.session import session_of
from parley.adapters.sql.tables import ImportBatch, Person, QuarantinedRow, Source, SourceRecord
from parley.services.ports import Tx
from parley.services.ports.registry import (
    HEAVY_FIELDS,
    KEY_FIELDS,
    RECORD_FIELDS,
    QuarantinedHead,
    RecordFilter,
    RecordOrigin,
    RegistryCounts,
)

RecordQuery = Select[SourceRecord, str]

_PROVENANCE = ("agency_code", "file_name", "line_no", "imported_at", "content_hash",
               "classification", "reliability", "batch_id", "record_key")


def _item(record: SourceRecord, source_name: str, *, full: bool) -> dict[str, Any]:
    """A source record as a plain mapping, ready for the policy."""
    item: dict[str, Any] = {"id": record.id, "person_id": record.person_id}
    item.update((name, getattr(record, name)) for name in RECORD_FIELDS)
    item["source_name"] = source_name
    item.update((name, getattr(record, name)) for name in (*_PROVENANCE, *KEY_FIELDS))
    if full:
        item.update((name, getattr(record, name)) for name in HEAVY_FIELDS)
    return item


def _narrowed(where: RecordFilter) -> RecordQuery:
    """Every condition but the family name's, in the order results are shown."""
    query: RecordQuery = select(SourceRecord, Source.name).join(
        Source, Source.id == SourceRecord.source_id)
    query = query.where(SourceRecord.classification.in_(where.classifications))
    if where.blocked_agencies:
        query = query.where(SourceRecord.agency_code.not_in(where.blocked_agencies))
    if where.birth_date:
        query = query.where(or_(
            and_(SourceRecord.birth_date >= where.birth_date,
                 SourceRecord.birth_date < where.birth_date + "~"),  # '~' sorts after digits
            SourceRecord.birth_date.in_(where.birth_prefixes),
        ))
    if where.numbers:
        query = query.where(or_(SourceRecord.service_number.in_(where.numbers),
                                SourceRecord.document_number.in_(where.numbers)))
    return query.order_by(SourceRecord.family_name, SourceRecord.given_name,
                          SourceRecord.id).options(
        *(defer(getattr(SourceRecord, name)) for name in HEAVY_FIELDS))


class SqlRegistry:
    def search(self, tx: Tx, where: RecordFilter, *, limit: int) -> list[dict[str, Any]]:
        session = session_of(tx)
        query = _narrowed(where)
        names: list[ColumnElement[bool]] = [SourceRecord.family_name == s
                                            for s in where.family_names]
        names += [SourceRecord.family_key == k for k in where.family_keys]
        if not names:
            return [_item(r, s, full=False) for r, s in session.execute(query.limit(limit))]
        # One indexed query per spelling and per cross-script key (each reads only its first
        # rows of an index kept in that order, so a surname shared by 600,000 records costs a
        # page, not a sort), merged.
        rows: dict[int, tuple[SourceRecord, str]] = {}
        for condition in names:
            for record, source in session.execute(query.where(condition).limit(limit)):
                rows.setdefault(int(record.id), (record, source))
        ordered = sorted(rows.values(), key=lambda r: (r[0].family_name, r[0].given_name,
                                                       r[0].id))
        return [_item(r, s, full=False) for r, s in ordered[:limit]]

    def record(self, tx: Tx, record_id: int) -> dict[str, Any] | None:
        found = session_of(tx).execute(
            select(SourceRecord, Source.name).join(Source, Source.id == SourceRecord.source_id)
            .where(SourceRecord.id == record_id)).first()
        return _item(found[0], found[1], full=True) if found is not None else None

    def batches(self, tx: Tx, *, batch_id: int | None, limit: int) -> list[dict[str, Any]]:
        query = select(ImportBatch, Source.name).join(Source, Source.id == ImportBatch.source_id)
        if batch_id is not None:
            query = query.where(ImportBatch.id == batch_id)
        return [{
            "id": b.id, "source_name": name, "agency_code": b.agency_code,
            "file_name": b.file_name, "file_sha256": b.file_sha256,
            "file_format": b.file_format, "encoding": b.encoding,
            "classification": b.classification, "reliability": b.reliability,
            "actor": b.actor, "started_at": b.started_at, "finished_at": b.finished_at,
            "rows_read": b.rows_read, "rows_imported": b.rows_imported,
            "rows_duplicate": b.rows_duplicate, "rows_quarantined": b.rows_quarantined,
        } for b, name in session_of(tx).execute(query.order_by(ImportBatch.id.desc())
                                                .limit(limit))]

    def quarantined(self, tx: Tx, batch_id: int, *, head: int, limit: int,
                    offset: int) -> tuple[list[QuarantinedHead], int]:
        session = session_of(tx)
        total = session.scalar(select(func.count()).select_from(QuarantinedRow)
                               .where(QuarantinedRow.batch_id == batch_id)) or 0
        q = QuarantinedRow
        # Only the start of the text leaves the database (a row may have been stored whole).
        rows = session.execute(
            select(q.id, q.batch_id, q.file_name, q.line_no, q.field, q.reason, q.raw,
                   func.substr(q.raw_text, 1, head).label("head"),
                   func.length(q.raw_text).label("size"), q.quarantined_at)
            .where(q.batch_id == batch_id).order_by(q.line_no, q.id).offset(offset).limit(limit))
        return [QuarantinedHead(r.id, r.batch_id, r.file_name, r.line_no, r.field, r.reason,
                                r.raw, r.head, int(r.size or 0), r.quarantined_at)
                for r in rows], int(total)

    def counts(self, tx: Tx) -> RegistryCounts:
        session = session_of(tx)

        def count(query: Select[int]) -> int:
            return session.scalar(query) or 0

        return RegistryCounts(
            sources=count(select(func.count()).select_from(Source)),
            records=count(select(func.count()).select_from(SourceRecord)),
            quarantined=count(select(func.count()).select_from(QuarantinedRow)),
            persons=count(select(func.count()).select_from(Person)),
            verified=count(select(func.count()).select_from(Person)
                           .where(Person.verified.is_(True))))

    def origins(self, tx: Tx, record_ids: Iterable[int]) -> dict[int, RecordOrigin]:
        ids = sorted(set(record_ids))
        out: dict[int, RecordOrigin] = {}
        for start in range(0, len(ids), CHUNK):
            for rid, agency, classification, source_id in session_of(tx).execute(
                    select(SourceRecord.id, SourceRecord.agency_code,
                           SourceRecord.classification, SourceRecord.source_id)
                    .where(SourceRecord.id.in_(ids[start:start + CHUNK]))):
                out[int(rid)] = RecordOrigin(int(rid), agency, classification, int(source_id))
        return out
