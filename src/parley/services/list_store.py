"""Reading exchange lists back from the store: a list by name, its entry rows as of a version,
a version's row. Shared by the list, sign-off, reconciliation and view services."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from parley.adapters.sql.exchange_tables import ExchangeList, ListEntryRow, ListVersion
from parley.domain.lists import Entry, Readiness, Status
from parley.errors import NotFound

ORIGIN = "origin"
"""Key, in a stored entry's data (beside the entry itself, outside its content hash), of the
entry's sources: ``{"records": [source record ids]}`` (empty for entries from a staff file)."""


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


def list_row(tx: Session, name: str) -> ExchangeList:
    row = tx.scalars(select(ExchangeList).where(ExchangeList.name == name)).first()
    if row is None:
        raise NotFound(f"no list named {name!r}")
    return row


def entry_rows_at(tx: Session, lst: ExchangeList, version: int | None = None
                  ) -> list[ListEntryRow]:
    """The stored rows of a version's entries, sorted by key."""
    v = lst.version if version is None else version
    if not 0 <= v <= lst.version:
        raise NotFound(f"list {lst.name!r} has no version {v} (newest is {lst.version})")
    rows = tx.scalars(
        select(ListEntryRow).where(
            ListEntryRow.list_id == lst.id,
            ListEntryRow.valid_from <= v,
            (ListEntryRow.valid_to.is_(None)) | (ListEntryRow.valid_to > v),
        )
    ).all()
    return sorted(rows, key=lambda r: r.entry_key)


def entries_at(tx: Session, lst: ExchangeList, version: int | None = None) -> list[Entry]:
    return [entry_from_data(r.data) for r in entry_rows_at(tx, lst, version)]


def version_row(tx: Session, lst: ExchangeList, version: int | None = None) -> ListVersion:
    v = lst.version if version is None else version
    row = tx.scalars(
        select(ListVersion).where(ListVersion.list_id == lst.id, ListVersion.version == v)
    ).first()
    if row is None:
        raise NotFound(f"list {lst.name!r} has no version {v}")
    return row
