"""A stored source record as services read it: one shape for every topic that reads records
(persons, inquiries, review), which the store's record rows satisfy. Read-only: records change
only through ingest and resolution."""

from __future__ import annotations

from typing import Any, Protocol


class SourceRecordRow(Protocol):
    """A source record: its provenance, its canonical fields (read by name, too) and its keys."""

    @property
    def id(self) -> int: ...

    @property
    def person_id(self) -> int | None: ...

    @property
    def agency_code(self) -> str: ...

    @property
    def classification(self) -> str: ...

    @property
    def reliability(self) -> str: ...

    @property
    def file_name(self) -> str: ...

    @property
    def line_no(self) -> int: ...

    @property
    def family_name(self) -> str: ...

    @property
    def given_name(self) -> str: ...

    @property
    def patronymic(self) -> str: ...

    @property
    def birth_date(self) -> str: ...

    @property
    def sex(self) -> str: ...

    @property
    def capture_date(self) -> str: ...

    @property
    def rank(self) -> str: ...

    @property
    def military_unit(self) -> str: ...

    @property
    def status(self) -> str: ...

    @property
    def service_number(self) -> str: ...

    @property
    def document_number(self) -> str: ...

    @property
    def family_key(self) -> str: ...

    @property
    def given_key(self) -> str: ...

    @property
    def originals(self) -> dict[str, Any]: ...

    @property
    def extras(self) -> dict[str, Any]: ...
