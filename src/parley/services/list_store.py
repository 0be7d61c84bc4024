"""Reading exchange lists back from the store: a list by name, its entry rows as of a version,
a version's row. Shared by the list, sign-off, reconciliation and view services."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from parley.domain.lists import Entry, Readiness, Status
from parley.errors import N_, NotFound
from parley.services.ports import Tx, repositories_of
from parley.services.ports.lists import ORIGIN, ListHead, StoredEntry, VersionRow

__all__ = ["ORIGIN", "entries_at", "entry_from_data", "entry_rows_at", "list_row",
           "version_row"]


def entry_from_data(data: Mapping[str, Any]) -> Entry:
    readiness = data.get("readiness") or {}
    return Entry(
        key=str(data["key"]),
        display_name=str(data.get("display_name", "")),
        family_name=str(data.get("family_name", "")),
        given_name=str(data.get("given_name", "")),
        patronymic=str(data.get("patronymic", "")),
        birth_date=str(data.get("birth_date", "")),
        person_id=data.get("person_id"),
        category=str(data.get("category", "military")),
        seriously_wounded=bool(data.get("seriously_wounded", False)),
        age_group=str(data.get("age_group", "unknown")),
        staff_categories=tuple(data.get("staff_categories") or ()),
        facts=dict(data.get("facts") or {}),
        status=Status(data.get("status", "proposed")),
        status_reason=str(data.get("status_reason", "")),
        readiness=Readiness(**{k: bool(v) for k, v in readiness.items()}),
    )


def list_row(tx: Tx, name: str) -> ListHead:
    row = repositories_of(tx).lists.named(tx, name)
    if row is None:
        raise NotFound(N_("no list named '%(name)s'"), name=name)
    return row


def entry_rows_at(tx: Tx, lst: ListHead, version: int | None = None) -> list[StoredEntry]:
    """The stored rows of a version's entries, sorted by key."""
    v = lst.version if version is None else version
    if not 0 <= v <= lst.version:
        raise NotFound(N_("list '%(name)s' has no version %(version)s (newest is %(newest)s)"),
                       name=lst.name, version=v, newest=lst.version)
    return repositories_of(tx).list_entries.at(tx, lst.id, v)


def entries_at(tx: Tx, lst: ListHead, version: int | None = None) -> list[Entry]:
    return [entry_from_data(r.data) for r in entry_rows_at(tx, lst, version)]


def version_row(tx: Tx, lst: ListHead, version: int | None = None) -> VersionRow:
    v = lst.version if version is None else version
    row = repositories_of(tx).list_versions.get(tx, lst.id, v)
    if row is None:
        raise NotFound(N_("list '%(name)s' has no version %(version)s"), name=lst.name, version=v)
    return row
