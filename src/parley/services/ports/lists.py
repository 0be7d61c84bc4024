"""Exchange lists as the list services read and write them: the lists, their versions, and the
entries stored temporally (a row is valid from the version that wrote it to the one that
replaced it), plus the registry people and records entries are drawn from and gated by.

Rows handed out are frozen values: a change goes through a method named for it, so a list moves
to a new version, or a version is released, only where the service audits it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from parley.services.ports.records import SourceRecordRow
from parley.services.ports.tx import Tx

ORIGIN = "origin"
"""Key, in a stored entry's data (beside the entry itself, outside its content hash), of the
entry's sources: ``{"records": [source record ids]}`` (empty for entries from a staff file)."""

Origin = dict[str, str | None]
"""``{"agency_code": …, "classification": …}`` of a source record: what the need-to-know gate
decides on."""


@dataclass(frozen=True, slots=True)
class ListHead:
    """A list and the version it stands at (0: empty, nothing written yet)."""

    id: int
    name: str
    direction: str
    version: int
    required_agencies: tuple[str, ...]
    created_by: str


@dataclass(frozen=True, slots=True)
class VersionRow:
    id: int
    list_id: int
    version: int
    content_hash: str
    author: str
    author_agency: str
    note: str
    entry_count: int
    created_at: datetime
    released_at: datetime | None
    released_by: str | None


@dataclass(frozen=True, slots=True)
class StoredEntry:
    """One stored entry: its key, its registry person, and its data (the entry's fields and,
    outside the content hash, its origin)."""

    key: str
    person_id: int | None
    data: Mapping[str, Any]


class Lists(Protocol):
    def named(self, tx: Tx, name: str) -> ListHead | None: ...

    def ordered(self, tx: Tx) -> Sequence[ListHead]:
        """Every list, by name."""

    def add(self, tx: Tx, *, name: str, direction: str, required_agencies: Sequence[str],
            created_by: str) -> ListHead:
        """A new, empty list (version 0)."""


class ListVersions(Protocol):
    def get(self, tx: Tx, list_id: int, version: int) -> VersionRow | None: ...

    def of_list(self, tx: Tx, list_id: int) -> Sequence[VersionRow]:
        """Every version of the list, oldest first."""

    def content_hash(self, tx: Tx, list_id: int, version: int) -> str | None:
        """Only the version's hash: what dates a cached copy of its entries."""

    def released(self, tx: Tx, list_id: int) -> list[int]:
        """The released version numbers, ascending."""

    def newest_released(self, tx: Tx, list_id: int) -> int | None: ...

    def append(self, tx: Tx, *, list_id: int, version: int, content_hash: str, author: str,
               author_agency: str, note: str, entry_count: int) -> None:
        """Record a new version and move the list to it (its entries are written already)."""

    def release(self, tx: Tx, version_id: int, *, at: datetime, by: str) -> None: ...


class ListEntries(Protocol):
    def at(self, tx: Tx, list_id: int, version: int) -> list[StoredEntry]:
        """The entries valid at that version, sorted by key."""

    def of_keys(self, tx: Tx, list_id: int, version: int, keys: Collection[str]
                ) -> list[StoredEntry]:
        """The named entries valid at that version (one page of a list, not the whole of it)."""

    def close(self, tx: Tx, list_id: int, keys: Sequence[str], version: int
              ) -> dict[str, Any]:
        """End the current rows of ``keys`` at ``version`` (they are being replaced); returns
        the origin each closed row kept, by key, for the replacement to carry over."""

    def add(self, tx: Tx, list_id: int, version: int, entries: Iterable[StoredEntry]) -> None:
        """Rows valid from ``version`` on."""

    def scope(self, tx: Tx) -> object:
        """The database behind ``tx`` as a weakly referable, hashable object: what caches of
        stored versions (which never change) are kept per."""


class DrawnPerson(Protocol):
    """A registry person, as far as drawing them onto a list needs."""

    @property
    def id(self) -> int: ...

    @property
    def verified(self) -> bool: ...


DrawnRecord = SourceRecordRow
"""A source record an entry is named from (and gated by): the one record row shape."""


class ListSources(Protocol):
    """The registry as the list services see it: people to draw, records to name them from,
    and the origin (agency, classification) of the records an entry rests on."""

    def record(self, tx: Tx, record_id: int) -> DrawnRecord | None: ...

    def persons(self, tx: Tx, person_ids: Sequence[int]) -> Mapping[int, DrawnPerson]:
        """The persons among ``person_ids`` that exist, by id."""

    def existing_persons(self, tx: Tx, person_ids: Sequence[int]) -> set[int]: ...

    def persons_with_status(self, tx: Tx, statuses: Sequence[str]) -> Sequence[DrawnPerson]:
        """Every person whose status is one of ``statuses``, by id."""

    def records_of_persons(self, tx: Tx, person_ids: Sequence[int]
                           ) -> Mapping[int, Sequence[DrawnRecord]]:
        """Each person's records, oldest first."""

    def first_records(self, tx: Tx, person_ids: Iterable[int]) -> dict[int, int]:
        """The lowest record id of each person (what entries drawn before origins were kept
        were named from)."""
