"""Exchange lists in SQL: lists, versions, temporal entry rows (the ``Lists``, ``ListVersions``
and ``ListEntries`` ports), and the registry side of drawing entries (``ListSources``)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update

from parley.adapters.sql.exchange_tables import ExchangeList, ListEntryRow, ListVersion
from parley.adapters.sql.origins import RecordOrigins
from parley.adapters.sql.session import session_of
from parley.adapters.sql.tables import Person, SourceRecord
from parley.services.ports import Tx
from parley.services.ports.lists import ORIGIN, ListHead, StoredEntry, VersionRow


def _head(row: ExchangeList) -> ListHead:
    return ListHead(id=row.id, name=row.name, direction=row.direction, version=row.version,
                    required_agencies=tuple(row.required_agencies), created_by=row.created_by)


def _version(row: ListVersion) -> VersionRow:
    return VersionRow(id=row.id, list_id=row.list_id, version=row.version,
                      content_hash=row.content_hash, author=row.author,
                      author_agency=row.author_agency, note=row.note,
                      entry_count=row.entry_count, created_at=row.created_at,
                      released_at=row.released_at, released_by=row.released_by)


class SqlLists:
    def named(self, tx: Tx, name: str) -> ListHead | None:
        row = session_of(tx).scalars(
            select(ExchangeList).where(ExchangeList.name == name)).first()
        return _head(row) if row is not None else None

    def ordered(self, tx: Tx) -> list[ListHead]:
        return [_head(r) for r in session_of(tx).scalars(
            select(ExchangeList).order_by(ExchangeList.name))]

    def add(self, tx: Tx, *, name: str, direction: str, required_agencies: Sequence[str],
            created_by: str) -> ListHead:
        session = session_of(tx)
        row = ExchangeList(name=name, direction=direction,
                           required_agencies=list(required_agencies), version=0,
                           created_by=created_by)
        session.add(row)
        session.flush()
        return _head(row)


class SqlListVersions:
    def get(self, tx: Tx, list_id: int, version: int) -> VersionRow | None:
        row = session_of(tx).scalars(select(ListVersion).where(
            ListVersion.list_id == list_id, ListVersion.version == version)).first()
        return _version(row) if row is not None else None

    def of_list(self, tx: Tx, list_id: int) -> list[VersionRow]:
        return [_version(r) for r in session_of(tx).scalars(
            select(ListVersion).where(ListVersion.list_id == list_id)
            .order_by(ListVersion.version))]

    def content_hash(self, tx: Tx, list_id: int, version: int) -> str | None:
        return session_of(tx).scalar(select(ListVersion.content_hash).where(
            ListVersion.list_id == list_id, ListVersion.version == version))

    def released(self, tx: Tx, list_id: int) -> list[int]:
        return list(session_of(tx).scalars(select(ListVersion.version).where(
            ListVersion.list_id == list_id, ListVersion.released_at.is_not(None))
            .order_by(ListVersion.version)))

    def newest_released(self, tx: Tx, list_id: int) -> int | None:
        newest = session_of(tx).scalar(select(func.max(ListVersion.version)).where(
            ListVersion.list_id == list_id, ListVersion.released_at.is_not(None)))
        return int(newest) if newest is not None else None

    def append(self, tx: Tx, *, list_id: int, version: int, content_hash: str, author: str,
               author_agency: str, note: str, entry_count: int) -> None:
        session = session_of(tx)
        session.execute(update(ExchangeList).where(ExchangeList.id == list_id)
                        .values(version=version))
        session.add(ListVersion(list_id=list_id, version=version, content_hash=content_hash,
                                author=author, author_agency=author_agency, note=note,
                                entry_count=entry_count))
        session.flush()

    def release(self, tx: Tx, version_id: int, *, at: datetime, by: str) -> None:
        session_of(tx).execute(update(ListVersion).where(ListVersion.id == version_id)
                               .values(released_at=at, released_by=by))


class SqlListEntries:
    def at(self, tx: Tx, list_id: int, version: int) -> list[StoredEntry]:
        rows = session_of(tx).execute(
            select(ListEntryRow.entry_key, ListEntryRow.person_id, ListEntryRow.data).where(
                ListEntryRow.list_id == list_id,
                ListEntryRow.valid_from <= version,
                (ListEntryRow.valid_to.is_(None)) | (ListEntryRow.valid_to > version),
            ))
        # Sorted here, not in SQL: the order must not depend on the database's collation.
        return sorted((StoredEntry(key, person, data) for key, person, data in rows),
                      key=lambda e: e.key)

    def of_keys(self, tx: Tx, list_id: int, version: int, keys: Collection[str]
                ) -> list[StoredEntry]:
        return [StoredEntry(r.entry_key, r.person_id, r.data)
                for r in RecordOrigins(session_of(tx)).entry_rows(list_id, version, keys)]

    def close(self, tx: Tx, list_id: int, keys: Sequence[str], version: int
              ) -> dict[str, Any]:
        kept: dict[str, Any] = {}
        if not keys:
            return kept
        for row in session_of(tx).scalars(select(ListEntryRow).where(
                ListEntryRow.list_id == list_id, ListEntryRow.valid_to.is_(None),
                ListEntryRow.entry_key.in_(list(keys)))):
            row.valid_to = version
            if isinstance(row.data, dict) and ORIGIN in row.data:
                kept[row.entry_key] = row.data[ORIGIN]
        return kept

    def add(self, tx: Tx, list_id: int, version: int, entries: Iterable[StoredEntry]) -> None:
        session_of(tx).add_all(
            ListEntryRow(list_id=list_id, entry_key=e.key, valid_from=version,
                         person_id=e.person_id, data=dict(e.data)) for e in entries)

    def scope(self, tx: Tx) -> object:
        return session_of(tx).get_bind()


class SqlListSources:
    def record(self, tx: Tx, record_id: int) -> SourceRecord | None:
        return session_of(tx).get(SourceRecord, record_id)

    def persons(self, tx: Tx, person_ids: Sequence[int]) -> dict[int, Person]:
        return {p.id: p for p in session_of(tx).scalars(
            select(Person).where(Person.id.in_(list(person_ids))))}

    def existing_persons(self, tx: Tx, person_ids: Sequence[int]) -> set[int]:
        return set(session_of(tx).scalars(
            select(Person.id).where(Person.id.in_(list(person_ids)))))

    def persons_with_status(self, tx: Tx, statuses: Sequence[str]) -> list[Person]:
        return list(session_of(tx).scalars(
            select(Person).where(Person.status.in_(list(statuses))).order_by(Person.id)))

    def records_of_persons(self, tx: Tx, person_ids: Sequence[int]
                           ) -> dict[int, list[SourceRecord]]:
        return RecordOrigins(session_of(tx)).records_of_persons(person_ids)

    def first_records(self, tx: Tx, person_ids: Iterable[int]) -> dict[int, int]:
        return RecordOrigins(session_of(tx)).first_record_of(person_ids)
