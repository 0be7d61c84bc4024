"""Persons as the person page reads them: the person, their source records with each record's
source, the evidence, and the redirects a merge leaves behind. Rows are read-only here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from parley.services.ports.records import SourceRecordRow
from parley.services.ports.tx import Tx


class PersonRow(Protocol):
    @property
    def id(self) -> int: ...

    @property
    def display_name(self) -> str: ...

    @property
    def verified(self) -> bool: ...

    @property
    def verification_reason(self) -> str: ...

    @property
    def status(self) -> str: ...

    @property
    def created_at(self) -> datetime: ...

    @property
    def updated_at(self) -> datetime: ...


PersonRecord = SourceRecordRow
"""A source record of a person, with the fields verification and the page read."""


class EvidenceRow(Protocol):
    """One statement a source record makes about a property of a person."""

    id: int
    person_id: int | None
    source_record_id: int
    property: str
    value: str
    agency_code: str
    classification: str
    reliability: str
    observed_at: datetime
    content_hash: str


class Persons(Protocol):
    def redirected_to(self, tx: Tx, person_id: int) -> int | None:
        """The person a merge folded ``person_id`` into (one hop), or None."""

    def get(self, tx: Tx, person_id: int) -> PersonRow | None: ...

    def records(self, tx: Tx, person_id: int) -> Sequence[tuple[PersonRecord, str]]:
        """The person's source records in id order, each with its source's name."""

    def evidence(self, tx: Tx, person_id: int) -> Sequence[EvidenceRow]:
        """The person's evidence by property, then id."""

    def first_names(self, tx: Tx, statuses: Sequence[str]
                    ) -> list[tuple[int, str, str, str, str]]:
        """(person id, family, given, patronymic, birth date) of every record with a full
        birth date of a person in one of ``statuses``, by person then record (the families
        demo picks whom the synthetic relatives ask about)."""
