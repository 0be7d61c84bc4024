"""Where list entries come from: persons' records and the stored rows of entries, read in
batches (the records' gates are the registry repository's ``origins``, one query for all)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from parley.adapters.sql.exchange_tables import ListEntryRow
from parley.adapters.sql.tables import SourceRecord

CHUNK = 900
"""Ids per ``IN (…)`` list: below every backend's bound-parameter limit."""


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    batch = sorted(set(ids))
    for start in range(0, len(batch), CHUNK):
        yield batch[start:start + CHUNK]


class RecordOrigins:
    """Records behind list entries, looked up many at a time."""

    def __init__(self, tx: Session) -> None:
        self._tx = tx

    def first_record_of(self, person_ids: Iterable[int]) -> dict[int, int]:
        """The lowest record id of each person (what entries drawn before origins were kept
        were named from)."""
        out: dict[int, int] = {}
        for chunk in _chunks(person_ids):
            for pid, rid in self._tx.execute(
                    select(SourceRecord.person_id, func.min(SourceRecord.id))
                    .where(SourceRecord.person_id.in_(chunk))
                    .group_by(SourceRecord.person_id)):
                if pid is not None:
                    out[int(pid)] = int(rid)
        return out

    def records_of_persons(self, person_ids: Sequence[int]) -> dict[int, list[SourceRecord]]:
        """Each person's records, oldest first."""
        out: dict[int, list[SourceRecord]] = {}
        for chunk in _chunks(person_ids):
            for record in self._tx.scalars(select(SourceRecord)
                                           .where(SourceRecord.person_id.in_(chunk))
                                           .order_by(SourceRecord.id)):
                out.setdefault(int(record.person_id or 0), []).append(record)
        return out

    def entry_rows(self, list_id: int, version: int, keys: Collection[str]
                   ) -> list[ListEntryRow]:
        """The stored rows of the named entries of one list version (one page of a list, not
        the whole of it), whose data keeps the records each entry was drawn from."""
        out: list[ListEntryRow] = []
        wanted = sorted(set(keys))
        for start in range(0, len(wanted), CHUNK):
            out += self._tx.scalars(select(ListEntryRow).where(
                ListEntryRow.list_id == list_id,
                ListEntryRow.entry_key.in_(wanted[start:start + CHUNK]),
                ListEntryRow.valid_from <= version,
                (ListEntryRow.valid_to.is_(None)) | (ListEntryRow.valid_to > version)))
        return out
