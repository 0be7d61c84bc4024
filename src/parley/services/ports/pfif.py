"""PFIF persons and notes (the People Finder Interchange Format), and the inquiries whose
families agreed to share them: what the PFIF service needs of storage."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from parley.services.ports.inquiries import InquiryRow
from parley.services.ports.tx import Tx


class PfifRecords(Protocol):
    def has_person(self, tx: Tx, record_id: str) -> bool: ...

    def has_note(self, tx: Tx, record_id: str) -> bool: ...

    def add_person(self, tx: Tx, *, source: str, fields: dict[str, Any]) -> None: ...

    def add_note(self, tx: Tx, *, source: str, fields: dict[str, Any]) -> None: ...

    def persons(self, tx: Tx) -> list[dict[str, Any]]:
        """Every stored PFIF person's fields, by record id."""

    def notes(self, tx: Tx) -> list[dict[str, Any]]:
        """Every stored PFIF note's fields, by record id."""

    def shared_inquiries(self, tx: Tx) -> Sequence[InquiryRow]:
        """Inquiries whose families agreed to share with the ICRC's tracing service."""
