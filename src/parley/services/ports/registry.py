"""Reading the registry: source records found by a search filter or by id, import batches and
their quarantined rows, and the registry's tallies. Rows leave as plain mappings ready for the
policy (``parley.services.access``); the queries behind them are the adapter's business."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from parley.domain.records import CANONICAL_FIELDS
from parley.services.ports.tx import Tx

RECORD_FIELDS: tuple[str, ...] = tuple(f for f in CANONICAL_FIELDS
                                       if f not in ("record_id", "source"))
"""A source record's canonical fields, in the order pages and exports show them."""
KEY_FIELDS: tuple[str, ...] = ("family_key", "given_key", "patronymic_key")
"""The cross-script name keys (family, given name, patronymic) a search matches on."""
HEAVY_FIELDS: tuple[str, ...] = ("raw", "raw_text", "originals", "extras")
"""Columns a record page shows but a result list does not: search leaves them in the store."""


@dataclass(frozen=True, slots=True)
class RecordFilter:
    """A search in the store's terms: index-friendly conditions only (equality, IN, ranges).
    Empty fields do not narrow; every non-empty one must hold."""

    classifications: tuple[str, ...]
    """Only records of these classifications (what the reader is cleared for)."""
    blocked_agencies: tuple[str, ...] = ()
    family_names: tuple[str, ...] = ()
    """Spellings of a family name; with ``family_keys``, a record matches either."""
    family_keys: tuple[str, ...] = ()
    birth_date: str = ""
    """A full or partial date: records with a date in it, or a part of it (``birth_prefixes``)."""
    birth_prefixes: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    """Forms of a service or document number."""


@dataclass(frozen=True, slots=True)
class QuarantinedHead:
    """A quarantined row with only the start of its text (``head``) and the text's ``size``."""

    id: int
    batch_id: int
    file_name: str
    line_no: int
    field: str
    reason: str
    raw: Any
    head: str
    size: int
    quarantined_at: datetime


@dataclass(frozen=True, slots=True)
class RecordOrigin:
    """What the need-to-know gate reads of a source record."""

    id: int
    agency_code: str
    classification: str
    source_id: int

    @property
    def gate(self) -> dict[str, str | None]:
        """The fields the policy gates a record by, as the item ``may_see`` reads."""
        return {"agency_code": self.agency_code, "classification": self.classification}


@dataclass(frozen=True, slots=True)
class RegistryCounts:
    sources: int
    records: int
    quarantined: int
    persons: int
    verified: int


class Registry(Protocol):
    def search(self, tx: Tx, where: RecordFilter, *, limit: int) -> list[dict[str, Any]]:
        """The first ``limit`` matching records by family name, given name and id: id,
        person_id, the canonical fields, provenance and name keys (no ``HEAVY_FIELDS``)."""

    def record(self, tx: Tx, record_id: int) -> dict[str, Any] | None:
        """One record with every field a search gives and the ``HEAVY_FIELDS``."""

    def batches(self, tx: Tx, *, batch_id: int | None, limit: int) -> list[dict[str, Any]]:
        """Import batches (or the one ``batch_id``), newest first, with their source's name."""

    def quarantined(self, tx: Tx, batch_id: int, *, head: int, limit: int,
                    offset: int) -> tuple[list[QuarantinedHead], int]:
        """One page of a batch's quarantined rows by line, each with its text's first ``head``
        characters; and how many the batch has in all."""

    def counts(self, tx: Tx) -> RegistryCounts: ...

    def origins(self, tx: Tx, record_ids: Iterable[int]) -> dict[int, RecordOrigin]:
        """The origin of each of these source records that exists."""
